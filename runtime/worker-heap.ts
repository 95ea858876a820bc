import { getHeapStatistics } from 'node:v8';

/**
 * The JavaScript heap a worker process is given (`npm run worker` runs
 * `node --max-old-space-size=384 …`). V8 collects old garbage lazily, as the heap nears its limit,
 * and its default limit follows the machine's memory (≈ 4 GiB on a 24 GiB machine): a worker
 * left at the default measured 790 MiB RSS at 1 000 open workflows and 1 056 at 2 000 while
 * only ≈ 106 MiB of its heap was alive; with this limit RSS stayed at 604–643 MiB from 1 000 to
 * 3 000 open (docs/performance.md, "Idle workflows").
 */
export const WORKER_HEAP_MIB = 384;

/** What to tell an operator whose worker runs with a heap limit far above WORKER_HEAP_MIB. */
export function workerHeapAdvice(): string | undefined {
  const limitMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  if (limitMiB <= 2 * WORKER_HEAP_MIB) return undefined;
  return (
    `This worker's JavaScript heap may grow to ${Math.round(limitMiB)} MiB before V8 collects its garbage, ` +
    `and its memory with it: start it as \`npm run worker\` does (node --max-old-space-size=${WORKER_HEAP_MIB}; README, "Worker memory").`
  );
}
