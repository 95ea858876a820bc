/**
 * Ingest benchmark: what does Assetflow's upload path cost compared with raw sharp doing the same
 * cheap image work in memory (hash, header, 64-px colour sample, 32-px greyscale for the pHash,
 * 320-px WebP thumbnail, and the four region hashes of the near-duplicate check), and with
 * Temporal alone running a one-activity workflow, measured in the same run?
 *
 *   npm run bench -- ingest [count]
 *
 * Prints one row per stage with per-image time and the ratios to both raw-sharp baselines.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import pino from 'pino';
import sharp from 'sharp';
import { FileBlobStore } from '../blobstore/file-blob-store';
import { loadConfig } from '../config/load-config';
import { ingestFile } from '../ingest/ingest-version';
import { RenditionCache } from '../operations/rendition-cache';
import { DEFAULT_THUMBNAIL } from '../rules/ingest-options';
import { storageOn } from '../runtime/catalogue';
import { buildApp } from '../runtime/http-server';
import { connectWorker, createAssetflowWorker, installTemporalRuntime } from '../runtime/worker';
import { IdentityService } from '../services/identity.service';
import { RuleSetService } from '../services/rule-set.service';
import { offlineTagging, ruleTaggingOnly } from '../tagging/offline-tagging';
import { AssetWorkflows } from '../temporal/asset-workflows.client';
import { startTestDevServer } from '../toolchain/ephemeral-servers';
import { openBenchDatabase } from './bench-database';
import { makePhotoJpeg } from './bench-photos';

const COUNT = Number(process.argv[2] ?? 40);
async function time(label: string, work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  process.stderr.write(`  ${label}: ${ms.toFixed(0)} ms\n`);
  return ms;
}

/**
 * `bench/trivial.workflow.ts` on a worker of its own: `run(n)` executes COUNT of them, n at a time
 * (after one warm-up run here).
 */
async function oneActivityWorkflows(connection: NativeConnection, address: string) {
  const worker = await Worker.create({
    connection,
    taskQueue: 'bench-trivial',
    workflowsPath: require.resolve('./trivial.workflow'),
    activities: { noop: async () => {} },
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  let runs = 0;
  const once = () =>
    client.workflow.execute('trivialWorkflow', {
      taskQueue: 'bench-trivial',
      workflowId: `bench-trivial-${runs++}`,
    });
  await once();
  return {
    async run(concurrency: number) {
      let left = COUNT;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left-- > 0) await once();
        }),
      );
    },
    async close() {
      worker.shutdown();
      await running;
      await clientConnection.close();
    },
  };
}

