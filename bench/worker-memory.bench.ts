/**
 * Worker memory with many open asset workflows, and what an evicted workflow costs when it wakes.
 *
 *   npm run bench -- worker-memory [maxCachedWorkflows=the configuration's default] [open=10000] [step=1000]
 *                                  [heapMiB=WORKER_HEAP_MIB, as `npm run worker` starts it | none]
 *
 * The worker runs as its own process (`assetflow worker` with the heap limit `npm run worker` gives
 * it, as deployed), configured through
 * `temporal.worker` in a config file written for the run; this process uploads through the asset
 * service and reads the worker's resident memory (VmRSS in /proc) each time another `step`
 * workflows reach `stored` and wait on their timers. Then it queries the oldest workflows (evicted
 * from the cache when `open` exceeds it: the worker replays their histories to answer) and the
 * newest (still cached), so the replay cost is measured in the same run as its baseline.
 * Temporal dev server; catalogue on DATABASE_URL's server or an embedded PostgreSQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import { defaultConfig } from '../config/config.schema';
import { storageOn } from '../runtime/catalogue';
import { WORKER_HEAP_MIB } from '../runtime/worker-heap';
import { RuleSetService } from '../services/rule-set.service';
import { AssetWorkflows } from '../temporal/asset-workflows.client';
import { startTestDevServer } from '../toolchain/ephemeral-servers';
import { getLifecycleQuery } from '../workflows/messages';
import { openBenchDatabase } from './bench-database';
import { benchUploads, inParallel } from './bench-uploads';

const CACHE = Number(process.argv[2] ?? defaultConfig.temporal.worker.maxCachedWorkflows);
const OPEN = Number(process.argv[3] ?? 10_000);
const STEP = Number(process.argv[4] ?? 1_000);
/** The worker's heap limit in MiB, as `npm run worker` sets it; `none` leaves V8's default. */
const HEAP = process.argv[5] === 'none' ? 'none' : Number(process.argv[5] ?? WORKER_HEAP_MIB);
const QUERIED = 20;
const TASK_QUEUE = 'bench-worker-memory';

const say = (line: string) => process.stderr.write(`${line}\n`);

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/**
 * Signals the worker and parses the JSON file it then writes into `dir` (a diagnostic report or a
 * heap snapshot, by the file's ending); a file that does not parse yet is still being written.
 */
async function signalAndRead<T>(
  pid: number,
  signal: NodeJS.Signals,
  dir: string,
  ending: string,
): Promise<T> {
  const files = () => readdirSync(dir).filter((f) => f.endsWith(ending));
  const before = new Set(files());
  process.kill(pid, signal);
  const deadline = performance.now() + 300_000;
  for (;;) {
    if (performance.now() > deadline) throw new Error(`the worker (${pid}) wrote no ${ending} in 5 min`);
    await new Promise((r) => setTimeout(r, 100));
    const written = files().find((f) => !before.has(f));
    if (!written) continue;
    try {
      const parsed = JSON.parse(readFileSync(path.join(dir, written), 'utf8')) as T;
      rmSync(path.join(dir, written));
      return parsed;
    } catch {
      // still being written
    }
  }
}

/**
 * Where the worker's memory is: a Node diagnostic report (`--report-on-signal`) gives the V8 heap;
 * what RSS holds beyond it is native (the SDK's core, sharp/libvips, malloc).
 */
async function heapMiB(pid: number, dir: string): Promise<{ used: number; total: number }> {
  const report = await signalAndRead<{ javascriptHeap: { usedMemory: number; totalMemory: number } }>(
    pid,
    'SIGUSR2',
    dir,
    '.json',
  );
  return {
    used: report.javascriptHeap.usedMemory / 2 ** 20,
    total: report.javascriptHeap.totalMemory / 2 ** 20,
  };
}

/**
 * The worker's live JavaScript heap: a heap snapshot (`--heapsnapshot-signal`) holds only what is
 * reachable after a full collection, which the report's "used" (garbage not yet collected
 * included) does not tell.
 */
