import type { LifecycleState } from '../domain/asset';
import { assetKindOf } from '../domain/asset-kind';
import type { RuleSetPlan } from '../rules/plan';
import { fillFromTags } from './ai-fill';
import { finishApproval, queueApproval, startFlowsFor } from './approvals';
import {
  complianceOf,
  enforcing,
  firstFreezeTrigger,
  hardened,
  lifecycleFacts,
  modelsAfterStored,
  withheldOf,
} from './asset-rules';
import { businessEventsByCondition, markBusinessEvent, undoBusinessEvent } from './business-events';
import {
  ENGINE_REVISION,
  type EngineState,
  type IngestFindings,
  type LifecycleEvent,
  type Outcome,
  type Reply,
} from './model';

export type { DownloadDecision } from './model';

import { own } from '../domain/own';
import { editTags, notRemoved, setDimensions } from './corrections';
import { bound, emit, note, notify, statusChanged, transition } from './state';
import { type LifecycleTimer, lifecycleTimers, rightsExpiryOf } from './timers';
import { refusalOf } from './transition-table';
import { moveToTrash, restoreFromTrash, trashTimer } from './trash';

/**
 * The lifecycle engine: `(state, event, plan, now) → state + effects`. Pure and deterministic —
 * no clock, no I/O, no Temporal. The asset workflow interprets it (its update validators ask the
 * same transition table, its effects become activities, it sleeps until `nextWake`); the dry-run
 * and the migration preview run it with a simulated clock. A lifecycle rule lives here or in the
 * modules this one imports; outside lifecycle/ only the frozen `assetLifecycleV2` (kept for the
 * histories of runs started before the engine) and a few API-edge pre-checks repeat one.
 */
export function applyEvent(
  state: EngineState,
  event: LifecycleEvent,
  plan: RuleSetPlan,
  now: string,
): Outcome {
  const refusal = refusalOf(state, event, plan, now);
  if (refusal) return { ok: false, refusal };
  const s = JSON.parse(JSON.stringify(state)) as EngineState; // plain JSON by design
  const reply = handle(s, event, plan, now);
  return { ok: true, state: bound(s), reply };
}

const NONE: Reply = { kind: 'none' };