async function main() {
  installTemporalRuntime();
  process.stderr.write(`Generating 3 × ${COUNT} 2-MP JPEGs from the test photographs (3 more sets later)…\n`);
  // Distinct sets, so no stage finds the previous one's thumbnails in the rendition cache.
  const sets = await Promise.all(
    [0, 1, 2].map((set) =>
      Promise.all(Array.from({ length: COUNT }, (_, i) => makePhotoJpeg(set * COUNT + i))),
    ),
  );
  const [images, sequentialImages, concurrentImages] = sets as [Buffer[], Buffer[], Buffer[]];
  const totalMB = images.reduce((n, b) => n + b.length, 0) / 1e6;

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'assetflow-bench-'));
  const temporal = await startTestDevServer();
  const database = await openBenchDatabase();
  const blobs = new FileBlobStore(path.join(scratch, 'blobs'));
  const config = loadConfig({
    file: path.join(scratch, 'none.yaml'),
    env: {},
    overrides: {
      temporal: { address: temporal.address, taskQueue: 'bench' },
      blobs: { dir: blobs.root },
      log: { level: 'silent' },
      http: { port: 0 },
    },
  });
  // Product defaults: rule taggers, the object detector and OCR, models loaded on first use.
  const tagging = offlineTagging(config.tagging, config.limits.maxImagePixels);
  const ruleOnly = ruleTaggingOnly();
  const rssBefore = process.memoryUsage().rss;
  const connection = await connectWorker(temporal.address);
  /** A worker on the bench's task queue with these taggers, until the returned function stops it. */
  const startWorker = async (withTagging: typeof tagging) => {
    const worker = await createAssetflowWorker({
      connection,
      namespace: 'default',
      taskQueue: 'bench',
      activityDeps: { ...storageOn(database, blobs.root), limits: config.limits, tagging: withTagging },
    });
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
    };
  };
  // The cheap path first: a worker without models (configuration `tagging: {objects: false, text: false}`).
  let stopWorker = await startWorker(ruleOnly);
  const workflows = AssetWorkflows.connectLazily(temporal.address, 'default', 'bench');
  await new RuleSetService(storageOn(database, blobs.root).ruleSets).publishExamples();
  const app = buildApp(config, storageOn(database, blobs.root), workflows, pino({ level: 'silent' }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // Every API call is signed in: an administrator's API token, as a script uploading would use.
  const identity = new IdentityService(storageOn(database, blobs.root).identity);
  const signedIn = async (name: string) => {
    const user = await identity.createUser({
      email: `${name}@example.test`,
      name,
      password: 'bench-password-not-used-to-sign-in',
      roles: ['admin'],
    });
    return { Authorization: `Bearer ${(await identity.createToken(user.id, 'bench')).token}` };
  };
  const auth = await signedIn('bench');
  // A second uploader: one person may stream 4 uploads at once (server/uploads-in-flight.ts).
  const otherAuth = await signedIn('bench2');

  const postMs: number[] = [];
  /** Uploads and waits until the asset is `stored` or, with `enriched`, until its models reported. */
  const upload = async (image: Buffer, i: number, until: 'stored' | 'enriched' = 'stored', as = auth) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), `bench-${i}.jpg`);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/assets`, { method: 'POST', body: form, headers: as });
    postMs.push(performance.now() - t0);
    if (res.status !== 201) throw new Error(`upload ${i}: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    // Watched in the catalogue (what GET /api/assets/:id reads) rather than over HTTP, so the
    // polling costs the server under test next to nothing.
    for (;;) {
      const { rows } = await sql<{ state: string; enrichment: string | null }>`
        SELECT a.state, v.analysis->'enrichment'->>'state' AS enrichment
          FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.current_version
         WHERE a.id = ${id}`.execute(database.db);
      const asset = rows[0];
      if (asset?.state === 'stored' && (until === 'stored' || asset.enrichment !== 'pending')) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  process.stderr.write(`Measuring (${COUNT} images, ${totalMB.toFixed(1)} MB)…\n`);
  // Warm-up: the first workflow task loads the bundle, the first sharp call loads libvips.
  await upload(await makePhotoJpeg(-1), -1);

  const baseline = await time('baseline: raw sharp, the same image operations, in memory', async () => {
    for (const image of images) {
      createHash('sha256').update(image).digest('hex');
      await sharp(image).metadata();
      await sharp(image).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
      await sharp(image).greyscale().resize(32, 32, { fit: 'fill' }).raw().toBuffer();
      await sharp(image).resize(320, 320, { fit: 'inside' }).webp({ quality: 80 }).toBuffer();
    }
  });
  // The upload also computes four region hashes for crop-robust duplicates (imaging/visual-features.ts):
  // one decode to a 512-px greyscale intermediate, then four centred crops resampled to 32 × 32.
  const regions = await time('raw sharp: the four region hashes, in memory', async () => {
    for (const image of images) {
      const { data, info } = await sharp(image)
        .rotate()
        .greyscale()
        .resize(512, 512, { fit: 'inside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      for (const scale of [100, 95, 90, 85]) {
        const width = Math.round((info.width * scale) / 100);
        const height = Math.round((info.height * scale) / 100);
        await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
          .extract({
            left: Math.round((info.width - width) / 2),
            top: Math.round((info.height - height) / 2),
            width,
            height,
          })
          .resize(32, 32, { fit: 'fill', kernel: 'cubic' })
          .greyscale()
          .raw()
          .toBuffer();
      }
    }
  });
  const storage = storageOn(database, blobs.root);
  const renditions = new RenditionCache({
    blobs,
    renditions: storage.renditions,
    maxImagePixels: config.limits.maxImagePixels,
  });
  const ingestAll = (withTagging: typeof tagging, thumbnail: typeof DEFAULT_THUMBNAIL) => async () => {
    for (const image of images) {
      const pending = await blobs.write(Readable.from([image]));
      await pending.commit();
      await ingestFile(
        { sha256: pending.sha256, file: blobs.pathOf(pending.sha256) },
        {
          thumbnail,
          brandPalette: null,
          autoTagging: { objects: true, colours: true, exif: true, text: true },
        },
        { renditions, tagging: withTagging, maxImagePixels: config.limits.maxImagePixels },
      );
    }
  };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const storeAndIngest = await time(
    'blob store + ingest, rule taggers only',
    ingestAll(ruleOnly, DEFAULT_THUMBNAIL),
  );
  // Another thumbnail size, so the second pass renders again instead of hitting the cache.
  loopDelay.enable();
  const withAi = await time(
    'blob store + ingest with object detection and OCR',
    ingestAll(tagging, { name: 'thumbnail', preset: { ...DEFAULT_THUMBNAIL.preset, width: 321 } }),
  );
  loopDelay.disable();
  const rssWithModels = process.memoryUsage().rss;
  /** Uploads `set` and waits for each as `until` says: one at a time, or 8 at once from two people. */
  const uploadAll =
    (set: Buffer[], offset: number, concurrency: 1 | 8, until: 'stored' | 'enriched' = 'stored') =>
    async () => {
      const queue = [...set.entries()];
      await Promise.all(
        Array.from({ length: concurrency }, async (_, lane) => {
          for (let next = queue.shift(); next; next = queue.shift())
            await upload(next[1], offset + next[0], until, lane % 2 === 0 ? auth : otherAuth);
        }),
      );
    };
  // The floor under any upload: a workflow that runs one no-op activity, started and awaited — no
  // HTTP, no catalogue, no image. What Temporal alone costs per upload here, the same two ways,
  // and one at a time on a dev server with the server's defaults (eager activity execution off),
  // to show what toolchain/dev-server-settings.ts buys.
  const floor = await oneActivityWorkflows(connection, temporal.address);
  const floorSequential = await time('one-activity workflow, one at a time', () => floor.run(1));
  const floorConcurrent = await time('one-activity workflow, 8 at a time', () => floor.run(8));
  await floor.close();
  const plainTemporal = await startTestDevServer(undefined, { serverDefaults: true });
  const plainConnection = await connectWorker(plainTemporal.address);
  const plainFloor = await oneActivityWorkflows(plainConnection, plainTemporal.address);
  const plainSequential = await time('one-activity workflow, server defaults, one at a time', () =>
    plainFloor.run(1),
  );
  await plainFloor.close();
  await plainConnection.close();
  await plainTemporal.teardown();

  const cheapSequential = await time(
    'HTTP upload → stored, worker without models, one at a time',
    uploadAll(sequentialImages, 0, 1),
  );
  const cheapConcurrent = await time(
    'HTTP upload → stored, worker without models, 8 at a time',
    uploadAll(concurrentImages, COUNT, 8),
  );
  await stopWorker();
  stopWorker = await startWorker(tagging);
  // New pictures for each stage below: the rendition cache must not answer for them.
  const modelSets = await Promise.all(
    [3, 4, 5].map((k) => Promise.all(Array.from({ length: COUNT }, (_, i) => makePhotoJpeg(k * COUNT + i)))),
  );
  /** Waits until no version's models are still running, so a stage does not pay for the last one's. */
  const modelsIdle = async () => {
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM asset_versions WHERE analysis->'enrichment'->>'state' = 'pending'`.execute(
        database.db,
      );
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  // The models load on the first picture they see: not part of any stage.
  await upload(await makePhotoJpeg(-2), -2, 'enriched');
  const sequential = await time(
    'HTTP upload → stored, worker with models (they run after stored), one at a time',
    uploadAll(modelSets[0]!, 2 * COUNT, 1),
  );
  await modelsIdle();
  const concurrent = await time(
    'HTTP upload → stored, worker with models, 8 at a time',
    uploadAll(modelSets[1]!, 3 * COUNT, 8),
  );
  await modelsIdle();
  const enriched = await time(
    'HTTP upload → stored → models done, one at a time',
    uploadAll(modelSets[2]!, 4 * COUNT, 1, 'enriched'),
  );

  process.stderr.write(
    `  mean POST /api/assets response: ${(postMs.reduce((a, b) => a + b, 0) / postMs.length).toFixed(1)} ms\n`,
  );
  // The upload's cheap image work is the baseline's operations plus the region hashes.
  const cheapWork = baseline + regions;
  const row = (name: string, ms: number) =>
    `| ${name} | ${(ms / COUNT).toFixed(1)} ms | ${((COUNT * 1000) / ms).toFixed(1)} | ${(ms / cheapWork).toFixed(1)}× | ${(ms / baseline).toFixed(1)}× |`;
  console.log(
    `\nIngest of ${COUNT} 2-MP JPEGs (${(totalMB / COUNT).toFixed(2)} MB each), ${database.label}, ${os.cpus().length} cores\n`,
  );
  console.log(
    '| stage | per image | images/s | vs raw sharp, all the cheap work | vs raw sharp without region hashes |',
  );
  console.log('|---|---|---|---|---|');
  console.log(row('raw sharp: sha256, header, colour sample, pHash, thumbnail (in memory)', baseline));
  console.log(row('raw sharp: the above and the four region hashes (in memory)', cheapWork));
  console.log(
    row(
      "Temporal alone, the server's defaults (no eager activities): a one-activity workflow started and awaited, sequential",
      plainSequential,
    ),
  );
  console.log(
    row('Temporal alone: a one-activity workflow started and awaited, sequential', floorSequential),
  );
  console.log(
    row('Temporal alone: a one-activity workflow started and awaited, 8 concurrent', floorConcurrent),
  );
  console.log(row('blob store + ingest, rule taggers only (no Temporal)', storeAndIngest));
  console.log(row('blob store + ingest with object detection + OCR (no Temporal)', withAi));
  console.log(row('HTTP upload → workflow → `stored`, worker without models, sequential', cheapSequential));
  console.log(row('HTTP upload → workflow → `stored`, worker without models, 8 concurrent', cheapConcurrent));
  console.log(row('HTTP upload → workflow → `stored`, worker with models, sequential', sequential));
  console.log(row('HTTP upload → workflow → `stored`, worker with models, 8 concurrent', concurrent));
  console.log(row('HTTP upload → `stored` → models done (`enrichment: done`), sequential', enriched));
  console.log(
    `\nMain-thread event-loop delay during ingest with models: p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms (the models run in their own thread).`,
  );
  console.log(
    `Process RSS: ${(rssBefore / 2 ** 20).toFixed(0)} MiB before the worker, ${(rssWithModels / 2 ** 20).toFixed(0)} MiB with the object and OCR models loaded and used.`,
  );

  await new Promise((r) => server.close(r));
  await workflows.close();
  await stopWorker();
  await connection.close();
  await tagging.close();
  await database.close();
  await temporal.teardown();
  rmSync(scratch, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
