import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { AssetRepository } from '../../catalogue/asset.repository';
import type { Database } from '../../catalogue/database';
import type { RuleSetPlan } from '../../rules/plan';
import { storageOn } from '../../runtime/catalogue';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { ruleTaggingOnly } from '../../tagging/offline-tagging';
import { startTimeSkippingServer } from '../../toolchain/ephemeral-servers';
import { getLifecycleQuery, type LifecycleView } from '../../workflows/messages';
import { eventually } from './harness';
import { makeJpeg } from './images';
import { publishPlan } from './published-plans';
import { openTestDatabase } from './test-databases';
import { testWorkflowBundle } from './test-env';

/** What starting and watching an asset's workflow needs: a server, its task queue, a catalogue and blob store. */
export interface AssetWorld {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  assets: AssetRepository;
  blobs: FileBlobStore;
  /** Publishes a plan in the catalogue (continued runs and approvals load it); answers its version. */
  publish(plan: RuleSetPlan): Promise<number>;
}

/** A time-skipping server with a worker running the real workflows and activities on a catalogue and blob store. */
export interface TimeSkippingWorld extends AssetWorld {
  database: Database;
}

/**
 * Registers the suite's `beforeAll`/`afterAll` that start and stop one world; its fields are set
 * once `beforeAll` has run.
 */
export function timeSkippingWorld(name: string): TimeSkippingWorld {
  const world = { taskQueue: `${name}-${randomUUID()}` } as TimeSkippingWorld;
  let blobDir = '';
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    installTemporalRuntimeOnce();
    world.database = await openTestDatabase('embedded');
    blobDir = mkdtempSync(path.join(os.tmpdir(), `assetflow-${name}-`));
    world.assets = new AssetRepository(world.database.db);
    world.blobs = new FileBlobStore(blobDir);
    world.publish = (plan) => publishPlan(world.database, plan);
    world.env = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: world.env.nativeConnection,
      taskQueue: world.taskQueue,
      workflowBundle: testWorkflowBundle(),
      activities: createActivities({
        ...storageOn(world.database, blobDir),
        limits: { maxImagePixels: 100_000_000 },
        tagging: ruleTaggingOnly(),
      }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await world.env?.teardown();
    await world.database?.close();
    if (blobDir) rmSync(blobDir, { recursive: true, force: true });
  });
  return world;
}

/**
 * An uploaded asset as the API would record it — a JPEG in the blob store, its catalogue row, its
 * plan published — with its workflow started (not yet waited for).
 */
export async function startAsset(
  world: AssetWorld,
  plan: RuleSetPlan,
  asset: {
    name: string;
    metadata: Record<string, unknown>;
    uploadedBy: string;
    size: [number, number];
    rgb: [number, number, number];
  },
) {
  const ruleSetVersion = await world.publish(plan);
  const pending = await world.blobs.write(Readable.from(await makeJpeg(...asset.size, asset.rgb)));
  await pending.commit();
  await pending.discard();
  const assetId = randomUUID();
  const { name, metadata, uploadedBy } = asset;
  await world.assets.create({
    id: assetId,
    workflowId: `asset-${assetId}`,
    displayName: name,
    ruleSet: plan.name,
    ruleSetVersion,
    metadata,
    blob: { sha256: pending.sha256, sizeBytes: pending.sizeBytes },
    declaredMediaType: 'image/jpeg',
  });
  const handle = await world.env.client.workflow.start('assetLifecycle', {
    taskQueue: world.taskQueue,
    workflowId: `asset-${assetId}`,
    args: [{ assetId, ruleSet: plan.name, ruleSetVersion, version: 1, plan, name, metadata, uploadedBy }],
    // The Java test server gives workflows without an execution timeout a default of 10 years
    // (a real server has none); these assets must outlive that.
    workflowExecutionTimeout: '50 years',
  });
  return { handle, assetId, sha256: pending.sha256, sizeBytes: pending.sizeBytes };
}

/**
 * The workflow's view, retried with a deadline: a query that reaches the Java test server while
 * the run continues as new can go unanswered, and one without a deadline then waits forever.
 */
export function lifecycleView(env: TestWorkflowEnvironment, handle: WorkflowHandle): Promise<LifecycleView> {
  return eventually(() =>
    env.connection
      .withDeadline(Date.now() + 3000, () => handle.query(getLifecycleQuery))
      .catch(() => undefined),
  );
}
