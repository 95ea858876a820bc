import type { LifecycleState } from '../domain/asset';
import type { RuleSetPlan } from '../rules/plan';
import { lifecycleFacts } from './asset-rules';
import { applyEvent, timersOf } from './engine';
import { resumeState } from './state';
import { decideRetention, type LifecycleTimer } from './timers';

/**
 * What moving one asset from one version of its rule set to another would change, in words a
 * person can check before anything moves: "retention P3Y → P5Y: purge 2029-03-08 → 2031-03-08".
 * Computed by giving the engine the same `migrate` event the asset's workflow would get, on a copy
 * of the state the workflow reports, and comparing before with after.
 */
export interface MigrationChange {
  kind: 'timer' | 'retention' | 'required-fields' | 'freeze' | 'refused';
  description: string;
  before: string | null;
  after: string | null;
}

const TIMER_NAMES: Record<LifecycleTimer['kind'], string> = {
  validity: 'take-down (validity)',
  'cold-tier': 'move to cold storage',
  retention: 'purge (retention)',
  'rights-notice': 'notice that the rights end',
  'rights-expiry': 'distribution stops (rights end)',
};

export function previewMigration(
  from: RuleSetPlan,
  to: { plan: RuleSetPlan; version: number },
  state: LifecycleState,
  now: string,
): MigrationChange[] {
  const before = resumeState(state);
  const outcome = applyEvent(
    before,
    { type: 'migrate', version: to.version, plan: to.plan, by: 'preview' },
    from,
    now,
  );
  if (!outcome.ok)
    return [
      { kind: 'refused', description: outcome.refusal.message, before: null, after: outcome.refusal.code },
    ];
  const after = outcome.state;
  const changes: MigrationChange[] = [];
  const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : null);

  const timersBefore = timersOf(before, from, now);
  const timersAfter = timersOf(after, to.plan, now);
  for (const kind of ['validity', 'cold-tier', 'retention'] as const) {
    const b = timersBefore.find((t) => t.kind === kind)?.at;
    const a = timersAfter.find((t) => t.kind === kind)?.at;
    if (b !== a)
      changes.push({
        kind: 'timer',
        description: `${TIMER_NAMES[kind]}: ${day(b) ?? 'none'} → ${day(a) ?? 'none'}`,
        before: b ?? null,
        after: a ?? null,
      });
  }

  const retentionBefore = decideRetention(from, lifecycleFacts(before), now);
  const retentionAfter = decideRetention(to.plan, lifecycleFacts(after), now);
  const keepOf = (plan: RuleSetPlan, rule: number | undefined) =>
    rule === undefined ? null : (plan.archive.retention[rule]?.keep ?? null);
  const keepBefore = keepOf(from, retentionBefore.rule);
  const keepAfter = keepOf(to.plan, retentionAfter.rule);
  if (keepBefore !== keepAfter || retentionBefore.outcome !== retentionAfter.outcome) {
    const purge =
      retentionAfter.at || retentionBefore.at
        ? `: purge ${day(retentionBefore.at) ?? 'never'} → ${day(retentionAfter.at) ?? 'never'}`
        : '';
    changes.push({
      kind: 'retention',
      description: `retention ${keepBefore ?? 'none'} → ${keepAfter ?? 'none'}${purge}`,
      before: keepBefore,
      after: keepAfter,
    });
  }

  const missingBefore = [...before.compliance.missingFields].sort().join(', ');
  const missingAfter = [...after.compliance.missingFields].sort().join(', ');
  if (missingBefore !== missingAfter)
    changes.push({
      kind: 'required-fields',
      description: `missing required fields: ${missingBefore || 'none'} → ${missingAfter || 'none'}`,
      before: missingBefore || null,
      after: missingAfter || null,
    });

  if (!before.frozen && after.frozen)
    changes.push({
      kind: 'freeze',
      description: `frozen by a freeze trigger of the new version: ${after.frozen.reason}`,
      before: null,
      after: after.frozen.reason,
    });
  return changes;
}
