import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import type { AppConfig } from '../../config/config.schema';
import { type DeepPartial, loadConfig } from '../../config/load-config';
import { openBlobStore, type Storage, storageOn } from '../../runtime/catalogue';
import { buildApp } from '../../runtime/http-server';
import { createAssetflowWorker, installTemporalRuntimeOnce } from '../../runtime/worker';
import { IdentityService } from '../../services/identity.service';
import { RuleSetService } from '../../services/rule-set.service';
import { offlineTagging, ruleTaggingOnly } from '../../tagging/offline-tagging';
import { AssetWorkflows } from '../../temporal/asset-workflows.client';
import { type BlobStoreKind, freshBuckets, testS3Client, testS3Settings } from './blob-stores';
import { type DatabaseKind, openTestDatabase } from './test-databases';
import { testTemporalAddress, testWorkflowBundle } from './test-env';

export interface Harness {
  app: ReturnType<typeof buildApp>;
  config: AppConfig;
  /** A configuration file with this harness's catalogue and blob store, for commands run beside it. */
  configFile: string;
  /** Where the blobs are: the file system, or buckets of the run's S3 server. */
  blobKind: BlobStoreKind;
  storage: Storage;
  workflows: AssetWorkflows;
  /** PostgreSQL URL of this harness's catalogue, for other processes. */
  databaseUrl: string;
  /** The API as the harness's administrator (every request carries their API token). */
  http: ReturnType<typeof request.agent>;
  /**
   * Headers that make a request come from the user `<name>@example.test` holding exactly these
   * roles (and teams, written `team:<name>`): a real user with a real API token, made on first use.
   */
  as(name: string, ...rolesAndTeams: string[]): Promise<{ Authorization: string }>;
  /** The user id behind `as(name)`. */
  userId(name: string): Promise<string>;
  /** Starts a(nother) worker on the harness's task queue; stopped by `close` if still running. */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Temporal address; the run's dev server by default. */
  temporalAddress?: string;
  /** Start a worker (default true); false for tests where Temporal is meant to be unreachable. */
  worker?: boolean;
  config?: DeepPartial<AppConfig>;
  /**
   * Run the object detector and OCR at ingest (default false: they add ≈ 0.5 s per image and
   * are tested where tagging is the subject; the rule taggers always run).
   */
  aiTagging?: boolean;
  /** For the Java time-skipping server, which limits workflows started without one to 10 years. */
  workflowExecutionTimeout?: string;
  /**
   * The blob store: by default the file system with the embedded PostgreSQL (what `npm start`
   * runs) and S3 with an external PostgreSQL (what several machines run), so the suite covers both.
   */
  blobs?: BlobStoreKind;
}

/**
 * The whole product wired as `npm start` wires it, on real parts: a catalogue of the given kind,
 * a blob store (a temporary directory, or fresh buckets on the run's S3 server), a worker on its
 * own task queue and the HTTP app.
 */
