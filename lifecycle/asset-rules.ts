import type { LifecycleState } from '../domain/asset';
import { type ConditionInput, evaluateCondition } from '../rules/conditions';
import { checkName } from '../rules/naming';
import type { RuleSetPlan } from '../rules/plan';
import type { LifecycleFacts } from './timers';

/**
 * What a rule set says about one asset at one moment: its conditions, compliance verdict, freeze
 * triggers and audiences. Pure helpers of the engine; nothing else evaluates these rules.
 */

/** The asset as conditions see it (`asset.*`). */
export function assetFacts(s: LifecycleState): ConditionInput['asset'] {
  return { ...s.asset, frozen: s.frozen !== null, state: s.state };
}

/** What the timers are computed from. */
export function lifecycleFacts(s: LifecycleState): LifecycleFacts {
  return {
    state: s.state,
    tier: s.tier,
    legalHold: s.legalHold !== null,
    metadata: s.metadata,
    asset: assetFacts(s),
    lastUsedAt: s.lastUsedAt,
    anchors: s.anchors,
  };
}

/** Whether a condition holds (no condition holds; one that fails to evaluate does not). */
export function holds(
  plan: RuleSetPlan,
  expression: string | null,
  s: LifecycleState,
  now: string,
  request?: ConditionInput['request'],
): boolean {
  if (expression === null) return true;
  const result = evaluateCondition(plan.fields, expression, {
    metadata: s.metadata,
    asset: assetFacts(s),
    now,
    ...(request ? { request } : {}),
  });
  return result.ok && result.value === true;
}

/** The first freeze trigger of the rule set that holds, if any. */
export function firstFreezeTrigger(plan: RuleSetPlan, s: LifecycleState, now: string) {
  return plan.use.freeze.find((rule) => holds(plan, rule.when, s, now));
}

/** Naming convention, missing required fields and compliance tags, as of now. */
export function complianceOf(
  plan: RuleSetPlan,
  s: LifecycleState,
  now: string,
): LifecycleState['compliance'] {
  const ext = /\.([A-Za-z0-9]+)$/.exec(s.asset.name)?.[1] ?? '';
  let naming: LifecycleState['compliance']['naming'] = null;
  if (plan.create.naming) {
    const verdict = checkName(plan.create.naming.tokens, s.asset.name, {
      metadata: s.metadata,
      version: s.version,
      date: s.anchors.upload,
      ext,
    });
    naming = {
      ok: verdict.ok,
      policy: plan.create.naming.policy,
      ...('expected' in verdict ? { expected: verdict.expected } : {}),
      ...('suggestion' in verdict && verdict.suggestion ? { suggestion: verdict.suggestion } : {}),
    };
  }
  const missingFields = Object.entries(plan.fields)
    .filter(([name, f]) => f.requiredFor.includes(s.asset.kind) && isBlank(s.metadata[name]))
    .map(([name]) => name);
  const complianceTags = plan.create.complianceTags.flatMap((rule) =>
    holds(plan, rule.when, s, now) ? rule.tags : [],
  );
  return {
    naming,
    missingFields,
    complianceTags: [...new Set(complianceTags)],
    ...(s.compliance?.brandColours ? { brandColours: s.compliance.brandColours } : {}),
  };
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

export interface DownloadAsk {
  roles: string[];
  audience: string;
  rendition: string;
  external?: boolean;
  by: string;
}

/** Why a download request is refused by the rule set's audiences, or null when it may go ahead. */
export function audienceRefusal(
  plan: RuleSetPlan,
  s: LifecycleState,
  ask: DownloadAsk,
  now: string,
): { code: string; message: string } | null {
  const audience = plan.distribute.audiences[ask.audience];
  if (!audience)
    return { code: 'AUDIENCE_UNKNOWN', message: `Rule set ${plan.name} has no audience "${ask.audience}".` };
  const member =
    audience.roles.some((role) => ask.roles.includes(role)) ||
    (audience.external === true && ask.external === true);
  if (!member) return { code: 'AUDIENCE_REFUSED', message: `You are not in the audience "${ask.audience}".` };
  if (!audience.renditions.includes(ask.rendition))
    return {
      code: 'RENDITION_REFUSED',
      message: `The audience "${ask.audience}" may not download "${ask.rendition}" (allowed: ${audience.renditions.join(', ')}).`,
    };
  if (!holds(plan, audience.when, s, now, requestFacts(ask)))
    return {
      code: 'AUDIENCE_REFUSED',
      message: `This asset is not available to the audience "${ask.audience}".`,
    };
  return null;
}

export function requestFacts(ask: DownloadAsk): NonNullable<ConditionInput['request']> {
  return {
    audience: ask.audience,
    rendition: ask.rendition,
    user: ask.by,
    roles: ask.roles,
    external: ask.external ?? false,
  };
}