function handle(s: EngineState, e: LifecycleEvent, plan: RuleSetPlan, now: string): Reply {
  switch (e.type) {
    case 'ingested':
      ingested(s, e.version, e.findings, plan, now);
      return NONE;
    case 'enriched':
      enriched(s, e, plan, now);
      return NONE;
    case 'set-metadata': {
      const changes = Object.entries(e.set).map(
        ([key, value]) => `${key}: ${short(s.metadata[key])} → ${short(value)}`,
      );
      Object.assign(s.metadata, e.set);
      // A person setting a field (the same value confirms it) makes it theirs, AI-filled or not.
      if (enforcing(s) && s.fieldSources)
        for (const key of Object.keys(e.set))
          if (s.fieldSources[key]) s.fieldSources[key] = { source: 'user', by: e.by, at: now };
      note(s, 'metadata-changed', changes.join('; '), now, e.by);
      recheck(s, plan, now);
      startFlowsFor(s, plan, 'metadata-change', e.by, now);
      return NONE;
    }
    case 'freeze':
      s.frozen = { by: e.by, reason: e.reason, at: now };
      note(s, 'frozen', e.reason, now, e.by);
      statusChanged(s);
      return NONE;
    case 'unfreeze':
      s.frozen = null;
      note(s, 'unfrozen', `unfrozen by ${e.by}`, now, e.by);
      statusChanged(s);
      return NONE;
    case 'archive':
      s.anchors.archive = now;
      delete s.archivedByEvents;
      transition(s, 'archived', `archived by ${e.by}`, now, { by: e.by, event: 'archived' });
      statusChanged(s);
      return NONE;
    case 'restore':
      delete s.anchors.archive;
      delete s.archivedByEvents;
      transition(s, 'stored', `restored by ${e.by}`, now, { by: e.by, event: 'restored' });
      s.lastUsedAt = now;
      statusChanged(s);
      return NONE;
    case 'legal-hold':
      s.legalHold = e.on ? { by: e.by, reason: e.reason ?? '', at: now } : null;
      note(s, e.on ? 'legal-hold-set' : 'legal-hold-released', e.reason ?? '', now, e.by);
      statusChanged(s);
      return NONE;
    case 'trash':
      moveToTrash(s, e, now);
      return NONE;
    case 'untrash': {
      restoreFromTrash(s, e.by, now);
      recheck(s, plan, now);
      // The upload's flows held back while it was in the trash start now (unless models still run).
      if (s.uploadFlowsDue && s.enriching === undefined) {
        delete s.uploadFlowsDue;
        startFlowsFor(s, plan, 'upload', s.uploadedBy, now);
      }
      return NONE;
    }
    case 'edit-tags':
      editTags(s, e, now);
      // Conditions read tags (compliance, freeze triggers): judged again.
      recheck(s, plan, now);
      return NONE;
    case 'set-dimensions':
      setDimensions(s, e, now);
      return NONE;
    case 'move-project':
      emit(s, { type: 'set-project', project: e.to });
      note(s, 'moved', `project ${e.from} → ${e.to}`, now, e.by);
      return NONE;
    case 'mark-event':
      if (e.undo) undoBusinessEvent(s, e.event, `by ${e.by}`, now, e.by);
      else markBusinessEvent(s, e.event, `recorded by ${e.by}`, now, e.by);
      // Revision 1 only recorded the anchor; rules are checked again from revision 2 on.
      if (enforcing(s)) recheck(s, plan, now);
      return NONE;
    case 'use':
      touch(s, now);
      return NONE;
    case 'request-download':
      return { kind: 'download', decision: requestDownload(s, e, plan, now) };
    case 'add-version':
      // The number is taken when the update is accepted, so concurrent uploads get ordered numbers.
      s.version += 1;
      emit(s, {
        type: 'record-version',
        version: s.version,
        by: e.by,
        sha256: e.sha256,
        sizeBytes: e.sizeBytes,
        originalName: e.originalName,
        declaredMediaType: e.declaredMediaType,
        ...(e.note !== undefined ? { note: e.note } : {}),
      });
      note(s, 'version-added', `version ${s.version}: ${e.originalName}`, now, e.by);
      emit(s, { type: 'ingest', version: s.version });
      statusChanged(s);
      return { kind: 'version', version: s.version };
    case 'migrate':
      note(s, 'migrated', `rule set ${s.ruleSet.name} v${s.ruleSet.version} → v${e.version}`, now, e.by);
      s.ruleSet = { name: e.plan.name, version: e.version };
      recheck(s, e.plan, now);
      return NONE;
    case 'start-flow':
      queueApproval(
        s,
        e.flow,
        { user: e.by, roles: e.roles ?? [], audience: '', rendition: '', external: false },
        now,
      );
      return NONE;
    case 'approval-finished':
      finishApproval(s, e.outcome);
      // A flow's tags (or its freeze) are what conditions see next: compliance and triggers follow.
      if (enforcing(s)) recheck(s, plan, now);
      return NONE;
    case 'time':
      fireDueTimers(s, plan, now);
      return NONE;
  }
}

