import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { publishPlan } from './published-plans';
import { openTestDatabase } from './test-databases';
import { testWorkflowBundle } from './test-env';

/** A time-skipping server with a worker running the real workflows and activities on a catalogue and blob store. */
export interface TimeSkippingWorld {
  env: TestWorkflowEnvironment;
  database: Database;
  taskQueue: string;
  assets: AssetRepository;
  blobs: FileBlobStore;
  /** Publishes a plan in the catalogue (continued runs and approvals load it); answers its version. */
  publish(plan: RuleSetPlan): Promise<number>;
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
