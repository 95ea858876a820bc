/**
 * The differential check at scale: how many generated rule-set variants and event scripts end the
 * same way in the real asset workflow (time-skipping server, real worker, activities, catalogue
 * and blob store) and in the dry-run. CI runs a bounded number of them as a test
 * (test/workflows/differential.timeskip.test.ts); this runs more and reports every disagreement.
 *
 *   npx tsx bench/differential.bench.ts [scripts=200] [seed=1]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import fc from 'fast-check';
import { createActivities } from '../activities';
import { FileBlobStore } from '../blobstore/file-blob-store';
import { AssetRepository } from '../catalogue/asset.repository';
import type { RuleSetPlan } from '../rules/plan';
import { storageOn } from '../runtime/catalogue';
import { installTemporalRuntimeOnce } from '../runtime/worker';
import { ruleTaggingOnly } from '../tagging/offline-tagging';
import { differences, observe, planFor, predict, scenarioArbitrary } from '../test/support/differential';
import { publishPlan } from '../test/support/published-plans';
import { startTimeSkippingServer } from '../toolchain/ephemeral-servers';
import { openBenchDatabase } from './bench-database';

async function main() {
  const scripts = Number(process.argv[2] ?? 200);
  const seed = Number(process.argv[3] ?? 1);
  installTemporalRuntimeOnce();
  const database = await openBenchDatabase();
  const blobDir = mkdtempSync(path.join(os.tmpdir(), 'assetflow-differential-bench-'));
  const env = await startTimeSkippingServer();
  const taskQueue = `differential-bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
    }),
    activities: createActivities({
      ...storageOn(database, blobDir),
      limits: { maxImagePixels: 100_000_000 },
      tagging: ruleTaggingOnly(),
    }),
  });
  const running = worker.run();
  const world = {
    env,
    taskQueue,
    assets: new AssetRepository(database.db),
    blobs: new FileBlobStore(blobDir),
    publish: (plan: RuleSetPlan) => publishPlan(database, plan),
  };
  const started = Date.now();
  let agreed = 0;
  const disagreements: string[] = [];
  try {
    for (const [i, scenario] of fc.sample(scenarioArbitrary, { numRuns: scripts, seed }).entries()) {
      const plan = planFor(scenario);
      const { t0, upload, observed } = await observe(world, plan, scenario);
      const found = differences(predict(plan, scenario, { t0, upload }), observed);
      if (found.length === 0) agreed += 1;
      else disagreements.push(`script ${i}: ${found.join('; ')}\n  ${JSON.stringify(scenario)}`);
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
    await database.close();
    rmSync(blobDir, { recursive: true, force: true });
  }
  const events = fc
    .sample(scenarioArbitrary, { numRuns: scripts, seed })
    .reduce((n, s) => n + s.steps.length, 0);
  console.log(`differential check (seed ${seed}, catalogue on ${database.label})`);
  console.log(`  scripts: ${scripts}, events: ${events}, agreed: ${agreed}, disagreed: ${scripts - agreed}`);
  console.log(`  ${((Date.now() - started) / scripts).toFixed(0)} ms per script (workflow run + dry-run)`);
  for (const d of disagreements) console.log(d);
  if (agreed !== scripts) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