export async function startHarness(kind: DatabaseKind, options: HarnessOptions = {}): Promise<Harness> {
  installTemporalRuntimeOnce();
  const address = options.temporalAddress ?? testTemporalAddress();
  const blobDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-blobs-'));
  const taskQueue = `test-${randomUUID()}`;
  const blobKind = options.blobs ?? (kind === 'postgres' ? 's3' : 'file');
  const bucketAdmin = blobKind === 's3' ? testS3Client() : undefined;
  const buckets = bucketAdmin && (await freshBuckets(bucketAdmin, 2));
  const s3 = buckets && {
    ...testS3Settings(buckets),
    // A test's own S3 settings (downloads handed to the store, …) on these buckets.
    ...options.config?.blobs?.s3,
  };
  const config = loadConfig({
    file: path.join(blobDir, 'no-config-file.yaml'),
    env: {},
    overrides: {
      ...options.config,
      temporal: { address, taskQueue },
      blobs: { dir: blobDir, ...(s3 ? { s3 } : {}) },
      log: { level: 'silent' },
    },
  });
  const database = await openTestDatabase(kind);
  const configFile = path.join(blobDir, 'harness-config.json');
  writeFileSync(configFile, JSON.stringify({ database: { url: database.url }, blobs: config.blobs }));
  const storage: Storage = storageOn(database, await openBlobStore(config.blobs));
  await new RuleSetService(storage.ruleSets).publishExamples();

  const workers: Array<{ worker: Worker; run: Promise<void>; connection: NativeConnection }> = [];
  // One model thread per harness, shared by its workers (as one worker process would have).
  const tagging = options.aiTagging
    ? offlineTagging(config.tagging, config.limits.maxImagePixels)
    : ruleTaggingOnly();
  const startWorker = async () => {
    const connection = await NativeConnection.connect({ address });
    const worker = await createAssetflowWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      activityDeps: {
        ...storage,
        limits: config.limits,
        tagging,
      },
      workflowBundle: testWorkflowBundle(),
    });
    workers.push({ worker, run: worker.run(), connection });
  };
  if (options.worker !== false) await startWorker();
  const workflows = AssetWorkflows.connectLazily(
    address,
    config.temporal.namespace,
    taskQueue,
    options.workflowExecutionTimeout,
  );
  const app = buildApp(config, storage, workflows, pino({ level: 'silent' }));
  const people = testPeople(storage);
  const http = request.agent(app).set(await people.as('admin', 'admin'));

  return {
    app,
    config,
    configFile,
    blobKind,
    storage,
    workflows,
    databaseUrl: database.url,
    http,
    as: people.as,
    userId: people.userId,
    startWorker,
    close: async () => {
      await workflows.close();
      for (const { worker, run, connection } of workers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await run;
        await connection.close();
      }
      await tagging.close();
      await database.close();
      await storage.blobs.close();
      await buckets?.drop();
      bucketAdmin?.destroy();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

/** Users made on demand for tests, each with an API token, through the identity service. */
function testPeople(storage: Storage) {
  const identity = new IdentityService(storage.identity);
  // Promises, so concurrent first uses of a name make one user.
  const known = new Map<string, Promise<{ id: string; token: string; key: string }>>();
  const as = async (name: string, ...rolesAndTeams: string[]) => {
    const roles = rolesAndTeams.filter((r) => !r.startsWith('team:'));
    const teams = rolesAndTeams.filter((r) => r.startsWith('team:')).map((t) => t.slice(5));
    const key = `${[...roles].sort().join(',')}|${[...teams].sort().join(',')}`;
    let made = known.get(name);
    if (!made) {
      made = (async () => {
        const user = await identity.createUser({
          email: `${name}@example.test`,
          name,
          password: `${name}-password-for-tests`,
          roles,
          teams,
        });
        const { token } = await identity.createToken(user.id, 'tests');
        return { id: user.id, token, key };
      })();
      known.set(name, made);
    }
    const person = await made;
    if (person.key !== key) {
      // People change roles; the next request sees the new ones (tokens resolve per request).
      person.key = key;
      await storage.identity.setRolesAndTeams(person.id, roles, teams);
    }
    return { Authorization: `Bearer ${person.token}` };
  };
  const userId = async (name: string) => {
    if (!known.has(name)) await as(name);
    return (await known.get(name)!).id;
  };
  return { as, userId };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
/** What the harness's blob store holds in its temporary area (uploads not yet committed). */
export function tmpFilesOf(harness: Harness): string[] {
  try {
    return readdirSync(path.join(harness.config.blobs.dir, 'tmp'));
  } catch {
    return [];
  }
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface WaitUntilStoredOptions {
  /** Also wait until the latest version is this one and its analysis is written. */
  version?: number;
  timeoutMs?: number;
}

/** Polls the stored asset until the models that run after `stored` have reported on its latest version. */
export function waitUntilEnriched(harness: Harness, id: string, timeoutMs?: number) {
  return eventually(async () => {
    const body = (await harness.http.get(`/api/assets/${id}`)).body;
    const enrichment = body.latestVersion?.analysis?.enrichment;
    return body.state === 'stored' && enrichment && enrichment.state !== 'pending' ? body : undefined;
  }, timeoutMs);
}

/** Polls the asset until its workflow has moved it to `stored`; resolves to the asset as the API shows it. */
export function waitUntilStored(
  harness: Harness,
  id: string,
  { version, timeoutMs }: WaitUntilStoredOptions = {},
) {
  return eventually(async () => {
    const body = (await harness.http.get(`/api/assets/${id}`)).body;
    if (body.state !== 'stored') return undefined;
    if (version === undefined) return body;
    return body.latestVersion.version === version && body.latestVersion.analysis ? body : undefined;
  }, timeoutMs);
}
