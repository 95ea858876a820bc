import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
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
      const { assetId, change } = input;
      // Only a reclassification needs the catalogue: the workflow may never have seen the upload's.
      let dimensions: Record<string, string[]> = {};
      if (change.kind === 'dimensions') {
        const asset = await assets.find(assetId);
        if (!asset) return refused(assetId, 'ASSET_NOT_FOUND', `No asset with id ${assetId}.`);
        dimensions = asset.dimensions;
      }
      const [update, arg] = updateOf(change, { by: input.by, roles: input.roles }, dimensions);
      try {
        const view = await Context.current()
          .client.workflow.getHandle(`asset-${assetId}`)
          .executeUpdate<LifecycleView, [unknown]>(update, { args: [arg], updateId: input.updateId });
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

/** The update (its name, and its argument) that makes this change to one asset. */
function updateOf(change: BulkChange, actor: Actor, dimensions: Record<string, string[]>): [string, unknown] {
  switch (change.kind) {
    case 'metadata':
      return [setMetadataUpdate.name, { ...actor, set: change.set }];
    case 'tags':
      return [
        editTagsUpdate.name,
        {
          ...actor,
          ...(change.add ? { add: change.add } : {}),
          ...(change.remove ? { remove: change.remove } : {}),
        },
      ];
    case 'dimensions':
      return [setDimensionsUpdate.name, { ...actor, set: change.set, before: dimensions }];
    case 'freeze':
      return [freezeUpdate.name, { ...actor, reason: change.reason }];
    case 'unfreeze':
      return [unfreezeUpdate.name, actor];
    case 'archive':
      return [archiveUpdate.name, actor];
    case 'trash':
      return [
        trashUpdate.name,
        { ...actor, keepFor: change.keepFor, ...(change.reason ? { reason: change.reason } : {}) },
      ];
  }
}
