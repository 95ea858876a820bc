import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  type BulkEditInput,
  type BulkProgress,
  type BulkResult,
  operationsOf,
  progressOf,
} from '../domain/bulk-change';
import { bulkProgressQuery } from './messages';

/** Assets changed at once: each is one update to its workflow, a few milliseconds of work. */
const LANES = 4;

/**
 * The activity sends the update; a Temporal hiccup is retried, a refusal is a result, not a retry.
 * An update takes milliseconds: after 10 s the worker is presumed gone and another one retries.
 */
const { applyBulkChange } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  // An asset whose workflow cannot take updates for this long is reported, not waited on for ever.
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * A bulk edit as a durable batch: each operation goes to every asset's own workflow (which decides
 * and records it), in order, a few assets at a time; an asset's first refusal ends its turn (the
 * operations after it are not sent). The progress is a query. A worker that stops mid-way is
 * replaced and the batch goes on from where its history says it was; an asset whose update was
 * sent but not answered is sent again with the same update id, which Temporal answers with the
 * first outcome instead of applying it twice.
 */
export async function bulkEdit(input: BulkEditInput): Promise<BulkProgress> {
  const results: BulkResult[] = [];
  let finished = false;
  setHandler(bulkProgressQuery, () => progressOf(input, results, finished));
  let next = 0;
  const operations = operationsOf(input);
  /** One asset's operations in order; the first refusal is its result, else the last state. */
  const applyAll = async (assetId: string): Promise<BulkResult> => {
    let result: BulkResult = {
      assetId,
      ok: false,
      error: { code: 'NO_OPERATION', message: 'Nothing to do.' },
    };
    for (const [i, change] of operations.entries()) {
      const step = {
        // The first operation's id is the one batches had before they took several.
        updateId: i === 0 ? `${input.batchId}:${assetId}` : `${input.batchId}:${assetId}:${i}`,
        assetId,
        by: input.by,
        roles: input.roles,
        change,
      };
      result = await applyBulkChange(step).catch(
        (error: Error): BulkResult => ({
          assetId,
          ok: false,
          error: { code: 'TIMED_OUT', message: `The asset did not answer: ${error.message}` },
        }),
      );
      if (!result.ok) {
        if (operations.length > 1)
          result = {
            ...result,
            error: {
              ...result.error,
              message: `Operation ${i + 1} (${change.kind}): ${result.error.message}`,
            },
          };
        break;
      }
    }
    return result;
  };
  const lane = async () => {
    while (next < input.assetIds.length) {
      const assetId = input.assetIds[next++] as string;
      results.push(await applyAll(assetId));
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, input.assetIds.length) }, lane));
  finished = true;
  return progressOf(input, results, finished);
}
