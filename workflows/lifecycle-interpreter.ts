import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AssetLifecycleView } from '../domain/asset';
import { modelsAfterStored } from '../lifecycle/asset-rules';
import { applyEvent, catalogueStatusOf, nextWake, raiseRevision, viewOf } from '../lifecycle/engine';
import {
  type AssetLifecycleInput,
  type Effect,
  ENGINE_REVISION,
  type EngineState,
  type FoundTag,
  type LifecycleEvent,
  type Reply,
} from '../lifecycle/model';
import { newAssetState, resumeState } from '../lifecycle/state';
import { refusalOf } from '../lifecycle/transition-table';
import { ingestOptionsOf } from '../rules/ingest-options';
import type { RuleSetPlan } from '../rules/plan';
import { approvalFlow } from './approval-flow.workflow';
import { emptyPlan } from './empty-plan';
import {
  addVersionUpdate,
  approvalFinishedSignal,
  archiveUpdate,
  editTagsUpdate,
  freezeUpdate,
  getLifecycleQuery,
  getTimelineQuery,
  legalHoldUpdate,
  markEventUpdate,
  migrateRuleSetUpdate,
  moveProjectUpdate,
  recordUseUpdate,
  requestDownloadUpdate,
  restoreFromTrashUpdate,
  restoreUpdate,
  setDimensionsUpdate,
  setMetadataUpdate,
  startFlowUpdate,
  trashUpdate,
  unfreezeUpdate,
} from './messages';
import { workflowNow } from './workflow-clock';

/**
 * Marks where a run starts applying engine revision 2 (rules enforced: mandatory fields, rights
 * dates, regions, business events, notices). Histories recorded before it replay under revision 1.
 */
export const RULES_ENFORCED_PATCH = 'lifecycle-rules-enforced';
/**
 * Marks where a run starts applying engine revision 3 (grants bounded by expiry and audience;
 * metadata keys and sizes checked). Histories recorded before it replay under revision 2 (or 1).
 */
export const INPUT_BOUNDED_PATCH = 'lifecycle-input-bounded';
/**
 * Marks where a run starts applying engine revision 4 (stored before the models run; they follow
 * as their own activity). Histories recorded before it replay under revision 3 (or earlier).
 */
export const MODELS_AFTER_STORED_PATCH = 'lifecycle-models-after-stored';
/** Each revision above 1 and the marker behind which a run reaches it, in order. */
const REVISION_MARKERS: ReadonlyArray<readonly [number, string]> = [
  [2, RULES_ENFORCED_PATCH],
  [3, INPUT_BOUNDED_PATCH],
  [4, MODELS_AFTER_STORED_PATCH],
];

/** Longest a run waits without any event before continuing as new (timers are re-derived then). */
const MAX_RUN_IDLE_MS = 365 * 24 * 60 * 60 * 1000;

const RETRY = {
  initialInterval: '1 second',
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: ['AssetNotFound'],
};

/** Catalogue writes take milliseconds: local activities, no round trip through the server. */
const { recordTransition, recordVersion, saveLifecycleStatus, loadPlan, deliverNotice, setAssetProject } =
  proxyLocalActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: RETRY,
  });

/**
 * Ingest can take seconds (renditions, tagging) and heartbeats, so a lost worker is noticed in
 * 15 s. Moving a file between tiers or purging it is I/O of any size: ordinary activities too.
 */
const { ingestVersion, enrichVersion } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: RETRY,
});
const { moveToTier, purgeAsset } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: RETRY,
});
/** Bringing bytes back for someone who waits: heartbeats, so a lost worker is noticed in 30 s. */
const { moveToTier: bringBack } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: RETRY,
});

/**
 * The asset workflow as an interpreter of the lifecycle engine (lifecycle/engine.ts). Messages
 * become engine events — validators ask the engine's transition table, so a refused update never
 * enters history — the engine's effects run as activities in order, and the run sleeps until the
 * engine's next timer. No lifecycle decision is made here.
 */
