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
  /** The first operation (a batch started before `changes` existed had only this one). */
  change: BulkChange;
  /** Every operation, applied to each asset in this order; absent: `[change]`. */
  changes?: BulkChange[];
  /** Assets refused before the batch started (not found, no edit access): results from the start. */
  refused?: BulkResult[];
}

export interface BulkProgress {
  batchId: string;
  by: string;
  operations: BulkChange[];
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  finished: boolean;
  /** Per asset, in the order they finished. */
  results: BulkResult[];
}

/** The most assets one batch takes, and the most operations it applies to each. */
export const BULK_EDIT_MAX = 1000;
export const BULK_OPERATIONS_MAX = 10;

/** The operations a batch applies to each asset, in order. */
export function operationsOf(input: Pick<BulkEditInput, 'change' | 'changes'>): BulkChange[] {
  return input.changes ?? [input.change];
}
/**
 * The largest a batch's operations may be together (as JSON): each step carries one operation
 * into the batch's history, so an asset's steps carry at most this much and 1 000 assets stay
 * under 8 MB, well under Temporal's 50 MB history limit.
 */
export const BULK_CHANGE_MAX_BYTES = 8 * 1024;

export function progressOf(input: BulkEditInput, applied: BulkResult[], finished: boolean): BulkProgress {
  const results = [...(input.refused ?? []), ...applied];
  const succeeded = results.filter((r) => r.ok).length;
  return {
    batchId: input.batchId,
    by: input.by,
    operations: operationsOf(input),
    total: input.assetIds.length + (input.refused?.length ?? 0),
    done: results.length,
    succeeded,
    failed: results.length - succeeded,
    finished,
    results,
  };
}
