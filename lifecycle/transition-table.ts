import type { AssetState } from '../domain/asset';
import type { ErrorCodes } from '../domain/errors';
import { own } from '../domain/own';
import { checkClassification } from '../rules/classification';
import { metadataProblems, metadataSizeProblems } from '../rules/metadata';
import type { RuleSetPlan } from '../rules/plan';
import { audienceRefusal, enforcing, hardened, lifecycleFacts, withheldOf } from './asset-rules';
import type { EngineState, EventType, LifecycleEvent, Refusal } from './model';
import { decideRetention, lifecycleTimers } from './timers';

/**
 * Which event the engine accepts in which state, and why it refuses otherwise. The workflow's
 * update validators and the dry-run both ask `refusalOf`, so a refused event is refused the same
 * way everywhere, before anything is recorded.
 */

/** Tags one correction may name (added, removed and confirmed together), and a tag's longest length. */
export const MAX_TAG_EDITS = 50;
export const MAX_TAG_LENGTH = 64;
/** Tags an asset may carry in all (its state travels with every status save and continue-as-new). */
export const MAX_TAGS = 500;

const LIVE: AssetState[] = ['created', 'stored', 'expired', 'archived'];
const ANY: AssetState[] = ['created', 'stored', 'expired', 'archived', 'trashed', 'purged'];

interface Row {
  /** States in which the event is accepted. */
  in: AssetState[];
  /** Further conditions, checked in order once the state allows the event. */
  check?: (s: EngineState, event: never, plan: RuleSetPlan, now: string) => Refusal | null;
}

const refuse = (code: keyof typeof ErrorCodes, message: string): Refusal => ({ code, message });

const notFrozen = (s: EngineState, what: string): Refusal | null =>
  s.frozen ? refuse('ASSET_FROZEN', `The asset is frozen (${s.frozen.reason}); ${what}.`) : null;

const holdsRole = (
  allowed: string[] | undefined,
  roles: string[] | undefined,
  action: string,
  plan: RuleSetPlan,
) =>
  !allowed || allowed.length === 0 || (roles ?? []).some((r) => allowed.includes(r))
    ? null
    : refuse('NOT_ELIGIBLE', `Only ${allowed.join(', ')} may ${action} this asset (rule set ${plan.name}).`);

type Of<T extends EventType> = Extract<LifecycleEvent, { type: T }>;