/** Ingest of `version` finished: what it found becomes the asset's, and a new asset is stored. */
function ingested(s: EngineState, version: number, findings: IngestFindings, plan: RuleSetPlan, now: string) {
  if (version < s.version) return; // a newer version is on its way; its findings replace these
  const first = s.ingestedVersion === 0;
  s.ingestedVersion = version;
  s.asset.kind = assetKindOf(s.asset.name, findings.kind === 'image');
  if (findings.kind === 'image')
    Object.assign(s.asset, { format: findings.format, width: findings.width, height: findings.height });
  if (findings.tags) {
    const found = notRemoved(s, findings.tags);
    // Ingest's previous tags give way to the new version's, but not those a person added or confirmed.
    const previous = new Set((s.derivedTags ?? []).filter((t) => !s.tagSources?.[t]));
    const derived = found.map((t) => t.name);
    s.asset.tags = [...new Set([...s.asset.tags.filter((t) => !previous.has(t)), ...derived])].sort();
    s.derivedTags = derived;
    if (enforcing(s)) fillFromTags(s, plan, found, now);
  }
  if (findings.kind === 'image' && findings.brandColours && plan.create.brandPalette) {
    const distances = findings.brandColours.colours.map((c) => c.deltaE);
    s.compliance.brandColours = {
      ok: findings.brandColours.ok,
      policy: plan.create.brandPalette.policy,
      worstDeltaE: distances.length > 0 ? Math.max(...distances) : null,
    };
  }
  // An asset archived (or otherwise moved on) while its first ingest ran keeps that state.
  if (s.state === 'created')
    transition(
      s,
      'stored',
      findings.kind === 'image'
        ? `analysed ${findings.format} ${findings.width}×${findings.height}`
        : `stored as ${s.asset.kind}: ${findings.reason}`,
      now,
    );
  recheck(s, plan, now);
  // Models still running on an older version no longer count (their `enriched` is ignored).
  const flowsDue = first || s.uploadFlowsDue === true;
  delete s.enriching;
  delete s.uploadFlowsDue;
  if (modelsAfterStored(s) && findings.enrichment?.state === 'pending') {
    // Stored (findable, usable) now; the models follow, and the upload's flows wait for them so
    // their conditions see what the models filled in.
    s.enriching = version;
    if (flowsDue) s.uploadFlowsDue = true;
    emit(s, { type: 'enrich', version });
    statusChanged(s);
    return;
  }
  if (flowsDue) startUploadFlows(s, plan, now);
}

/** The upload's flows; for an asset deleted while it was analysed, once it is restored. */
function startUploadFlows(s: EngineState, plan: RuleSetPlan, now: string) {
  if (s.state === 'trashed') s.uploadFlowsDue = true;
  else startFlowsFor(s, plan, 'upload', s.uploadedBy, now);
}

/** The models finished on a version: their tags join the asset's, and what depends on tags is judged again. */
function enriched(
  s: EngineState,
  e: Extract<LifecycleEvent, { type: 'enriched' }>,
  plan: RuleSetPlan,
  now: string,
) {
  if (e.version !== s.enriching) return; // a newer version's models are running (or ran): theirs count
  delete s.enriching;
  if (s.state === 'purged') return; // nothing of it is distributed or judged any more
  if (e.failed)
    note(s, 'enrichment-failed', `the models failed on version ${e.version}: ${e.failed}`, now, 'ai');
  else {
    const kept = notRemoved(s, e.tags);
    const found = kept.map((t) => t.name);
    s.asset.tags = [...new Set([...s.asset.tags, ...found])].sort();
    s.derivedTags = [...new Set([...(s.derivedTags ?? []), ...found])];
    if (enforcing(s)) fillFromTags(s, plan, kept, now);
    note(
      s,
      'enriched',
      found.length > 0 ? `tagged ${found.join(', ')}` : 'the models found nothing',
      now,
      'ai',
    );
  }
  recheck(s, plan, now);
  if (s.uploadFlowsDue) {
    delete s.uploadFlowsDue;
    startUploadFlows(s, plan, now);
  }
}

/**
 * After anything that conditions can see changed (metadata, tags, a rights date passing):
 * business events driven by metadata, compliance and its tags, whether the asset is withheld
 * from distribution, and freeze triggers.
 */
function recheck(s: EngineState, plan: RuleSetPlan, now: string) {
  if (enforcing(s)) businessEventsByCondition(s, plan, now);
  const before = new Set(s.compliance.complianceTags);
  s.compliance = complianceOf(plan, s, now);
  const tags = new Set(s.asset.tags.filter((t) => !before.has(t)));
  for (const t of s.compliance.complianceTags) tags.add(t);
  s.asset.tags = [...tags].sort();
  if (enforcing(s)) s.compliance.withheld = withheldOf(plan, s, now);
  if (!s.frozen) {
    const trigger = firstFreezeTrigger(plan, s, now);
    if (trigger) {
      s.frozen = { by: 'rule', reason: trigger.reason, at: now };
      note(s, 'frozen', trigger.reason, now, 'rule');
      if (enforcing(s))
        notify(s, {
          kind: 'asset.frozen',
          to: { owners: true },
          message: `frozen by a rule: ${trigger.reason}`,
        });
    }
  }
  statusChanged(s);
}

