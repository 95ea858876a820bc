/**
 * Lifecycle benchmark, on the Temporal dev server:
 *  1. throughput: N asset workflows started through the asset service and run to `stored`
 *     (catalogue row, ingest activity, transitions mirrored) against N trivial one-activity
 *     workflows, measured in the same run on the same server, both 16 in flight end to end;
 *  2. memory: worker RSS and heap with OPEN asset workflows waiting on their years-long timers.
 *
 *   npm run bench -- lifecycle [count=300] [open=10000]
 *
 * The catalogue is a PostgreSQL server in its own process (DATABASE_URL, or an embedded one
 * started for the run), so the worker's memory is the worker's alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { storageOn } from '../runtime/catalogue';
import { connectWorker, createAssetflowWorker, installTemporalRuntime } from '../runtime/worker';
import { RuleSetService } from '../services/rule-set.service';
import { ruleTaggingOnly } from '../tagging/offline-tagging';
import { AssetWorkflows } from '../temporal/asset-workflows.client';
import { startTestDevServer } from '../toolchain/ephemeral-servers';
import { openBenchDatabase } from './bench-database';
import { benchUploads, IN_FLIGHT, inParallel } from './bench-uploads';

const COUNT = Number(process.argv[2] ?? 300);
const OPEN = Number(process.argv[3] ?? 10_000);

const say = (line: string) => process.stderr.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function main() {
  installTemporalRuntime();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'assetflow-bench-'));
  const temporal = await startTestDevServer();
  const database = await openBenchDatabase();
  const storage = storageOn(database, path.join(scratch, 'blobs'));
  await new RuleSetService(storage.ruleSets).publishExamples();

  const connection = await connectWorker(temporal.address);
  const assetWorker = await createAssetflowWorker({
    connection,
    namespace: 'default',
    taskQueue: 'bench-assets',
    activityDeps: {
      ...storage,
      limits: { maxImagePixels: 100_000_000 },
      tagging: ruleTaggingOnly(),
    },
  });
  const trivialWorker = await Worker.create({
    connection,
    taskQueue: 'bench-trivial',
    workflowsPath: require.resolve('./trivial.workflow'),
    activities: { noop: async () => {} },
  });
  const runs = [assetWorker.run(), trivialWorker.run()];
  const clientConnection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection: clientConnection });
  const workflows = AssetWorkflows.connectLazily(temporal.address, 'default', 'bench-assets');
  const uploads = benchUploads(database, storage, workflows);
  const startAsset = uploads.upload;
  const storedCount = uploads.storedCount;
  const untilStored = async (n: number) => {
    while ((await storedCount()) < n) await new Promise((r) => setTimeout(r, 20));
  };

  say('Warming up (bundles load, first workflow tasks)…');
  await startAsset(-1);
  await untilStored(1);
  await client.workflow.execute('trivialWorkflow', { taskQueue: 'bench-trivial', workflowId: 'warm-up' });

  say(`Running ${COUNT} trivial workflows, ${IN_FLIGHT} at a time…`);
  let t0 = performance.now();
  await inParallel(COUNT, (i) =>
    client.workflow.execute('trivialWorkflow', { taskQueue: 'bench-trivial', workflowId: `trivial-${i}` }),
  );
  const trivialMs = performance.now() - t0;

  // Limited as the trivial workflows are: 16 in flight end to end, each lane waiting for its asset
  // to reach `stored` before it starts the next (capping only the starts let the asset runs queue
  // up behind the worker, and compared two different limits).
  const untilAssetStored = async (id: string) => {
    for (;;) {
      const { rows } = await sql<{ state: string }>`SELECT state FROM assets WHERE id = ${id}::uuid`.execute(
        database.db,
      );
      if (rows[0]?.state === 'stored') return;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  say(`Running ${COUNT} asset workflows to stored, ${IN_FLIGHT} in flight…`);
  t0 = performance.now();
  await inParallel(COUNT, async (i) => {
    await untilAssetStored(await startAsset(i));
  });
  await untilStored(COUNT + 1);
  const assetMs = performance.now() - t0;

  const before = process.memoryUsage();
  say(`Opening asset workflows up to ${OPEN} (each waits on its timers after stored)…`);
  t0 = performance.now();
  const more = Math.max(0, OPEN - COUNT - 1);
  for (let done = 0; done < more; ) {
    const batch = Math.min(500, more - done);
    await inParallel(batch, (i) => startAsset(COUNT + 1 + done + i));
    done += batch;
    say(`  ${done + COUNT + 1} started, ${await storedCount()} stored`);
  }
  await untilStored(OPEN);
  const openMs = performance.now() - t0;
  global.gc?.();
  const after = process.memoryUsage();

  const perSecond = (ms: number) => ((COUNT * 1000) / ms).toFixed(1);
  console.log(
    `\nLifecycle on the Temporal dev server, catalogue ${database.label}, ${os.cpus().length} cores, ${IN_FLIGHT} in flight\n`,
  );
  console.log('| workload | workflows | time | workflows/s | vs trivial |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| trivial workflow, one no-op activity | ${COUNT} | ${(trivialMs / 1000).toFixed(1)} s | ${perSecond(trivialMs)} | 1.0× |`,
  );
  console.log(
    `| asset workflow: catalogue row + start → ingest activity → \`stored\` | ${COUNT} | ${(assetMs / 1000).toFixed(1)} s | ${perSecond(assetMs)} | ${(assetMs / trivialMs).toFixed(1)}× |`,
  );
  console.log(
    `\nMemory of the process running the worker (and the API's service layer) with ${OPEN} open asset workflows:`,
  );
  console.log(
    `RSS ${mib(before.rss)} → ${mib(after.rss)}, V8 heap used ${mib(before.heapUsed)} → ${mib(after.heapUsed)} (after ${OPEN - COUNT - 1} more started in ${(openMs / 1000).toFixed(0)} s)`,
  );

  await workflows.close();
  await clientConnection.close();
  assetWorker.shutdown();
  trivialWorker.shutdown();
  await Promise.all(runs);
  await connection.close();
  await database.close();
  await temporal.teardown();
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