export const TRANSITION_TABLE: {
  [T in EventType]: Row & {
    check?: (s: EngineState, e: Of<T>, plan: RuleSetPlan, now: string) => Refusal | null;
  };
} = {
  ingested: { in: ANY },
  enriched: { in: ANY },
  'set-metadata': {
    in: LIVE,
    check: (s, e, plan) => {
      // Before revision 3 a key such as `constructor` was found on the prototype and let through.
      const declared = (key: string) => (hardened(s) ? Object.hasOwn(plan.fields, key) : !!plan.fields[key]);
      const unknown = Object.keys(e.set ?? {}).find((key) => !declared(key));
      if (unknown) return refuse('UNKNOWN_FIELD', `"${unknown}" is not a field of rule set ${plan.name}.`);
      const tooLarge = hardened(s) ? Object.entries(metadataSizeProblems(e.set ?? {})) : [];
      if (tooLarge.length > 0)
        return refuse(
          'METADATA_INVALID',
          tooLarge.map(([field, problem]) => `${field} ${problem}`).join('; '),
        );
      const problems = Object.entries(metadataProblems(plan.fields, e.set ?? {}));
      if (problems.length > 0)
        return refuse(
          'METADATA_INVALID',
          problems.map(([field, problem]) => `${field} ${problem}`).join('; '),
        );
      return notFrozen(s, 'unfreeze it before changing it');
    },
  },
  freeze: {
    in: LIVE,
    check: (s, e, plan) =>
      holdsRole(plan.use.freezeRoles, e.roles, 'freeze', plan) ??
      (!e.reason?.trim() ? refuse('REASON_REQUIRED', 'Say why the asset is frozen.') : null) ??
      (s.frozen ? refuse('ALREADY_FROZEN', `The asset is already frozen (${s.frozen.reason}).`) : null),
  },
  unfreeze: {
    in: LIVE,
    check: (s, e, plan) =>
      holdsRole(plan.use.freezeRoles, e.roles, 'unfreeze', plan) ??
      (!s.frozen ? refuse('NOT_FROZEN', 'The asset is not frozen.') : null),
  },
  archive: { in: ['created', 'stored', 'expired'] },
  restore: {
    in: ['archived', 'expired'],
    check: (s, _e, plan, now) => {
      // Restoring an asset whose validity date has passed (taken down, or archived since) would
      // expire it again at once.
      const validity = lifecycleTimers(plan, lifecycleFacts({ ...s, state: 'stored' }), now).find(
        (t) => t.kind === 'validity',
      );
      if (validity && validity.at <= now)
        return refuse(
          'VALIDITY_PASSED',
          `The asset's validity ended ${validity.at}; set a later ${plan.archive.validity?.field} first, then restore it.`,
        );
      return null;
    },
  },
  'legal-hold': {
    // In the trash too: a hold placed there stops the trash from purging it.
    in: [...LIVE, 'trashed'],
    check: (s, e, plan) =>
      holdsRole(
        plan.archive.legalHold?.roles,
        e.roles,
        e.on ? 'put it on legal hold' : 'release its legal hold',
        plan,
      ) ??
      (e.on && !e.reason?.trim() ? refuse('REASON_REQUIRED', 'Say why the asset is on legal hold.') : null) ??
      (e.on && s.legalHold ? refuse('ALREADY_ON_HOLD', 'The asset is already on legal hold.') : null) ??
      (!e.on && !s.legalHold ? refuse('NOT_ON_HOLD', 'The asset is not on legal hold.') : null),
  },
  trash: {
    in: LIVE,
    check: (s, _e, plan, now) => {
      if (s.legalHold)
        return refuse(
          'ON_LEGAL_HOLD',
          `The asset is on legal hold (${s.legalHold.reason}); it cannot be deleted.`,
        );
      const frozen = notFrozen(s, 'unfreeze it before deleting it');
      if (frozen) return frozen;
      // A retention rule is a minimum: what it keeps (forever, or until its date) may not be deleted.
      const retention = decideRetention(plan, lifecycleFacts(s), now);
      if (retention.outcome === 'forever')
        return refuse('RETENTION_KEEPS', `The rule set keeps this asset forever (${retention.reason}).`);
      if (retention.outcome === 'purge' && retention.at && retention.at > now)
        return refuse(
          'RETENTION_KEEPS',
          `The rule set keeps this asset until ${retention.at} (${retention.reason}); it cannot be deleted before.`,
        );
      return null;
    },
  },
  untrash: { in: ['trashed'] },
  'edit-tags': {
    in: LIVE,
    check: (s, e) => {
      const all = [...(e.add ?? []), ...(e.remove ?? []), ...(e.confirm ?? [])];
      if (all.length === 0 || all.length > MAX_TAG_EDITS)
        return refuse('TAG_INVALID', `Name 1–${MAX_TAG_EDITS} tags to add, remove or confirm.`);
      const bad = all.find((t) => typeof t !== 'string' || !t.trim() || t.length > MAX_TAG_LENGTH);
      if (bad !== undefined)
        return refuse('TAG_INVALID', `A tag is 1–${MAX_TAG_LENGTH} characters, not "${bad}".`);
      const has = new Set(s.asset.tags);
      const missing = [...(e.remove ?? []), ...(e.confirm ?? [])].find((t) => !has.has(t));
      if (missing !== undefined) return refuse('TAG_UNKNOWN', `The asset has no tag "${missing}".`);
      const total = new Set([...s.asset.tags, ...(e.add ?? [])]).size;
      if (total > MAX_TAGS)
        return refuse('TAG_INVALID', `An asset has at most ${MAX_TAGS} tags; this would make ${total}.`);
      const byRule = (e.remove ?? []).find((t) => s.compliance.complianceTags.includes(t));
      if (byRule !== undefined)
        return refuse(
          'TAG_FROM_RULE',
          `"${byRule}" is given by a compliance rule of the rule set; change what the rule reads instead.`,
        );
      return notFrozen(s, 'unfreeze it before changing its tags');
    },
  },
  'set-dimensions': {
    in: LIVE,
    check: (s, e, plan) => {
      const { problems } = checkClassification(
        plan,
        { ...(s.dimensions ?? e.before), ...e.set },
        { complete: false },
      );
      const named = Object.entries(problems).filter(([name]) => Object.hasOwn(e.set, name));
      if (Object.keys(e.set).length === 0) return refuse('METADATA_INVALID', 'Name a dimension to change.');
      if (named.length > 0)
        return refuse('METADATA_INVALID', named.map(([name, p]) => `dimensions.${name} ${p}`).join('; '));
      const required = Object.entries(e.set).find(
        ([name, values]) => values.length === 0 && plan.store.dimensions[name]?.required,
      );
      if (required)
        return refuse('METADATA_INVALID', `dimensions.${required[0]} is required (rule set ${plan.name})`);
      return notFrozen(s, 'unfreeze it before reclassifying it');
    },
  },
  'move-project': {
    in: LIVE,
    check: (s, e) =>
      e.from === e.to
        ? refuse('ALREADY_IN_PROJECT', `The asset is already in project ${e.to}.`)
        : notFrozen(s, 'unfreeze it before moving it'),
  },
  'mark-event': {
    in: LIVE,
    check: (s, e) =>
      e.undo
        ? !s.anchors[e.event]
          ? refuse('NOT_RECORDED', `${e.event} was not recorded, so there is nothing to undo.`)
          : null
        : s.anchors[e.event]
          ? refuse('ALREADY_RECORDED', `${e.event} was already recorded at ${s.anchors[e.event]}.`)
          : null,
  },
  use: { in: ['created', 'stored', 'archived'] },
  'request-download': {
    in: ['created', 'stored'],
    check: (s, e, plan, now) => {
      // States recorded before rules were enforced answer as they did then.
      if (!enforcing(s)) return audienceRefusal(plan, s, e, now, false);
      return withheldOf(plan, s, now) ?? audienceRefusal(plan, s, e, now) ?? personalOnly(e, plan);
    },
  },
  'add-version': {
    in: LIVE,
    check: (s) => notFrozen(s, 'a new version is refused until it is unfrozen'),
  },
  migrate: {
    in: LIVE,
    check: (s, e) =>
      e.plan.name !== s.ruleSet.name
        ? refuse('RULE_SET_MISMATCH', `The asset runs rule set ${s.ruleSet.name}, not ${e.plan.name}.`)
        : e.version === s.ruleSet.version
          ? refuse('ALREADY_ON_VERSION', `The asset already runs version ${e.version}.`)
          : null,
  },
  'start-flow': {
    in: LIVE,
    check: (_s, e, plan) => {
      const flow = own(plan.flows, e.flow);
      if (!flow) return refuse('FLOW_UNKNOWN', `Rule set ${plan.name} has no flow "${e.flow}".`);
      if (flow.trigger !== 'manual')
        return refuse('FLOW_UNKNOWN', `Flow "${e.flow}" starts on ${flow.trigger}, not by hand.`);
      return null;
    },
  },
  'approval-finished': { in: ANY },
  time: { in: ANY },
};

