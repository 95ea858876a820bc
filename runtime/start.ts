import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import type { AppConfig } from '../config/config.schema';
import { Notices } from '../operations/notices';
import { IdentityService } from '../services/identity.service';
import { RuleSetService } from '../services/rule-set.service';
import { discardUnstartedUploads } from '../services/upload-recovery';
import { offlineTagging } from '../tagging/offline-tagging';
import { AssetWorkflows } from '../temporal/asset-workflows.client';
import { startAnchoring } from './audit-anchoring';
import { openBlobStore, openCatalogue, storageOn } from './catalogue';
import { type EmbeddedTemporal, startEmbeddedTemporal } from './embedded-temporal';
import { buildApp, listen } from './http-server';
import { createLogger } from './logger';
import { connectWorker, createAssetflowWorker, installTemporalRuntime } from './worker';
import { workerHeapAdvice } from './worker-heap';

export type Role = 'all' | 'worker' | 'server';

/** A temporary file this old belongs to no running write (uploads and renders take seconds). */
const ABANDONED_WRITE_AGE_MS = 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Longer than any upload takes between writing its rows and starting its workflow. */
const UPLOAD_IN_FLIGHT_MS = 10 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The composition root. `all` (npm start) runs everything in one process: the embedded Temporal
 * dev server when no address is configured, migrations, a worker and the HTTP API. `worker` and
 * `server` run one half each, for deployments across machines.
 */
export interface Running {
  stop(): Promise<void>;
  /**
   * Rejects when an embedded server this process started (PostgreSQL, the Temporal dev server)
   * exits by itself: Assetflow cannot go on without it, so the caller stops and exits non-zero.
   */
  failed: Promise<never>;
}