/** A view or download: re-arms cold tiering and brings a cold asset back to the hot tier. */
function touch(s: EngineState, now: string) {
  s.lastUsedAt = now;
  if (s.tier === 'cold') {
    s.tier = 'hot';
    emit(s, { type: 'move-tier', tier: 'hot' });
    note(s, 'tier-hot', 'used again: back from cold storage', now);
  }
  statusChanged(s);
}

function requestDownload(
  s: EngineState,
  e: Extract<LifecycleEvent, { type: 'request-download' }>,
  plan: RuleSetPlan,
  now: string,
) {
  const wasCold = s.tier === 'cold';
  touch(s, now);
  // The original of a cold asset has to come back first: the requester hears when it is there.
  const restoring =
    wasCold &&
    enforcing(s) &&
    own(plan.distribute.renditions, e.rendition)?.original === true &&
    e.via !== 'link';
  const ready = (status: 'allowed' | 'granted') => {
    if (!restoring) return { status, rendition: e.rendition };
    notify(s, {
      kind: 'asset.restored',
      to: { users: [e.by] },
      message: `the original is back from cold storage; download "${e.rendition}" now`,
    });
    return { status: 'restoring' as const, rendition: e.rendition };
  };
  const flow = own(own(plan.distribute.audiences, e.audience)?.approvals ?? {}, e.rendition);
  if (!flow) return ready('allowed');
  if ((s.grants ?? []).some((g) => grantCovers(s, g, e, now))) return ready('granted');
  const request = {
    user: e.by,
    roles: e.roles,
    audience: e.audience,
    rendition: e.rendition,
    external: e.external ?? false,
  };
  return { status: 'pending' as const, approvalId: queueApproval(s, flow, request, now), flow };
}

/**
 * Whether an approved grant answers this request: the requester's, for this rendition — and from
 * revision 3 only until it expires (its timer may not have fired yet when the request arrives)
 * and for the audience it was approved for.
 */
function grantCovers(
  s: EngineState,
  g: NonNullable<EngineState['grants']>[number],
  e: Extract<LifecycleEvent, { type: 'request-download' }>,
  now: string,
): boolean {
  if (g.user !== e.by || g.rendition !== e.rendition) return false;
  return !hardened(s) || (g.expiresAt > now && (g.audience === undefined || g.audience === e.audience));
}

/**
 * Raises a state recorded under an older revision to `revision` (the workflow does so where each
 * revision's patch marker says). Reaching revision 2, an ingested asset is judged afresh at once —
 * withheld or not, compliance tags, business-event conditions — so the catalogue does not wait for
 * its next event to say so.
 */
export function raiseRevision(
  state: EngineState,
  plan: RuleSetPlan,
  now: string,
  revision = ENGINE_REVISION,
): EngineState {
  const s = JSON.parse(JSON.stringify(state)) as EngineState;
  const before = s.revision ?? 1;
  s.revision = revision;
  if (before < 2 && revision >= 2 && s.state !== 'purged' && s.ingestedVersion > 0) recheck(s, plan, now);
  return bound(s);
}

/** Every timer due at `now` fires, earliest first; each one changes the state so it is not due again. */
function fireDueTimers(s: EngineState, plan: RuleSetPlan, now: string) {
  for (;;) {
    const due = timersOf(s, plan, now).find((t) => t.at <= now && t.kind !== 'grant');
    if (!due) break;
    if (due.kind === 'validity') transition(s, 'expired', due.reason, now, { by: 'timer', event: 'expired' });
    if (due.kind === 'cold-tier') {
      s.tier = 'cold';
      emit(s, { type: 'move-tier', tier: 'cold' });
      note(s, 'tier-cold', due.reason, now, 'timer');
    }
    if (due.kind === 'retention') {
      emit(s, { type: 'purge' });
      transition(s, 'purged', due.reason, now, { by: 'timer', event: 'purged' });
    }
    if (due.kind === 'rights-notice' || due.kind === 'rights-expiry') rightsDate(s, plan, due.kind, now);
    if (due.kind === 'trash') {
      emit(s, { type: 'purge' });
      transition(s, 'purged', due.reason, now, { by: 'timer', event: 'purged' });
    }
    statusChanged(s);
  }
  const grants = s.grants ?? [];
  s.grants = grants.filter((g) => g.expiresAt > now);
  if (s.grants.length !== grants.length) statusChanged(s);
}

