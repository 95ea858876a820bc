import { type ConditionInput, evaluateCondition } from '../rules/conditions';
import type { RetentionAnchor } from '../rules/document';
import { addDuration, subtractDuration } from '../rules/duration';
import type { RuleSetPlan } from '../rules/plan';

/**
 * The long-lived timers of an asset, derived from the plan and what is known about the asset.
 * Pure: the engine recomputes them after every change (so they always agree with the state), and
 * the workflow, the dry-run and the migration preview all read them from here.
 */
export type LifecycleStage = 'created' | 'stored' | 'expired' | 'archived' | 'trashed' | 'purged';

export interface LifecycleFacts {
  state: LifecycleStage;
  tier: 'hot' | 'cold';
  legalHold: boolean;
  metadata: Record<string, unknown>;
  asset: ConditionInput['asset'];
  /** Last view or download (or the upload), ISO-8601. */
  lastUsedAt: string;
  /** When each retention anchor happened, ISO-8601. `upload` is always known. */
  anchors: Partial<Record<RetentionAnchor, string>> & { upload: string };
  /** Rights dates already acted on; absent for states that predate rights timers. */
  rights?: { noticeFor?: string; expiredFor?: string };
  /** Conditions see dates as runs recorded before revision 2 did (see rules/conditions.ts). */
  legacyTimestamps?: boolean;
}

export type LifecycleTimerKind = 'validity' | 'cold-tier' | 'retention' | 'rights-notice' | 'rights-expiry';

export interface LifecycleTimer {
  kind: LifecycleTimerKind;
  at: string;
  reason: string;
}

export interface RetentionDecision {
  /** `forever`, a purge date, `pending` (the deciding rule's anchor has not happened), or `none`. */
  outcome: 'forever' | 'purge' | 'pending' | 'none';
  at?: string;
  rule?: number;
  reason: string;
}

/** The first retention rule whose condition holds decides; `now` is the evaluation time. */
export function decideRetention(plan: RuleSetPlan, facts: LifecycleFacts, now: string): RetentionDecision {
  const input: ConditionInput = {
    metadata: facts.metadata,
    asset: facts.asset,
    now,
    ...(facts.legacyTimestamps ? { legacyTimestamps: true } : {}),
  };
  for (const [index, rule] of plan.archive.retention.entries()) {
    if (rule.when !== null) {
      const result = evaluateCondition(plan.fields, rule.when, input);
      if (!(result.ok && result.value)) continue;
    }
    if (rule.keep === 'forever')
      return { outcome: 'forever', rule: index, reason: `kept forever (retention rule ${index + 1})` };
    const anchor = facts.anchors[rule.after];
    if (!anchor)
      return {
        outcome: 'pending',
        rule: index,
        reason: `kept ${rule.keep} after ${rule.after}, which has not happened`,
      };
    return {
      outcome: 'purge',
      at: addDuration(anchor, rule.keep),
      rule: index,
      reason: `retention of ${rule.keep} after ${rule.after} (${anchor}) ends`,
    };
  }
  return { outcome: 'none', reason: 'no retention rule applies' };
}

export function lifecycleTimers(plan: RuleSetPlan, facts: LifecycleFacts, now: string): LifecycleTimer[] {
  const timers: LifecycleTimer[] = [];
  if (facts.state === 'purged') return timers;

  const validity = plan.archive.validity;
  const base = validity ? facts.metadata[validity.field] : undefined;
  if (validity && facts.state === 'stored' && typeof base === 'string' && !Number.isNaN(Date.parse(base))) {
    const at = validity.after ? addDuration(base, validity.after) : new Date(base).toISOString();
    timers.push({
      kind: 'validity',
      at,
      reason: `validity ends (${validity.field}${validity.after ? ` + ${validity.after}` : ''}): take down`,
    });
  }

  timers.push(...rightsTimers(plan, facts));

  const idleDays = plan.archive.coldAfterDaysUnused;
  if (idleDays && facts.tier === 'hot') {
    timers.push({
      kind: 'cold-tier',
      at: addDuration(facts.lastUsedAt, `P${idleDays}D`),
      reason: `unused for ${idleDays} days: move to cold storage`,
    });
  }

  if (!facts.legalHold) {
    const retention = decideRetention(plan, facts, now);
    if (retention.outcome === 'purge' && retention.at)
      timers.push({ kind: 'retention', at: retention.at, reason: `${retention.reason}: purge` });
  }
  return timers.sort((a, b) => a.at.localeCompare(b.at));
}

/** When the asset's rights end (the instant in the expiry field; a date alone: its start, UTC), or null. */
export function rightsExpiryOf(plan: RuleSetPlan, metadata: Record<string, unknown>): string | null {
  const field = plan.distribute.rights?.expiry?.field;
  const value = field ? metadata[field] : undefined;
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;
}

/** A notice to the owner `notifyBefore` the rights end, and the end itself; each once per date. */
function rightsTimers(plan: RuleSetPlan, facts: LifecycleFacts): LifecycleTimer[] {
  const rule = plan.distribute.rights?.expiry;
  const expiry = rightsExpiryOf(plan, facts.metadata);
  if (!rule || !facts.rights || expiry === null) return [];
  if (facts.state !== 'created' && facts.state !== 'stored') return [];
  const timers: LifecycleTimer[] = [];
  if (rule.notifyBefore && facts.rights.noticeFor !== expiry && facts.rights.expiredFor !== expiry)
    timers.push({
      kind: 'rights-notice',
      at: subtractDuration(expiry, rule.notifyBefore),
      reason: `rights end ${expiry.slice(0, 10)} (${rule.field}): tell the owner ${rule.notifyBefore} before`,
    });
  if (facts.rights.expiredFor !== expiry)
    timers.push({
      kind: 'rights-expiry',
      at: expiry,
      reason: `rights end (${rule.field}): nothing of the asset may leave`,
    });
  return timers;
}
