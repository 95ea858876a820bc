import fc from 'fast-check';
import { differences, observe, planFor, predict, scenarioArbitrary } from '../support/differential';
import { timeSkippingWorld } from '../support/time-skipping-world';

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
  const world = timeSkippingWorld('differential');

  it(`agrees on ${RUNS} generated rule sets and scripts (seed ${SEED})`, async () => {
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
