import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { BulkChange, BulkResult } from '../domain/bulk-change';
import { Notices } from '../operations/notices';
import {
  archiveUpdate,
  editTagsUpdate,
  freezeUpdate,
  type LifecycleView,
  setDimensionsUpdate,
  setMetadataUpdate,
  trashUpdate,
  unfreezeUpdate,
} from '../workflows/messages';
import type { AssetActivityDeps } from './asset.activities';

/**
 * The bulk edit's one activity: the change sent to one asset's workflow as the update a single
 * request would send, through the worker's own Temporal client. The asset's refusal is the result
 * for that asset; only a failure to reach Temporal is thrown (and retried).
 */
export function createBulkActivities(deps: AssetActivityDeps) {
  const { assets } = deps;
  const notices = new Notices(deps);
  return {
    async applyBulkChange(input: {
      updateId: string;
      assetId: string;
      by: string;
      roles: string[];
      change: BulkChange;
    }): Promise<BulkResult> {
      const { assetId } = input;
      const asset = await assets.find(assetId);
      if (!asset) return refused(assetId, 'ASSET_NOT_FOUND', `No asset with id ${assetId}.`);
      const [update, arg] = updateOf(input.change, { by: input.by, roles: input.roles }, asset.dimensions);
      try {
        const view = await Context.current()
          .client.workflow.getHandle(`asset-${assetId}`)
          .executeUpdate(update, { args: [arg], updateId: input.updateId });
        await noticeOf(notices, assetId, input.change, view);
        return { assetId, ok: true, state: view.state };
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) {
          const cause = error.cause as { type?: string; message?: string } | undefined;
          return refused(assetId, cause?.type ?? 'REFUSED', cause?.message ?? error.message);
        }
        // The workflow has ended: the asset was purged.
        if (error instanceof WorkflowNotFoundError)
          return refused(assetId, 'ASSET_PURGED', 'The asset has been purged; only its record remains.');
        throw error;
      }
    },
  };
}

/**
 * What the single freeze and unfreeze endpoints tell the asset's collaborators, told for a batch
 * too. Keyed by the change's moment in the asset's timeline, so a retried step tells nobody twice.
 */
async function noticeOf(notices: Notices, assetId: string, change: BulkChange, view: LifecycleView) {
  const at = view.timeline.at(-1)?.at;
  if (change.kind === 'freeze' && view.frozen)
    await notices.frozen(assetId, view.frozen.by, view.frozen.reason, view.frozen.at);
  if (change.kind === 'unfreeze' && at) await notices.unfrozen(assetId, view.timeline.at(-1)?.by ?? '', at);
}

const refused = (assetId: string, code: string, message: string): BulkResult => ({
  assetId,
  ok: false,
  error: { code, message },
});

type Actor = { by: string; roles: string[] };

/** The update (and its argument) that makes this change to one asset. */
function updateOf(
  change: BulkChange,
  actor: Actor,
  dimensions: Record<string, string[]>,
): [UpdateDefinition<LifecycleView, [never]>, unknown] {
  const as = <A>(u: UpdateDefinition<LifecycleView, [A]>, arg: A) =>
    [u as UpdateDefinition<LifecycleView, [never]>, arg] as [
      UpdateDefinition<LifecycleView, [never]>,
      unknown,
    ];
  switch (change.kind) {
    case 'metadata':
      return as(setMetadataUpdate, { ...actor, set: change.set });
    case 'tags':
      return as(editTagsUpdate, {
        ...actor,
        ...(change.add ? { add: change.add } : {}),
        ...(change.remove ? { remove: change.remove } : {}),
      });
    case 'dimensions':
      return as(setDimensionsUpdate, { ...actor, set: change.set, before: dimensions });
    case 'freeze':
      return as(freezeUpdate, { ...actor, reason: change.reason });
    case 'unfreeze':
      return as(unfreezeUpdate, actor);
    case 'archive':
      return as(archiveUpdate, actor);
    case 'trash':
      return as(trashUpdate, {
        ...actor,
        keepFor: change.keepFor,
        ...(change.reason ? { reason: change.reason } : {}),
      });
  }
}