async function liveHeapMiB(pid: number, dir: string): Promise<number> {
  const snapshot = await signalAndRead<{ snapshot: { meta: { node_fields: string[] } }; nodes: number[] }>(
    pid,
    'SIGUSR1',
    dir,
    '.heapsnapshot',
  );
  const fields = snapshot.snapshot.meta.node_fields;
  let bytes = 0;
  for (let i = fields.indexOf('self_size'); i < snapshot.nodes.length; i += fields.length)
    bytes += snapshot.nodes[i]!;
  return bytes / 2 ** 20;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function main() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'assetflow-worker-memory-'));
  const temporal = await startTestDevServer();
  const database = await openBenchDatabase();
  const blobsDir = path.join(scratch, 'blobs');
  const storage = storageOn(database, blobsDir);
  await new RuleSetService(storage.ruleSets).publishExamples();

  // The worker process, configured the way an operator would: a config file and the environment.
  const configFile = path.join(scratch, 'temporal.config.yaml');
  writeFileSync(
    configFile,
    [
      'temporal:',
      '  worker:',
      `    maxCachedWorkflows: ${CACHE}`,
      `    maxConcurrentWorkflowTasks: ${Math.min(40, Math.max(2, CACHE))}`,
      'tagging:',
      '  objects: false',
      '  text: false',
      'log:',
      '  level: warn',
      '',
    ].join('\n'),
  );
  const reportsDir = path.join(scratch, 'reports');
  mkdirSync(reportsDir);
  const worker: ChildProcess = spawn(
    process.execPath,
    [
      ...(HEAP === 'none' ? [] : [`--max-old-space-size=${HEAP}`]),
      '--heapsnapshot-signal=SIGUSR1',
      `--diagnostic-dir=${reportsDir}`,
      '--report-on-signal',
      '--report-signal=SIGUSR2',
      `--report-directory=${reportsDir}`,
      '--import',
      'tsx',
      path.join(__dirname, '..', 'bin', 'assetflow.ts'),
      'worker',
    ],
    {
      env: {
        ...process.env,
        ASSETFLOW_CONFIG: configFile,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        DATABASE_URL: database.url,
        ASSETFLOW_BLOB_DIR: blobsDir,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const workerExited = new Promise<never>((_, reject) =>
    worker.once('exit', (code) => reject(new Error(`the worker process exited (${code})`))),
  );
  // Raced while opening; stopping the worker at the end is expected.
  workerExited.catch(() => {});

  const workflows = AssetWorkflows.connectLazily(temporal.address, 'default', TASK_QUEUE);
  const uploads = benchUploads(database, storage, workflows);
  const startAsset = uploads.upload;
  const storedCount = uploads.storedCount;
  const untilStored = async (n: number) => {
    while ((await storedCount()) < n) {
      await Promise.race([new Promise((r) => setTimeout(r, 50)), workerExited]);
    }
  };

  say(`Worker process ${worker.pid}: maxCachedWorkflows ${CACHE}; waiting for it to take work…`);
  await startAsset(0);
  await untilStored(1);
  const sample = async (open: number, seconds: number) => {
    const heap = await heapMiB(worker.pid!, reportsDir);
    return { open, rss: rssMiB(worker.pid!), heapUsed: heap.used, heapTotal: heap.total, seconds };
  };
  const samples = [await sample(1, 0)];
  const live: { open: number; mib: number }[] = [];
  const t0 = performance.now();
  for (let open = 1; open < OPEN; ) {
    const batch = Math.min(STEP, OPEN - open);
    await inParallel(batch, (i) => startAsset(open + i));
    open += batch;
    await untilStored(open);
    // Let the worker settle (sticky cache evictions, GC) before reading its memory.
    await new Promise((r) => setTimeout(r, 2000));
    samples.push(await sample(open, (performance.now() - t0) / 1000));
    const last = samples.at(-1)!;
    say(
      `  ${open} open: worker RSS ${last.rss.toFixed(0)} MiB, V8 heap ${last.heapUsed.toFixed(0)} used / ${last.heapTotal.toFixed(0)} MiB`,
    );
    // The live heap after the last step only: writing a snapshot leaves ≈ 300 MiB of native
    // memory behind in the worker, which would inflate every RSS read after it.
    if (open >= OPEN) live.push({ open, mib: await liveHeapMiB(worker.pid!, reportsDir) });
  }

  // Wake-up cost: a query needs the workflow's state; an evicted run is replayed from its history.
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const ids = async (order: 'ASC' | 'DESC') =>
    (
      await sql<{ workflow_id: string }>`SELECT workflow_id FROM assets ORDER BY created_at ${sql.raw(order)}
        LIMIT ${QUERIED}`.execute(database.db)
    ).rows.map((r) => r.workflow_id);
  const timeQueries = async (workflowIds: string[]) => {
    const times: number[] = [];
    for (const id of workflowIds) {
      const t = performance.now();
      await client.workflow.getHandle(id).query(getLifecycleQuery);
      times.push(performance.now() - t);
    }
    return times;
  };
  const newest = await timeQueries(await ids('DESC'));
  const oldest = await timeQueries(await ids('ASC'));
  const history = await client.workflow.getHandle((await ids('ASC'))[0]!).fetchHistory();

  console.log(
    `\nWorker process memory, maxCachedWorkflows ${CACHE}, heap limit ${HEAP === 'none' ? "V8's default" : `${HEAP} MiB`}, ${os.cpus().length} cores, catalogue ${database.label}\n`,
  );
  console.log(
    '| open asset workflows | worker RSS | V8 heap used / total | RSS outside the V8 heap | minutes to open |',
  );
  console.log('|---|---|---|---|---|');
  for (const s of samples)
    console.log(
      `| ${s.open.toLocaleString('en')} | ${s.rss.toFixed(0)} MiB | ${s.heapUsed.toFixed(0)} / ${s.heapTotal.toFixed(0)} MiB | ${(s.rss - s.heapTotal).toFixed(0)} MiB | ${(s.seconds / 60).toFixed(1)} |`,
    );
  console.log(
    `\nLive V8 heap (heap snapshot, after a full collection): ${live.map((l) => `${l.mib.toFixed(0)} MiB at ${l.open.toLocaleString('en')} open`).join(', ')}`,
  );
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`\nQuery of one workflow (${QUERIED} each; the oldest are evicted when open > cache):\n`);
  console.log('| workflows queried | p50 | p95 | max |');
  console.log('|---|---|---|---|');
  for (const [label, times] of [
    ['newest (cached)', newest],
    [`oldest (${OPEN > CACHE ? 'evicted: replayed' : 'cached'})`, oldest],
  ] as const)
    console.log(
      `| ${label} | ${ms(percentile(times, 0.5))} | ${ms(percentile(times, 0.95))} | ${ms(Math.max(...times))} |`,
    );
  console.log(`\n(an asset workflow's history at stored: ${history.events?.length ?? 0} events)`);

  await connection.close();
  await workflows.close();
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await database.close();
  await temporal.teardown();
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
