import { type ApprovalActivityDeps, createApprovalActivities } from './approval.activities';
import { type AssetActivityDeps, createAssetActivities } from './asset.activities';
import { createBulkActivities } from './bulk.activities';

export type ActivityDeps = AssetActivityDeps & ApprovalActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createAssetActivities(deps), ...createApprovalActivities(deps), ...createBulkActivities(deps) };
}

/** The activity interface workflows proxy; workflows import this type only, never the code. */
export type Activities = ReturnType<typeof createActivities>;