/** What each rights timer records and says (the timeline entry, then the owners' notice). */
const RIGHTS_NOTICES = {
  'rights-notice': {
    mark: 'noticeFor',
    event: 'rights-expiring',
    noted: (day: string) => `rights end ${day}`,
    told: (day: string) => `rights end ${day}; after that nothing of it may be distributed`,
  },
  'rights-expiry': {
    mark: 'expiredFor',
    event: 'rights-expired',
    noted: (day: string) => `rights ended ${day}: distribution stopped`,
    told: (day: string) => `rights ended ${day}; distribution stopped`,
  },
} as const;

/** A rights date came: tell the owner (before) or withhold the asset (on the day); either once per date. */
function rightsDate(s: EngineState, plan: RuleSetPlan, kind: keyof typeof RIGHTS_NOTICES, now: string) {
  const at = rightsExpiryOf(plan, s.metadata) as string; // the timer exists only with a date
  const day = at.slice(0, 10);
  const { mark, event, noted, told } = RIGHTS_NOTICES[kind];
  s.rights = { ...(s.rights ?? {}), [mark]: at };
  note(s, event, noted(day), now, 'timer');
  notify(s, { kind: `asset.${event}`, to: { owners: true }, message: told(day) });
  recheck(s, plan, now);
}

export type EngineTimer = Omit<LifecycleTimer, 'kind'> & { kind: LifecycleTimer['kind'] | 'grant' | 'trash' };

/**
 * Every timer the asset waits on (lifecycle timers, download-grant expiries and, in the trash, the
 * day the trash empties itself of it), earliest first.
 */
export function timersOf(s: EngineState, plan: RuleSetPlan, now: string): EngineTimer[] {
  const timers: EngineTimer[] = lifecycleTimers(plan, lifecycleFacts(s), now);
  const emptying = trashTimer(s);
  if (emptying) timers.push(emptying);
  for (const g of s.grants ?? [])
    timers.push({
      kind: 'grant',
      at: g.expiresAt,
      reason: `download grant of ${g.rendition} to ${g.user} ends`,
    });
  return timers.sort((a, b) => a.at.localeCompare(b.at));
}

/** When the engine next needs the clock (`time` event), or null when no timer is armed. */
export function nextWake(s: EngineState, plan: RuleSetPlan, now: string): string | null {
  return timersOf(s, plan, now)[0]?.at ?? null;
}

/** What queries and updates answer: the asset's state and timers, without the engine's bookkeeping. */
export function viewOf(s: EngineState, plan: RuleSetPlan, now: string): LifecycleView {
  const {
    seq,
    approvalCount,
    recordedVersion,
    ingestedVersion,
    uploadedBy,
    effectCount,
    outbox,
    uploadFlowsDue,
    ...state
  } = s;
  return { ...state, timers: timersOf(s, plan, now).filter((t) => t.kind !== 'grant') };
}

/** The part of the state the catalogue mirrors (for listing, filtering and the API). */
export function catalogueStatusOf(s: LifecycleState) {
  return {
    kind: s.asset.kind,
    tags: s.asset.tags,
    metadata: s.metadata,
    frozen: s.frozen,
    legalHold: s.legalHold,
    tier: s.tier,
    compliance: s.fieldSources ? { ...s.compliance, fieldSources: s.fieldSources } : s.compliance,
    // Only when there is one: statuses of runs that never knew these stay as they were recorded.
    ...(s.trashed ? { trashed: s.trashed } : {}),
    ...(s.tagSources ? { tagSources: s.tagSources } : {}),
    ...(s.dimensions ? { dimensions: s.dimensions } : {}),
    lastUsedAt: s.lastUsedAt,
    ruleSetVersion: s.ruleSet.version,
  };
}

export interface LifecycleView extends LifecycleState {
  timers: { kind: string; at: string; reason: string }[];
}

function short(value: unknown): string {
  const text = value === undefined ? '—' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
