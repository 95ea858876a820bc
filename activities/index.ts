import { type AssetActivityDeps, createAssetActivities } from './asset.activities';

export type ActivityDeps = AssetActivityDeps;

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createAssetActivities(deps) };
}

/** The activity interface workflows proxy; workflows import this type only, never the code. */
export type Activities = ReturnType<typeof createActivities>;
