import {
  decideRetention,
  type LifecycleFacts,
  type LifecycleTimer,
  lifecycleTimers,
} from './lifecycle-timers';
import type { RuleSetPlan } from './plan';

/**
 * What moving one asset from one version of its rule set to another would change, in words a
 * person can check before anything moves: "retention P3Y → P5Y: purge 2029-03-08 → 2031-03-08".
 * Pure: computed from the two plans and what the asset's workflow knows.
 */
export interface MigrationChange {
  kind: 'timer' | 'retention' | 'required-fields' | 'freeze-triggers';
  description: string;
  before: string | null;
  after: string | null;
}

const TIMER_NAMES: Record<LifecycleTimer['kind'], string> = {
  validity: 'take-down (validity)',
  'cold-tier': 'move to cold storage',
  retention: 'purge (retention)',
};

export function previewMigration(
  from: RuleSetPlan,
  to: RuleSetPlan,
  facts: LifecycleFacts,
  kind: string,
  now: string,
): MigrationChange[] {
  const changes: MigrationChange[] = [];
  const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : null);

  const before = lifecycleTimers(from, facts, now);
  const after = lifecycleTimers(to, facts, now);
  for (const timerKind of ['validity', 'cold-tier', 'retention'] as const) {
    const b = before.find((t) => t.kind === timerKind)?.at;
    const a = after.find((t) => t.kind === timerKind)?.at;
    if (b !== a) {
      changes.push({
        kind: 'timer',
        description: `${TIMER_NAMES[timerKind]}: ${day(b) ?? 'none'} → ${day(a) ?? 'none'}`,
        before: b ?? null,
        after: a ?? null,
      });
    }
  }

  const retentionBefore = decideRetention(from, facts, now);
  const retentionAfter = decideRetention(to, facts, now);
  const keepOf = (plan: RuleSetPlan, rule: number | undefined) =>
    rule === undefined ? null : (plan.archive.retention[rule]?.keep ?? null);
  const keepBefore = keepOf(from, retentionBefore.rule);
  const keepAfter = keepOf(to, retentionAfter.rule);
  if (keepBefore !== keepAfter || retentionBefore.outcome !== retentionAfter.outcome) {
    changes.push({
      kind: 'retention',
      description: `retention ${keepBefore ?? 'none'} → ${keepAfter ?? 'none'}${retentionAfter.at || retentionBefore.at ? `: purge ${day(retentionBefore.at) ?? 'never'} → ${day(retentionAfter.at) ?? 'never'}` : ''}`,
      before: keepBefore,
      after: keepAfter,
    });
  }

  const missing = (plan: RuleSetPlan) =>
    Object.entries(plan.fields)
      .filter(
        ([name, f]) =>
          f.requiredFor.includes(kind) && (facts.metadata[name] === undefined || facts.metadata[name] === ''),
      )
      .map(([name]) => name)
      .sort();
  const missingBefore = missing(from).join(', ');
  const missingAfter = missing(to).join(', ');
  if (missingBefore !== missingAfter) {
    changes.push({
      kind: 'required-fields',
      description: `missing required fields: ${missingBefore || 'none'} → ${missingAfter || 'none'}`,
      before: missingBefore || null,
      after: missingAfter || null,
    });
  }

  const triggers = (plan: RuleSetPlan) => plan.use.freeze.map((f) => f.when).join(' | ');
  if (triggers(from) !== triggers(to)) {
    changes.push({
      kind: 'freeze-triggers',
      description: 'freeze triggers change',
      before: triggers(from) || null,
      after: triggers(to) || null,
    });
  }
  return changes;
}
