import type { AssetState, LifecycleState, Transition } from '../domain/asset';
import type { AssetLifecycleInput, Effect, EngineState, Notice } from './model';

/**
 * Creating, resuming and bounding the engine's state, and the two ways it records history: a
 * state change (`transition`) and an event that leaves the state as it is (`note`). Both go to the
 * asset's timeline in the catalogue through a `record-transition` effect.
 */

/** Timeline entries a state keeps (all of them are in the catalogue). */
export const TIMELINE_KEPT = 50;
/** Finished approvals a state keeps beside the open ones (all of them are in the catalogue). */
export const FINISHED_APPROVALS_KEPT = 20;

/**
 * The state of a newly uploaded asset, with its first effects: record `created`, ingest version 1.
 * `revision`: the engine behaviour it runs under (the workflow's patch marker decides it).
 */
export function newAssetState(input: AssetLifecycleInput, now: string, revision: number): EngineState {
  const s: EngineState = {
    revision,
    assetId: input.assetId,
    ruleSet: { name: input.ruleSet, version: input.ruleSetVersion ?? 0 },
    state: 'created',
    timeline: [],
    version: input.version,
    metadata: { ...(input.metadata ?? {}) },
    asset: { name: input.name ?? input.assetId, kind: 'generic', tags: [] },
    frozen: null,
    legalHold: null,
    tier: 'hot',
    lastUsedAt: now,
    anchors: { upload: now },
    compliance: { naming: null, missingFields: [], complianceTags: [] },
    approvals: [],
    grants: [],
    derivedTags: [],
    seq: 0,
    approvalCount: 0,
    recordedVersion: input.version,
    ingestedVersion: 0,
    uploadedBy: input.uploadedBy ?? 'uploader',
    effectCount: 0,
    outbox: [],
  };
  transition(s, 'created', 'uploaded', now, { by: s.uploadedBy, event: 'uploaded' });
  emit(s, { type: 'ingest', version: input.version });
  return s;
}

/**
 * A state carried by an earlier run. Runs of the workflow before the engine carried no outbox
 * and kept every transition and approval; their state is brought to the engine's shape here.
 */
export function resumeState(carried: LifecycleState | EngineState): EngineState {
  const engine = carried as Partial<EngineState>;
  const last = carried.timeline.at(-1);
  return bound({
    ...carried,
    approvals: carried.approvals ?? [],
    grants: carried.grants ?? [],
    derivedTags: carried.derivedTags ?? [],
    seq: engine.seq ?? last?.seq ?? 0,
    approvalCount: engine.approvalCount ?? carried.approvals?.length ?? 0,
    recordedVersion: engine.recordedVersion ?? carried.version,
    ingestedVersion: engine.ingestedVersion ?? carried.version,
    uploadedBy: engine.uploadedBy ?? 'uploader',
    effectCount: engine.effectCount ?? 0,
    outbox: engine.outbox ?? [],
  });
}

/** Queues an effect; it stays in the state until the interpreter reports it done. */
export function emit(s: EngineState, effect: DistributiveOmit<Effect, 'id'>): void {
  s.effectCount += 1;
  s.outbox.push({ ...effect, id: s.effectCount } as Effect);
}

/** Queues a notice; states recorded before the engine sent notices (revision 1) send none. */
export function notify(s: EngineState, notice: Notice): void {
  if ((s.revision ?? 1) >= 2) emit(s, { type: 'notify', notice });
}

/** Asks for the catalogue's status row to be saved (once, after whatever else is queued). */
export function statusChanged(s: EngineState): void {
  // The head of the outbox may be being carried out right now (with the state as it was then):
  // only a save still waiting behind other effects can stand for this change too.
  if (s.outbox.length > 1 && s.outbox.at(-1)?.type === 'save-status') return;
  emit(s, { type: 'save-status' });
}

/** Moves the asset to another state and records it. */
export function transition(
  s: EngineState,
  to: AssetState,
  reason: string,
  at: string,
  extra: { by?: string; event?: string } = {},
): void {
  record(s, { from: s.seq === 0 ? null : s.state, to, at, reason, ...extra });
  s.state = to;
}

/** Records an event that does not change the state (freeze, legal hold, metadata, migration…). */
export function note(s: EngineState, event: string, reason: string, at: string, by?: string): void {
  record(s, { from: s.state, to: s.state, at, reason, event, ...(by ? { by } : {}) });
}

function record(s: EngineState, entry: Omit<Transition, 'seq'>): void {
  s.seq += 1;
  const t: Transition = { seq: s.seq, ...entry };
  s.timeline.push(t);
  emit(s, { type: 'record-transition', transition: t });
}

/** Trims what grows with the asset's age to what the workflow needs; the catalogue keeps the rest. */
export function bound(s: EngineState): EngineState {
  if (s.timeline.length > TIMELINE_KEPT) s.timeline = s.timeline.slice(-TIMELINE_KEPT);
  const approvals = s.approvals ?? [];
  const finished = approvals.filter((a) => a.status !== 'pending');
  if (finished.length > FINISHED_APPROVALS_KEPT) {
    const dropped = new Set(finished.slice(0, finished.length - FINISHED_APPROVALS_KEPT));
    s.approvals = approvals.filter((a) => !dropped.has(a));
  }
  delete s.migrations;
  return s;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
