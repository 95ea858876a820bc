import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEvent } from '../../lifecycle/engine';
import { ENGINE_REVISION, type EngineState, type LifecycleEvent } from '../../lifecycle/model';
import { newAssetState } from '../../lifecycle/state';
import { compileRuleSet, type RuleSetPlan } from '../../rules';

/** Driving the pure lifecycle engine in unit tests: the shipped plans, a new asset, events in order. */

export const T0 = '2026-03-01T09:00:00.000Z';
export const IMAGE = { kind: 'image', format: 'jpeg', width: 10, height: 10 } as const;

/** A shipped example rule set (rules/examples/<name>.yaml), compiled. */
export const examplePlan = (name: string): RuleSetPlan =>
  compileRuleSet(readFileSync(path.join(__dirname, '..', '..', 'rules', 'examples', `${name}.yaml`), 'utf8'))
    .plan!;

/** Applies events in order at `at`, failing the test on a refusal. */
export function play(plan: RuleSetPlan, s: EngineState, events: LifecycleEvent[], at = T0): EngineState {
  for (const event of events) {
    const outcome = applyEvent(s, event, plan, at);
    if (!outcome.ok) throw new Error(`${event.type} refused: ${outcome.refusal.code}`);
    s = outcome.state;
  }
  return s;
}

/** A just-uploaded asset `a1` (uploaded by ann) under the current engine revision. */
export const freshAsset = (ruleSet: string, metadata: Record<string, unknown> = {}, name = 'photo.jpg') =>
  newAssetState(
    { assetId: 'a1', ruleSet, version: 1, name, metadata, uploadedBy: 'ann' },
    T0,
    ENGINE_REVISION,
  );
