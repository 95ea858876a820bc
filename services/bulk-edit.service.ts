import { randomUUID } from 'node:crypto';
import {
  BULK_CHANGE_MAX_BYTES,
  BULK_EDIT_MAX,
  type BulkChange,
  type BulkProgress,
  type BulkResult,
} from '../domain/bulk-change';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { atLeast, isAdmin, type Principal } from '../policy/access';
import { refuseOversizedMetadata } from '../rules/metadata';
import type { AssetWorkflows } from '../temporal/asset-workflows.client';
import type { AccessService } from './access.service';
import type { SearchService } from './search.service';

/** Search results read per page when a search selects a batch's assets. */
const SEARCH_PAGE = 100;

/** Which assets a batch is for: listed, or those a search finds when the batch starts. */
export type BulkSelection =
  | { assetIds: string[] }
  | { query: { q: string; filters?: Record<string, string[]> | undefined } };

/**
 * Bulk edits: operations applied to many assets, run as a durable batch (workflows/bulk-edit).
 * Access is checked here for every asset (edit); those refused are reported in the batch from the
 * start. A search selects the assets it finds, at the start, among those the caller can see. A
 * batch is its starter's: others (administrators aside) are told it does not exist.
 */
export class BulkEditService {
  constructor(
    private readonly deps: {
      access: Pick<AccessService, 'levelsOn' | 'visibleProjects'>;
      search: Pick<SearchService, 'search'>;
      workflows: Pick<AssetWorkflows, 'startBulkEdit' | 'bulkProgress'>;
      /** `trash.keepDays`: a bulk delete waits in the trash as a single one does. */
      keepDays: number;
    },
  ) {}

  async start(actor: Principal, selection: BulkSelection, operations: BulkChange[]): Promise<BulkProgress> {
    refuseOversized(operations);
    const assetIds = 'assetIds' in selection ? selection.assetIds : await this.found(actor, selection.query);
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
    const changes = operations.map((change) =>
      change.kind === 'trash' ? { ...change, keepFor: `P${this.deps.keepDays}D` } : change,
    );
    const input = {
      batchId: randomUUID(),
      by: actor.email,
      roles: actor.roles,
      assetIds: accepted,
      change: changes[0]!,
      changes,
      refused,
    };
    await this.deps.workflows.startBulkEdit(input);
    return {
      batchId: input.batchId,
      by: input.by,
      operations: changes,
      total: ids.length,
      done: refused.length,
      succeeded: 0,
      failed: refused.length,
      finished: false,
      results: refused,
    };
  }

  /** The assets a search finds now among those the caller sees; more than a batch takes is refused. */
  private async found(
    actor: Principal,
    query: { q: string; filters?: Record<string, string[]> | undefined },
  ): Promise<string[]> {
    const request = {
      q: query.q,
      filters: query.filters ?? {},
      sort: 'newest' as const,
      limit: SEARCH_PAGE,
      today: new Date().toISOString().slice(0, 10),
      visibleProjects: await this.deps.access.visibleProjects(actor),
    };
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.search.search({ ...request, ...(cursor ? { cursor } : {}) });
      if (page.total.count > BULK_EDIT_MAX)
        throw new AssetflowError(
          ErrorCodes.VALIDATION_FAILED,
          `The search finds ${page.total.exact ? '' : 'about '}${page.total.count} assets; a bulk edit takes at most ${BULK_EDIT_MAX}: narrow the search.`,
          400,
          { field: 'query', found: page.total.count, max: BULK_EDIT_MAX },
        );
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && ids.length < BULK_EDIT_MAX);
    if (ids.length === 0)
      throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, 'The search finds no assets.', 400, {
        field: 'query',
        found: 0,
      });
    return ids;
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
function refuseOversized(operations: BulkChange[]): void {
  for (const change of operations) if (change.kind === 'metadata') refuseOversizedMetadata(change.set);
  const bytes = Buffer.byteLength(JSON.stringify(operations));
  if (bytes > BULK_CHANGE_MAX_BYTES)
    throw new AssetflowError(
      ErrorCodes.VALIDATION_FAILED,
      `A bulk edit's operations may be at most ${BULK_CHANGE_MAX_BYTES} bytes as JSON together; these are ${bytes}.`,
      400,
      { bytes, max: BULK_CHANGE_MAX_BYTES },
    );
}
