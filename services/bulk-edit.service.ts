import { randomUUID } from 'node:crypto';
import {
  BULK_CHANGE_MAX_BYTES,
  type BulkChange,
  type BulkProgress,
  type BulkResult,
} from '../domain/bulk-change';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { atLeast, isAdmin, type Principal } from '../policy/access';
import { refuseOversizedMetadata } from '../rules/metadata';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import type { AccessService } from './access.service';

/**
 * Bulk edits: one change to many assets, run as a durable batch (workflows/bulk-edit). Access is
 * checked here for every asset (edit); those refused are reported in the batch from the start.
 * A batch is its starter's: others (administrators aside) are told it does not exist.
 */
export class BulkEditService {
  constructor(
    private readonly deps: {
      access: Pick<AccessService, 'levelsOn'>;
      workflows: Pick<AssetWorkflows, 'startBulkEdit' | 'bulkProgress'>;
      /** `trash.keepDays`: a bulk delete waits in the trash as a single one does. */
      keepDays: number;
    },
  ) {}

  async start(actor: Principal, assetIds: string[], change: BulkChange): Promise<BulkProgress> {
    refuseOversized(change);
    const ids = [...new Set(assetIds.map((id) => id.toLowerCase()))];
    const levels = await this.deps.access.levelsOn(actor, ids);
    const refused: BulkResult[] = [];
    const accepted: string[] = [];
    for (const id of ids) {
      const level = levels.get(id);
      if (atLeast(level, 'edit')) accepted.push(id);
      else
        refused.push(
          level
            ? {
                assetId: id,
                ok: false,
                error: { code: 'FORBIDDEN', message: 'Your access does not allow this.' },
              }
            : {
                assetId: id,
                ok: false,
                error: { code: 'ASSET_NOT_FOUND', message: `No asset with id ${id}.` },
              },
        );
    }
    const input = {
      batchId: randomUUID(),
      by: actor.email,
      roles: actor.roles,
      assetIds: accepted,
      change: change.kind === 'trash' ? { ...change, keepFor: `P${this.deps.keepDays}D` } : change,
      refused,
    };
    await this.deps.workflows.startBulkEdit(input);
    return {
      batchId: input.batchId,
      by: input.by,
      change: input.change,
      total: ids.length,
      done: refused.length,
      succeeded: 0,
      failed: refused.length,
      finished: false,
      results: refused,
    };
  }

  async progress(actor: Principal, batchId: string): Promise<BulkProgress> {
    const progress = await this.deps.workflows.bulkProgress(batchId);
    if (progress.by !== actor.email && !isAdmin(actor))
      throw new AssetflowError(ErrorCodes.BATCH_NOT_FOUND, `No batch ${batchId}.`, 404, { batchId });
    return progress;
  }
}

/**
 * Every step of a batch carries the change into the batch's history: at BULK_CHANGE_MAX_BYTES ×
 * BULK_EDIT_MAX it stays far below Temporal's 50 MB limit. Metadata values are held to the limits
 * a single change has too.
 */
function refuseOversized(change: BulkChange): void {
  if (change.kind === 'metadata') refuseOversizedMetadata(change.set);
  const bytes = Buffer.byteLength(JSON.stringify(change));
  if (bytes > BULK_CHANGE_MAX_BYTES)
    throw new AssetflowError(
      ErrorCodes.VALIDATION_FAILED,
      `A bulk change may be at most ${BULK_CHANGE_MAX_BYTES} bytes as JSON; this one is ${bytes}.`,
      400,
      { bytes, max: BULK_CHANGE_MAX_BYTES },
    );
}