/**
 * A rendition that needs an approval is approved for one person's own use (a grant to them); it
 * cannot leave through a share link, which anyone holding it may open.
 */
function personalOnly(e: Of<'request-download'>, plan: RuleSetPlan): Refusal | null {
  const flow = own(own(plan.distribute.audiences, e.audience)?.approvals ?? {}, e.rendition);
  return e.via === 'link' && flow
    ? refuse(
        'GRANT_NOT_SHAREABLE',
        `"${e.rendition}" needs approval (${flow}) for each person's own use; it cannot be shared by link.`,
      )
    : null;
}

/** Why the engine refuses `event` in state `s`, or null when it accepts it. */
export function refusalOf(
  s: EngineState,
  event: LifecycleEvent,
  plan: RuleSetPlan,
  now: string,
): Refusal | null {
  const row = TRANSITION_TABLE[event.type] as Row;
  if (!row.in.includes(s.state)) return stateRefusal(s, event.type);
  return row.check ? row.check(s, event as never, plan, now) : null;
}

function stateRefusal(s: EngineState, type: EventType): Refusal {
  if (s.state === 'purged')
    return refuse('ASSET_PURGED', 'The asset has been purged; only its record remains.');
  if (type === 'untrash') return refuse('NOT_IN_TRASH', `The asset is not in the trash; it is ${s.state}.`);
  if (s.state === 'trashed')
    return refuse('ASSET_TRASHED', 'The asset is in the trash; restore it from the trash first.');
  if (type === 'archive') return refuse('ALREADY_ARCHIVED', 'The asset is already archived.');
  if (type === 'restore')
    return refuse(
      'NOT_ARCHIVED',
      `Only an archived or expired asset can be restored; this one is ${s.state}.`,
    );
  if (s.state === 'expired')
    return refuse('ASSET_TAKEN_DOWN', 'The asset was taken down when its validity period ended.');
  if (s.state === 'archived') return refuse('ASSET_ARCHIVED', 'The asset is archived; restore it first.');
  return refuse('ASSET_NOT_READY', `The asset is ${s.state}; try again once it is stored.`);
}