export async function start(config: AppConfig, role: Role): Promise<Running> {
  const logger = createLogger(config);
  const say = (message: string) => process.stdout.write(`${message}\n`);
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse())
      await s().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };

  const children: Array<Promise<string>> = [];
  installTemporalRuntime();
  try {
    let address = config.temporal.address;
    let embedded: EmbeddedTemporal | undefined;
    if (address === 'embedded') {
      if (role === 'server')
        throw new Error('The server role needs temporal.address (host:port); only `start` embeds Temporal.');
      say('Starting the embedded Temporal dev server…');
      embedded = await startEmbeddedTemporal(config, say);
      stops.push(() => embedded!.stop());
      address = embedded.address;
      const temporalExit = embedded.exited;
      children.push(temporalExit.then((how) => `the Temporal dev server stopped by itself (${how})`));
    }

    say(
      `Opening the catalogue (${config.database.url === 'embedded' ? `embedded PostgreSQL in ${config.database.dataDir}` : 'PostgreSQL'}) and running migrations…`,
    );
    const catalogue = await openCatalogue(config, { use: 'service', log: say });
    const storage = storageOn(catalogue.database, await openBlobStore(config.blobs));
    stops.push(() => storage.database.close());
    stops.push(() => storage.blobs.close());
    if (catalogue.embedded) {
      // Whether this process started it or borrowed it (a `worker` beside `npm start`).
      children.push(catalogue.embedded.exited.then((how) => `the embedded PostgreSQL stopped (${how})`));
    }
    const swept = await storage.blobs.sweepAbandoned(ABANDONED_WRITE_AGE_MS);
    if (swept > 0) say(`Removed ${swept} file(s) left by writes that were killed mid-way.`);
    // And again every hour while running: temporaries of a write still going are never touched.
    const sweeping = setInterval(() => {
      storage.blobs
        .sweepAbandoned(ABANDONED_WRITE_AGE_MS)
        .catch((error) => logger.warn({ err: error }, 'sweeping abandoned temporary files failed'));
    }, ABANDONED_WRITE_AGE_MS);
    sweeping.unref();
    stops.push(async () => clearInterval(sweeping));
    const admin = await new IdentityService(storage.identity).ensureAdministrator(process.env);
    if (admin?.generatedPassword) {
      // Not printed: whatever collects this process's output (a journal, a container log) would
      // keep it. Beside the audit key, readable by this user only.
      const file = path.join(path.dirname(config.audit.keyFile), 'initial-admin-password');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${admin.generatedPassword}\n`, { mode: 0o600 });
      say(
        `Created the administrator ${admin.email}; its password is in ${file} (readable by you only): sign in, change it, then delete the file.`,
      );
    } else if (admin)
      say(`Created the administrator ${admin.email} (password from ASSETFLOW_ADMIN_PASSWORD).`);
    const published = await new RuleSetService(storage.ruleSets).publishExamples();
    if (published.length > 0) say(`Published the shipped rule sets: ${published.join(', ')}`);

    let worker: Worker | undefined;
    let workerRun: Promise<void> | undefined;
    if (role === 'worker') {
      const advice = workerHeapAdvice();
      if (advice) say(advice);
    }
    if (role !== 'server') {
      say(`Starting the worker on task queue "${config.temporal.taskQueue}" (bundling workflows)…`);
      const tagging = offlineTagging(config.tagging, config.limits.maxImagePixels);
      stops.push(() => tagging.close());
      const connection = await connectWorker(address);
      worker = await createAssetflowWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        tuning: config.temporal.worker,
        activityDeps: {
          ...storage,
          limits: config.limits,
          tagging,
        },
      });
      workerRun = worker.run();
      stops.push(async () => {
        if (worker!.getState() === 'RUNNING') worker!.shutdown();
        await workerRun;
        await connection.close();
      });
    }

    let server: Server | undefined;
    if (role !== 'worker') {
      const workflows = AssetWorkflows.connectLazily(
        address,
        config.temporal.namespace,
        config.temporal.taskQueue,
      );
      stops.push(() => workflows.close());
      // With the embedded Temporal this process holds the data alone, so no upload is in flight.
      const inFlightFor = embedded ? 0 : UPLOAD_IN_FLIGHT_MS;
      const discarded = await discardUnstartedUploads(
        { assets: storage.assets, workflows },
        new Date(Date.now() - inFlightFor),
      );
      if (discarded > 0)
        say(`Removed ${discarded} upload(s) cut off before their workflow started (never acknowledged).`);
      // Pushed before the HTTP server's stop, so it runs after it: the last anchor follows the last event.
      const anchoring = await startAnchoring(config, storage.audit, logger, say);
      stops.push(() => anchoring.stop());
      server = await listen(buildApp(config, storage, workflows, logger), config);
      stops.push(
        () =>
          new Promise<void>((resolve) => {
            server!.close(() => resolve());
            // Live notification streams never end by themselves.
            server!.closeAllConnections();
          }),
      );
      // Link makers hear a day ahead that their links expire (once per link, whichever server runs it).
      const notices = new Notices(storage);
      const sweepExpiringShares = () =>
        notices
          .expiringShares(new Date(), DAY_MS)
          .catch((error: Error) => logger.warn({ err: error }, 'share expiry notices failed'));
      void sweepExpiringShares();
      const sweep = setInterval(sweepExpiringShares, HOUR_MS);
      sweep.unref();
      stops.push(async () => clearInterval(sweep));
    }

    say('');
    say('Assetflow is running.');
    if (server) {
      const { port } = server.address() as { port: number };
      say(`  Web app:          http://${config.http.host}:${port}/`);
      say(
        `  API:              http://${config.http.host}:${port}/api (reference: /api/docs, OpenAPI: /api/openapi.json, health: /api/health)`,
      );
    }
    say(`  Temporal:         ${address} (namespace ${config.temporal.namespace})`);
    if (embedded) say(`  Temporal Web UI:  ${embedded.uiUrl}`);
    say('Press Ctrl-C to stop.');
    const failed = Promise.race(children).then((why) => {
      throw new Error(why);
    });
    failed.catch(() => {}); // observed by the caller; never an unhandled rejection
    return { stop, failed };
  } catch (error) {
    await stop();
    throw error;
  }
}