export async function interpretLifecycle(input: AssetLifecycleInput): Promise<AssetLifecycleView> {
  const now = () => workflowNow().toISOString();
  /**
   * The revision to raise a state to: each next revision whose patch marker this run has (or,
   * running for the first time, records), in order; the state's own when none is due.
   */
  const revisionFor = (state: EngineState) => {
    let revision = state.revision ?? 1;
    for (const [next, marker] of REVISION_MARKERS) {
      if (revision >= next) continue;
      if (!patched(marker)) break;
      revision = next;
    }
    return revision;
  };
  const raise = (state: EngineState, to: number) =>
    to > (state.revision ?? 1) ? raiseRevision(state, plan, now(), to) : state;
  let s: EngineState = input.carried ? resumeState(input.carried) : newAssetState(input, now(), 1);
  const raiseAtStart = revisionFor(s);
  let plan: RuleSetPlan = input.plan ?? (await planOf(s.ruleSet, input.carried !== undefined));
  s = raise(s, raiseAtStart);

  const refuseIfNot = (event: LifecycleEvent) => {
    const refusal = refusalOf(s, event, plan, now());
    if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code);
  };
  const accept = (event: LifecycleEvent): Reply => {
    if ((s.revision ?? 1) < ENGINE_REVISION) s = raise(s, revisionFor(s));
    const outcome = applyEvent(s, event, plan, now());
    if (!outcome.ok) throw ApplicationFailure.nonRetryable(outcome.refusal.message, outcome.refusal.code);
    s = outcome.state;
    return outcome.reply;
  };
  const view = () => viewOf(s, plan, now());
  /** An update whose only answer is the new view. */
  const viewUpdate = <A>(def: Parameters<typeof setHandler>[0], toEvent: (arg: A) => LifecycleEvent) =>
    setHandler(
      def as never,
      ((arg: A) => {
        accept(toEvent(arg));
        return view();
      }) as never,
      { validator: ((arg: A) => refuseIfNot(toEvent(arg))) as never },
    );

  setHandler(getTimelineQuery, () => ({ assetId: s.assetId, state: s.state, timeline: s.timeline }));
  setHandler(getLifecycleQuery, view);
  viewUpdate(setMetadataUpdate, (a: { set: Record<string, unknown>; by: string; roles?: string[] }) => ({
    type: 'set-metadata',
    ...a,
  }));
  viewUpdate(freezeUpdate, (a: { by: string; roles?: string[]; reason: string }) => ({
    type: 'freeze',
    ...a,
  }));
  viewUpdate(unfreezeUpdate, (a: { by: string; roles?: string[] }) => ({ type: 'unfreeze', ...a }));
  viewUpdate(archiveUpdate, (a: { by: string; roles?: string[] }) => ({ type: 'archive', ...a }));
  viewUpdate(restoreUpdate, (a: { by: string; roles?: string[] }) => ({ type: 'restore', ...a }));
  viewUpdate(legalHoldUpdate, (a: { by: string; roles?: string[]; on: boolean; reason?: string }) => ({
    type: 'legal-hold',
    ...a,
  }));
  viewUpdate(
    markEventUpdate,
    (a: { by: string; event: 'delisting' | 'end-of-production'; undo?: boolean }) => ({
      type: 'mark-event',
      ...a,
    }),
  );
  viewUpdate(trashUpdate, (a: { by: string; roles?: string[]; keepFor: string; reason?: string }) => ({
    type: 'trash',
    ...a,
  }));
  viewUpdate(restoreFromTrashUpdate, (a: { by: string; roles?: string[] }) => ({ type: 'untrash', ...a }));
  viewUpdate(
    editTagsUpdate,
    (a: { by: string; roles?: string[]; add?: string[]; remove?: string[]; confirm?: string[] }) => ({
      type: 'edit-tags',
      ...a,
    }),
  );
  viewUpdate(
    setDimensionsUpdate,
    (a: { by: string; set: Record<string, string[]>; before: Record<string, string[]> }) => ({
      type: 'set-dimensions',
      ...a,
    }),
  );
  viewUpdate(moveProjectUpdate, (a: { by: string; from: string; to: string }) => ({
    type: 'move-project',
    ...a,
  }));
  viewUpdate(recordUseUpdate, (a: { by: string; use: 'view' | 'download' }) => ({ type: 'use', ...a }));
  viewUpdate(startFlowUpdate, (a: { by: string; roles?: string[]; flow: string }) => ({
    type: 'start-flow',
    ...a,
  }));
  setHandler(
    migrateRuleSetUpdate,
    (a) => {
      accept({ type: 'migrate', ...a });
      plan = a.plan;
      return view();
    },
    { validator: (a) => refuseIfNot({ type: 'migrate', ...a }) },
  );
  setHandler(
    requestDownloadUpdate,
    // A pending answer names an approval that exists: it is given once the flow has started.
    async (a) => {
      const reply = accept({ type: 'request-download', ...a });
      if (reply.kind !== 'download')
        throw new Error('the engine answered a download request without a decision');
      const { decision } = reply;
      if (decision.status === 'pending') {
        const starts = (e: Effect) =>
          e.type === 'start-approval' && e.approval.approvalId === decision.approvalId;
        await condition(() => !s.outbox.some(starts));
      }
      return decision;
    },
    { validator: (a) => refuseIfNot({ type: 'request-download', ...a }) },
  );
  setHandler(
    addVersionUpdate,
    // Answers once the version's row is written; ingest follows in the main loop.
    async (a) => {
      const reply = accept({ type: 'add-version', ...a });
      if (reply.kind !== 'version') throw new Error('the engine answered a new version without its number');
      await condition(() => s.recordedVersion >= reply.version);
      return { version: reply.version };
    },
    { validator: (a) => refuseIfNot({ type: 'add-version', ...a }) },
  );
  setHandler(approvalFinishedSignal, (outcome) => {
    accept({ type: 'approval-finished', outcome });
  });
  /** Model runs started by `enrich` effects and not yet reported back. */
  let modelsRunning = 0;

  /** Carries out one effect; the engine's state says what, the activities do it. */
  async function perform(effect: Effect) {
    switch (effect.type) {
      case 'record-transition':
        return recordTransition({ assetId: s.assetId, transition: effect.transition });
      case 'save-status':
        return saveLifecycleStatus({ assetId: s.assetId, status: catalogueStatusOf(s) });
      case 'record-version': {
        const { id, type, note, ...version } = effect;
        await recordVersion({ assetId: s.assetId, ...version, note: note ?? null });
        s = { ...s, recordedVersion: Math.max(s.recordedVersion, effect.version) };
        return;
      }
      case 'ingest': {
        const findings = await ingestVersion({
          assetId: s.assetId,
          version: effect.version,
          options: ingestOptionsOf(plan),
          // Revision 4 stores the asset before the models run (the engine then asks for `enrich`).
          ...(modelsAfterStored(s) ? { models: 'later' as const } : {}),
        });
        accept({ type: 'ingested', version: effect.version, findings });
        return;
      }
      case 'enrich': {
        // Not awaited: the models take seconds, and the asset's other effects (a freeze, an
        // approval for a download) must not queue behind them. The result comes back as an event.
        const { version } = effect;
        const report = (tags: FoundTag[], failed?: string) =>
          accept({ type: 'enriched', version, tags, ...(failed ? { failed } : {}) });
        modelsRunning += 1;
        void enrichVersion({ assetId: s.assetId, version, options: ingestOptionsOf(plan) })
          .then(
            (found) => report(found.tags, found.failed),
            // Retries are unlimited, so this is an activity refused for good (its version is gone).
            (error: Error) => report([], (error.cause as Error | undefined)?.message ?? error.message),
          )
          .finally(() => {
            modelsRunning -= 1;
          });
        return;
      }
      case 'start-approval':
        // Abandoned on close: an approval outlives this run (continue-as-new) and reports back by signal.
        await startChild(approvalFlow, {
          workflowId: effect.approval.approvalId,
          // Published versions are loaded by the child; a plan that was never published travels along.
          args: [
            effect.approval.ruleSet && effect.approval.ruleSet.version > 0
              ? effect.approval
              : { ...effect.approval, plan },
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        return;
      case 'move-tier':
        return effect.tier === 'hot' && (s.revision ?? 1) >= 2
          ? bringBack({ assetId: s.assetId, tier: 'hot' })
          : moveToTier({ assetId: s.assetId, tier: effect.tier });
      case 'purge':
        return purgeAsset({ assetId: s.assetId });
      case 'set-project':
        return setAssetProject({ assetId: s.assetId, project: effect.project });
      case 'notify':
        return deliverNotice({
          assetId: s.assetId,
          effectId: effect.id,
          uploadedBy: s.uploadedBy,
          notice: effect.notice,
        });
    }
  }

  async function runOutbox() {
    while (s.outbox.length > 0) {
      const effect = s.outbox[0] as Effect;
      await perform(effect);
      // Handlers may have replaced the state meanwhile; remove exactly the effect that was done.
      s = { ...s, outbox: s.outbox.filter((e) => e.id !== effect.id) };
    }
  }

  for (;;) {
    await runOutbox();
    if (s.state === 'purged') break;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNewWhenQuiet();
      continue;
    }
    const wake = nextWake(s, plan, now());
    const untilWake =
      wake === null ? Number.POSITIVE_INFINITY : Math.max(1, Date.parse(wake) - workflowNow().getTime());
    const woken = await condition(() => s.outbox.length > 0, Math.min(untilWake, MAX_RUN_IDLE_MS));
    if (woken) continue;
    if (wake !== null && Date.parse(wake) <= workflowNow().getTime()) {
      accept({ type: 'time' });
      continue;
    }
    // Idle for a year: a fresh run carries the state and picks up current code.
    if (untilWake > MAX_RUN_IDLE_MS) await continueAsNewWhenQuiet();
  }
  await runOutbox();
  await condition(() => modelsRunning === 0);
  return { assetId: s.assetId, state: s.state, timeline: s.timeline };

  /**
   * The plan of a rule-set version, loaded once per run: a continued run carries only the name
   * and version. An upload that named no rule set (older servers) runs with an empty plan.
   */
  async function planOf(
    ruleSet: { name: string; version: number },
    continued: boolean,
  ): Promise<RuleSetPlan> {
    const loaded = await loadPlan(ruleSet);
    if (loaded) return loaded;
    // Published versions are never deleted; failing the task (Temporal retries it) loses nothing.
    if (continued) throw new Error(`rule set ${ruleSet.name} v${ruleSet.version} is not in the catalogue`);
    return emptyPlan(ruleSet.name);
  }

  /**
   * Continues as new once no handler runs. The carried state includes the outbox, and work that
   * arrives while handlers finish is done first, so nothing is dropped on the way.
   */
  async function continueAsNewWhenQuiet() {
    // Models still running report to this run; the next one would never hear from them.
    await condition(() => allHandlersFinished() && modelsRunning === 0);
    if (s.outbox.length > 0) return; // work arrived meanwhile: do it first, then decide again
    // The plan is not copied: the next run loads it by the rule-set version the state names.
    const { plan: _copy, ...rest } = input;
    // A plan never published (version 0: uploads that named no rule set) has nothing to load from.
    await continueAsNew<typeof interpretLifecycle>({
      ...rest,
      ...(s.ruleSet.version > 0 ? {} : { plan }),
      carried: s,
    });
  }
}
