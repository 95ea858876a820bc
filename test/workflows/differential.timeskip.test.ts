import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import fc from 'fast-check';
import { createActivities } from '../../activities';
import { FileBlobStore } from '../../blobstore/file-blob-store';
import { AssetRepository } from '../../catalogue/asset.repository';
import type { Database } from '../../catalogue/database';
import type { RuleSetPlan } from '../../rules/plan';
import { storageOn } from '../../runtime/catalogue';
import { installTemporalRuntimeOnce } from '../../runtime/worker';
import { ruleTaggingOnly } from '../../tagging/offline-tagging';
import { startTimeSkippingServer } from '../../toolchain/ephemeral-servers';
import { differences, observe, planFor, predict, scenarioArbitrary } from '../support/differential';
import { publishPlan } from '../support/published-plans';
import { openTestDatabase } from '../support/test-databases';
import { testWorkflowBundle } from '../support/test-env';

/** Scripts per CI run (ASSETFLOW_DIFFERENTIAL_RUNS overrides); bench/differential.bench.ts runs more. */
const RUNS = Number(process.env.ASSETFLOW_DIFFERENTIAL_RUNS ?? 12);
const SEED = Number(process.env.ASSETFLOW_DIFFERENTIAL_SEED ?? 20261130);

/**
 * What the editor predicts is what runs: generated rule-set variants (retention rules in several
 * orders and anchors, validity, cold tiering) and scripts of events (metadata, archive/restore,
 * delisting, end of production, freeze, legal hold, use, downloads by members and strangers of
 * each audience, approvals and their timeouts), each played through the real asset workflow on
 * the time-skipping server and through the dry-run. Same answers, states, timeline, timers and
 * dates, approvals and grants, or the test fails with the script and every difference.
 */
describe('the dry-run predicts what the workflow does', () => {
  let env: TestWorkflowEnvironment;
  let database: Database;
  let blobDir: string;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `differential-${randomUUID()}`;

  beforeAll(async () => {
    installTemporalRuntimeOnce();
    database = await openTestDatabase('embedded');
    blobDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-differential-'));
    env = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: testWorkflowBundle(),
      activities: createActivities({
        ...storageOn(database, blobDir),
        limits: { maxImagePixels: 100_000_000 },
        tagging: ruleTaggingOnly(),
      }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await database?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it(`agrees on ${RUNS} generated rule sets and scripts (seed ${SEED})`, async () => {
    const world = {
      env,
      taskQueue,
      assets: new AssetRepository(database.db),
      blobs: new FileBlobStore(blobDir),
      publish: (plan: RuleSetPlan) => publishPlan(database, plan),
    };
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const plan = planFor(scenario);
        const { t0, upload, observed } = await observe(world, plan, scenario);
        const found = differences(predict(plan, scenario, { t0, upload }), observed);
        if (found.length > 0) throw new Error(`${found.join('\n')}\nscript: ${JSON.stringify(scenario)}`);
      }),
      // Each run is a real workflow: no shrinking (it would replay many), the first failure is reported.
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 900_000);
});
