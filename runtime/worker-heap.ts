import { getHeapStatistics } from 'node:v8';

/**
 * The JavaScript heap a worker process is given by default (`npm run worker` runs
 * `node --max-old-space-size=${ASSETFLOW_WORKER_HEAP_MIB:-384} …`). V8 collects old garbage
 * lazily, as the heap nears its limit, and its default limit follows the machine's memory
 * (≈ 4 GiB on a 24 GiB machine): a worker
 * left at the default measured 790 MiB RSS at 1 000 open workflows and 1 056 at 2 000, while a
 * heap snapshot at 801 open found ≈ 106 MiB alive; with this limit, 734 MiB at 10 000 open and
 * 833 MiB at 20 000 (models off; docs/performance.md, "Idle workflows"). The limit bounds the
 * garbage, not what stays alive: Temporal's SDK keeps ≈ 7 KB per workflow run the worker has
 * handled (heap snapshots), so ≈ 40 000 such runs fill 384 MiB; hence the variable.
 */
export const WORKER_HEAP_MIB = 384;

/** The limit this worker should have: ASSETFLOW_WORKER_HEAP_MIB, as `npm run worker` reads it. */
function intendedHeapMiB(): number {
  const configured = Number(process.env.ASSETFLOW_WORKER_HEAP_MIB);
  return Number.isInteger(configured) && configured > 0 ? configured : WORKER_HEAP_MIB;
}

/** What to tell an operator whose worker runs with a heap limit far above the intended one. */
export function workerHeapAdvice(): string | undefined {
  const limitMiB = getHeapStatistics().heap_size_limit / 2 ** 20;
  const intended = intendedHeapMiB();
  if (limitMiB <= 2 * intended) return undefined;
  return (
    `This worker's JavaScript heap may grow to ${Math.round(limitMiB)} MiB before V8 collects its garbage, ` +
    `and its memory with it: start it as \`npm run worker\` does (node --max-old-space-size=${intended}; README, "Worker memory").`
  );
}
