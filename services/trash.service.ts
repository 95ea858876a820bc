import type { AssetRecord, AssetRepository } from '../catalogue/asset.repository';
import type { BulkResult } from '../domain/bulk-change';
import { AssetflowError } from '../domain/errors';
import type { Principal } from '../policy/access';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import { type LifecycleView, restoreFromTrashUpdate, trashUpdate } from '../workflows/messages';
import type { AccessService } from './access.service';

/** Assets one bulk request may name. */
export const TRASH_BATCH_MAX = 100;
/** Assets the trash listing answers with at most (most recently trashed first). */
export const TRASH_LIST_MAX = 500;
/** Workflow updates a bulk request runs at once. */
const UPDATES_IN_FLIGHT = 8;

/** What became of one asset of a bulk request (the same shape a bulk edit reports). */
export type TrashResult = BulkResult;

/**
 * Deleting and restoring assets. Deleting moves an asset to the trash through its workflow, which
 * decides (legal hold, a freeze and retention rules forbid it, with the reason), stops its links
 * and downloads, and purges it `keepDays` later on a durable timer unless it is restored first.
 */
export class TrashService {
  constructor(
    private readonly deps: {
      assets: Pick<AssetRepository, 'listTrashed'>;
      access: AccessService;
      workflows: Pick<AssetWorkflows, 'updateAsset'>;
      keepDays: number;
    },
  ) {}

  /** One asset into the trash (its access is checked by the endpoint policy). */
  async trash(assetId: string, actor: Principal, reason?: string): Promise<LifecycleView> {
    return this.deps.workflows.updateAsset(assetId, trashUpdate, {
      by: actor.email,
      roles: actor.roles,
      keepFor: `P${this.deps.keepDays}D`,
      ...(reason ? { reason } : {}),
    });
  }

  async restore(assetId: string, actor: Principal): Promise<LifecycleView> {
    return this.deps.workflows.updateAsset(assetId, restoreFromTrashUpdate, {
      by: actor.email,
      roles: actor.roles,
    });
  }

  /**
   * Several assets into the trash, or back: each one authorised (edit) and decided by its own
   * workflow, so one refusal does not stop the others. The answer says per asset what happened.
   */
  async many(
    action: 'trash' | 'restore',
    assetIds: string[],
    actor: Principal,
    reason?: string,
  ): Promise<TrashResult[]> {
    const ids = [...new Set(assetIds.map((id) => id.toLowerCase()))];
    const results: TrashResult[] = [];
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const assetId = ids[next++] as string;
        results.push(await this.one(action, assetId, actor, reason));
      }
    };
    await Promise.all(Array.from({ length: Math.min(UPDATES_IN_FLIGHT, ids.length) }, worker));
    const order = new Map(ids.map((id, i) => [id, i]));
    return results.sort((a, b) => (order.get(a.assetId) ?? 0) - (order.get(b.assetId) ?? 0));
  }

  /** The trash as the caller may see it. */
  async list(actor: Principal): Promise<AssetRecord[]> {
    return this.deps.assets.listTrashed(await this.deps.access.visibleProjects(actor), TRASH_LIST_MAX);
  }

  private async one(
    action: 'trash' | 'restore',
    assetId: string,
    actor: Principal,
    reason?: string,
  ): Promise<TrashResult> {
    try {
      await this.deps.access.requireOnAssets(actor, [assetId], 'edit');
      const view =
        action === 'trash' ? await this.trash(assetId, actor, reason) : await this.restore(assetId, actor);
      return { assetId, ok: true, state: view.state };
    } catch (error) {
      // Refusals, an asset the caller cannot see and Temporal being out of reach (503) are each
      // that asset's answer, so the caller learns which of the others were done; anything else
      // is a fault and fails the request.
      if (!(error instanceof AssetflowError) || (error.status >= 500 && error.status !== 503)) throw error;
      return { assetId, ok: false, error: { code: error.code, message: error.message } };
    }
  }
}
