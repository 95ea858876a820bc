/**
 * One change applied to many assets by a bulk edit (a durable batch: workflows/bulk-edit). Each
 * kind is an update the asset's own workflow decides, so a batch is refused per asset exactly as
 * a single request would be. Plain JSON: it travels in workflow history.
 */
export type BulkChange =
  | { kind: 'metadata'; set: Record<string, unknown> }
  | { kind: 'tags'; add?: string[]; remove?: string[] }
  | { kind: 'dimensions'; set: Record<string, string[]> }
  | { kind: 'freeze'; reason: string }
  | { kind: 'unfreeze' }
  | { kind: 'archive' }
  | { kind: 'trash'; keepFor: string; reason?: string };

export type BulkResult =
  | { assetId: string; ok: true; state: string }
  | { assetId: string; ok: false; error: { code: string; message: string } };

export interface BulkEditInput {
  batchId: string;
  /** Who started it (their e-mail): the actor of every change, and who may follow the batch. */
  by: string;
  roles: string[];
  assetIds: string[];
  change: BulkChange;
  /** Assets refused before the batch started (not found, no edit access): results from the start. */
  refused?: BulkResult[];
}

export interface BulkProgress {
  batchId: string;
  by: string;
  change: BulkChange;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  finished: boolean;
  /** Per asset, in the order they finished. */
  results: BulkResult[];
}

/** The most assets one batch takes. */
export const BULK_EDIT_MAX = 1000;
/**
 * The largest change (as JSON) a batch takes: each step's input carries it into the batch's
 * history, so 1 000 steps stay near 8 MB, well under Temporal's 50 MB history limit.
 */
export const BULK_CHANGE_MAX_BYTES = 8 * 1024;

export function progressOf(input: BulkEditInput, applied: BulkResult[], finished: boolean): BulkProgress {
  const results = [...(input.refused ?? []), ...applied];
  const succeeded = results.filter((r) => r.ok).length;
  return {
    batchId: input.batchId,
    by: input.by,
    change: input.change,
    total: input.assetIds.length + (input.refused?.length ?? 0),
    done: results.length,
    succeeded,
    failed: results.length - succeeded,
    finished,
    results,
  };
}
