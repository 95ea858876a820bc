import type { LifecycleState } from '../domain/asset';
import { own } from '../domain/own';
import { type ConditionInput, evaluateCondition } from '../rules/conditions';
import { checkName } from '../rules/naming';
import type { RuleSetPlan } from '../rules/plan';
import { type LifecycleFacts, rightsExpiryOf } from './timers';

/**
 * What a rule set says about one asset at one moment: its conditions, compliance verdict, freeze
 * triggers and audiences. Pure helpers of the engine; nothing else evaluates these rules.
 */

/** The asset as conditions see it (`asset.*`). */
export function assetFacts(s: LifecycleState): ConditionInput['asset'] {
  return { ...s.asset, frozen: s.frozen !== null, state: s.state };
}

/** Whether a state runs under the engine revision that enforces rules (see ENGINE_REVISION). */
export const enforcing = (s: { revision?: number }): boolean => (s.revision ?? 1) >= 2;
/** Whether a state runs under the revision that bounds grants and metadata (see ENGINE_REVISION). */
export const hardened = (s: { revision?: number }): boolean => (s.revision ?? 1) >= 3;
/** Whether a state runs under the revision that stores an asset before its models run (see ENGINE_REVISION). */
export const modelsAfterStored = (s: { revision?: number }): boolean => (s.revision ?? 1) >= 4;

/** What the timers are computed from. */
export function lifecycleFacts(
  s: LifecycleState & { revision?: number; rights?: RightsHandled },
): LifecycleFacts {
  return {
    state: s.state,
    tier: s.tier,
    legalHold: s.legalHold !== null,
    metadata: s.metadata,
    asset: assetFacts(s),
    lastUsedAt: s.lastUsedAt,
    anchors: s.anchors,
    // Rights timers exist only for states that enforce rules (older histories had none).
    ...(enforcing(s) ? { rights: s.rights ?? {} } : { legacyTimestamps: true }),
  };
}

type RightsHandled = { noticeFor?: string; expiredFor?: string };

/** Required fields the asset lacks, for its kind (`refuse`: only those that refuse an upload). */
export function missingFieldsOf(
  plan: RuleSetPlan,
  kind: string,
  metadata: Record<string, unknown>,
  only?: 'refuse',
): string[] {
  return Object.entries(plan.fields)
    .filter(([name, f]) => f.requiredFor.includes(kind) && isBlank(metadata[name]))
    .filter(([, f]) => only === undefined || f.whenMissing === only)
    .map(([name]) => name);
}

/**
 * Why nothing of a live asset may leave (missing required fields, rights that have ended), or
 * null. Archived, expired and purged assets are refused by their state before this is asked.
 */
export function withheldOf(
  plan: RuleSetPlan,
  s: LifecycleState,
  now: string,
): { code: 'ASSET_INCOMPLETE' | 'RIGHTS_EXPIRED'; message: string } | null {
  const missing = missingFieldsOf(plan, s.asset.kind, s.metadata);
  if (missing.length > 0)
    return {
      code: 'ASSET_INCOMPLETE',
      message: `The asset is incomplete: fill in ${missing.join(', ')} before anything of it is distributed.`,
    };
  const expiry = rightsExpiryOf(plan, s.metadata);
  if (expiry !== null && expiry <= now)
    return {
      code: 'RIGHTS_EXPIRED',
      message: `The asset's rights ended ${expiry.slice(0, 10)} (${plan.distribute.rights?.expiry?.field}); nothing of it may be distributed.`,
    };
  return null;
}

/** Whether a condition holds (no condition holds; one that fails to evaluate does not). */
export function holds(
  plan: RuleSetPlan,
  expression: string | null,
  s: LifecycleState & { revision?: number },
  now: string,
  request?: ConditionInput['request'],
): boolean {
  if (expression === null) return true;
  const result = evaluateCondition(plan.fields, expression, {
    metadata: s.metadata,
    asset: assetFacts(s),
    now,
    ...(request ? { request } : {}),
    // Runs recorded before revision 2 evaluated dates as the sandbox then did (see conditions.ts).
    ...(enforcing(s) ? {} : { legacyTimestamps: true }),
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
  const missingFields = missingFieldsOf(plan, s.asset.kind, s.metadata);
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
  teams?: string[];
  audience: string;
  rendition: string;
  external?: boolean;
  by: string;
}

/**
 * Why a download request is refused by the rule set's audiences, or null when it may go ahead.
 * `regions`: whether the asset's usage region binds audiences (states that enforce rules).
 */
export function audienceRefusal(
  plan: RuleSetPlan,
  s: LifecycleState,
  ask: DownloadAsk,
  now: string,
  regions = true,
): { code: string; message: string } | null {
  const audience = own(plan.distribute.audiences, ask.audience);
  if (!audience)
    return { code: 'AUDIENCE_UNKNOWN', message: `Rule set ${plan.name} has no audience "${ask.audience}".` };
  const member =
    audience.roles.some((role) => ask.roles.includes(role)) ||
    audience.teams.some((team) => (ask.teams ?? []).includes(team)) ||
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
  return regions ? regionRefusal(plan, s.metadata, ask.audience) : null;
}

/** Why an asset's usage region keeps it from an audience, or null (also asked when a link opens). */
export function regionRefusal(
  plan: RuleSetPlan,
  metadata: Record<string, unknown>,
  audienceName: string,
): { code: 'REGION_REFUSED'; message: string } | null {
  const region = usageRegionOf(plan, metadata);
  const served = own(plan.distribute.audiences, audienceName)?.regions ?? [];
  if (region === null || served.length === 0 || served.includes(region)) return null;
  return {
    code: 'REGION_REFUSED',
    message: `This asset may be used only in ${region}; the audience "${audienceName}" serves ${served.join(', ')}.`,
  };
}

/** The one region the asset may be used in, or null when it may be used everywhere. */
export function usageRegionOf(plan: RuleSetPlan, metadata: Record<string, unknown>): string | null {
  const rule = plan.distribute.rights?.region;
  const value = rule ? metadata[rule.field] : undefined;
  return typeof value === 'string' && value !== '' && value !== rule?.everywhere ? value : null;
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
