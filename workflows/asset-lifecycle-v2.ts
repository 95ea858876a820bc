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
import type {
  AssetLifecycleView,
  AssetState,
  LifecycleState,
  Transition,
  VersionAnalysis,
} from '../domain/asset';
import { assetKindOf } from '../domain/asset-kind';
import { catalogueStatusOf } from '../lifecycle/engine';
import type { ApprovalFlowInput, AssetLifecycleInput } from '../lifecycle/model';
import { type LifecycleFacts, lifecycleTimers } from '../lifecycle/timers';
import { evaluateCondition } from '../rules/conditions';
import { addDuration } from '../rules/duration';
import { ingestOptionsOf } from '../rules/ingest-options';
import { checkName } from '../rules/naming';
import type { RuleSetPlan } from '../rules/plan';
import { approvalFlow } from './approval-flow.workflow';
import { emptyPlan } from './empty-plan';
import {
  addVersionUpdate,
  approvalFinishedSignal,
  archiveUpdate,
  freezeUpdate,
  getLifecycleQuery,
  getTimelineQuery,
  type LifecycleView,
  legalHoldUpdate,
  markEventUpdate,
  migrateRuleSetUpdate,
  recordUseUpdate,
  requestDownloadUpdate,
  restoreUpdate,
  setMetadataUpdate,
  unfreezeUpdate,
} from './messages';
import { workflowNow } from './workflow-clock';

/** Longest a run waits without any event before continuing as new (timers are re-derived then). */
const MAX_RUN_IDLE_MS = 365 * 24 * 60 * 60 * 1000;

const { analyseVersion, recordTransition, recordVersion, saveLifecycleStatus, moveToTier, purgeAsset } =
  proxyLocalActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: ['AssetNotFound'],
    },
  });

/**
 * Ingest runs as a regular activity: it can take seconds (renditions, tagging), must survive the
 * worker dying mid-way, and heartbeats so a lost worker is noticed in 15 s rather than minutes.
 */
const { ingestVersion } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['AssetNotFound'],
  },
});

/** Workflows started before this patch analyse versions in a local activity. */
export const INGEST_ACTIVITY_PATCH = 'ingest-as-activity';

/** Analyses and ingests one version, the way this workflow run was started with. */
function ingest(ref: { assetId: string; version: number }, plan: RuleSetPlan) {
  if (!patched(INGEST_ACTIVITY_PATCH)) return analyseVersion(ref);
  return ingestVersion({ ...ref, options: ingestOptionsOf(plan) });
}

/**
 * The second version of the asset workflow (rule-set plans, decisions made inline), kept so that
 * workflows started before the lifecycle engine replay exactly as they ran (see
 * LIFECYCLE_ENGINE_PATCH in asset-lifecycle.workflow.ts). Do not change it: its histories must
 * replay. A run of it that continues as new starts the engine's interpreter with the carried state.
 * Remove it once no workflow started without the engine patch is open (then `deprecatePatch`).
 */
export async function assetLifecycleV2(input: AssetLifecycleInput): Promise<AssetLifecycleView> {
  let plan = input.plan ?? emptyPlan(input.ruleSet);
  const now = () => workflowNow().toISOString();
  const s: LifecycleState = input.carried ?? initialState(input, now());
  /** Catalogue writes waiting to be made, in order; the main loop flushes them. */
  const pendingTransitions: Transition[] = [];
  /** Approval flows asked for by updates, started by the main loop. */
  const pendingApprovals: ApprovalFlowInput[] = [];
  s.approvals ??= [];
  s.grants ??= [];
  let statusDirty = false;

  const facts = (): LifecycleFacts => ({
    state: s.state,
    tier: s.tier,
    legalHold: s.legalHold !== null,
    metadata: s.metadata,
    asset: { ...s.asset, frozen: s.frozen !== null, state: s.state },
    lastUsedAt: s.lastUsedAt,
    anchors: s.anchors,
    // This frozen version replays runs recorded before the sandbox date fix (rules/conditions.ts).
    legacyTimestamps: true,
  });
  const view = (): LifecycleView => ({ ...s, timers: lifecycleTimers(plan, facts(), now()) });
  const transition = (to: AssetState, reason: string) => {
    const t: Transition = {
      seq: s.timeline.length + 1,
      from: s.timeline.length === 0 ? null : s.state,
      to,
      at: now(),
      reason,
    };
    s.timeline.push(t);
    s.state = to;
    pendingTransitions.push(t);
  };
  const changed = () => {
    statusDirty = true;
  };
  const applyFreezeTriggers = () => {
    if (s.frozen) return;
    for (const rule of plan.use.freeze) {
      const result = evaluateCondition(plan.fields, rule.when, {
        metadata: s.metadata,
        asset: facts().asset,
        now: now(),
        legacyTimestamps: true,
      });
      if (result.ok && result.value) {
        s.frozen = { by: 'rule', reason: rule.reason, at: now() };
        changed();
        return;
      }
    }
  };
  const refuse = (code: string, message: string): never => {
    throw ApplicationFailure.nonRetryable(message, code);
  };
  /** Actions the rule set restricts to roles (none listed: anyone who may see the asset). */
  const mustHoldRole = (allowed: string[] | undefined, roles: string[] | undefined, action: string) => {
    if (!allowed || allowed.length === 0) return;
    if (!(roles ?? []).some((r) => allowed.includes(r)))
      refuse('NOT_ELIGIBLE', `Only ${allowed.join(', ')} may ${action} this asset (rule set ${plan.name}).`);
  };
  const mustBeLive = () => {
    if (s.state === 'purged') refuse('ASSET_PURGED', 'The asset has been purged; only its record remains.');
  };

  setHandler(getTimelineQuery, () => ({ assetId: s.assetId, state: s.state, timeline: s.timeline }));
  setHandler(getLifecycleQuery, view);

  setHandler(
    setMetadataUpdate,
    ({ set, by }) => {
      Object.assign(s.metadata, set);
      changed();
      applyFreezeTriggers();
      startFlowsFor('metadata-change', by);
      return view();
    },
    {
      validator: ({ set }) => {
        mustBeLive();
        if (s.frozen)
          refuse('ASSET_FROZEN', `The asset is frozen (${s.frozen.reason}); unfreeze it before changing it.`);
        for (const key of Object.keys(set ?? {})) {
          if (!plan.fields[key]) refuse('UNKNOWN_FIELD', `"${key}" is not a field of rule set ${plan.name}.`);
        }
      },
    },
  );
  setHandler(
    freezeUpdate,
    ({ by, reason }) => {
      s.frozen = { by, reason, at: now() };
      changed();
      return view();
    },
    {
      validator: ({ reason, roles }) => {
        mustBeLive();
        mustHoldRole(plan.use.freezeRoles, roles, 'freeze');
        if (!reason?.trim()) refuse('REASON_REQUIRED', 'Say why the asset is frozen.');
        if (s.frozen) refuse('ALREADY_FROZEN', `The asset is already frozen (${s.frozen.reason}).`);
      },
    },
  );
  setHandler(
    unfreezeUpdate,
    (_actor) => {
      s.frozen = null;
      changed();
      return view();
    },
    {
      validator: ({ roles }) => {
        mustHoldRole(plan.use.freezeRoles, roles, 'unfreeze');
        if (!s.frozen) refuse('NOT_FROZEN', 'The asset is not frozen.');
      },
    },
  );
  setHandler(
    archiveUpdate,
    ({ by }) => {
      s.anchors.archive = now();
      transition('archived', `archived by ${by}`);
      changed();
      return view();
    },
    {
      validator: (_actor) => {
        mustBeLive();
        if (s.state === 'archived') refuse('ALREADY_ARCHIVED', 'The asset is already archived.');
      },
    },
  );
  setHandler(
    restoreUpdate,
    ({ by }) => {
      delete s.anchors.archive;
      transition('stored', `restored by ${by}`);
      s.lastUsedAt = now();
      changed();
      return view();
    },
    {
      validator: (_actor) => {
        mustBeLive();
        if (s.state !== 'archived' && s.state !== 'expired')
          refuse(
            'NOT_ARCHIVED',
            `Only an archived or expired asset can be restored; this one is ${s.state}.`,
          );
      },
    },
  );
  setHandler(
    legalHoldUpdate,
    ({ by, on, reason }) => {
      s.legalHold = on ? { by, reason: reason ?? '', at: now() } : null;
      changed();
      return view();
    },
    {
      validator: ({ on, reason, roles }) => {
        mustBeLive();
        mustHoldRole(
          plan.archive.legalHold?.roles,
          roles,
          on ? 'put it on legal hold' : 'release its legal hold',
        );
        if (on && !reason?.trim()) refuse('REASON_REQUIRED', 'Say why the asset is on legal hold.');
        if (on && s.legalHold) refuse('ALREADY_ON_HOLD', 'The asset is already on legal hold.');
        if (!on && !s.legalHold) refuse('NOT_ON_HOLD', 'The asset is not on legal hold.');
      },
    },
  );
  setHandler(
    markEventUpdate,
    ({ event }) => {
      s.anchors[event] = now();
      changed();
      return view();
    },
    {
      validator: ({ event }: { event: 'delisting' | 'end-of-production' }) => {
        mustBeLive();
        if (s.anchors[event])
          refuse('ALREADY_RECORDED', `${event} was already recorded at ${s.anchors[event]}.`);
      },
    },
  );
  setHandler(
    recordUseUpdate,
    (_use) => {
      s.lastUsedAt = now();
      changed();
      return view();
    },
    {
      validator: (_use) => {
        mustBeLive();
        if (s.state === 'expired')
          refuse('ASSET_TAKEN_DOWN', 'The asset was taken down when its validity period ended.');
      },
    },
  );

  setHandler(
    requestDownloadUpdate,
    (request) => {
      const audience = plan.distribute.audiences[request.audience];
      const flow = audience?.approvals[request.rendition];
      s.lastUsedAt = now();
      changed();
      const granted = (s.grants ?? []).find(
        (g) => g.user === request.by && g.rendition === request.rendition,
      );
      if (!flow) return { status: 'allowed', rendition: request.rendition };
      if (granted) return { status: 'granted', rendition: request.rendition };
      const approvalId = queueApproval(flow, {
        user: request.by,
        roles: request.roles,
        audience: request.audience,
        rendition: request.rendition,
        external: request.external ?? false,
      });
      return { status: 'pending', approvalId, flow };
    },
    {
      validator: (request) => {
        mustBeLive();
        if (s.state === 'expired')
          refuse('ASSET_TAKEN_DOWN', 'The asset was taken down when its validity period ended.');
        const audience = plan.distribute.audiences[request.audience];
        if (!audience)
          refuse('AUDIENCE_UNKNOWN', `Rule set ${plan.name} has no audience "${request.audience}".`);
        const member =
          (audience?.roles ?? []).some((role) => request.roles.includes(role)) ||
          (audience?.external === true && request.external === true);
        if (!member) refuse('AUDIENCE_REFUSED', `You are not in the audience "${request.audience}".`);
        if (!audience?.renditions.includes(request.rendition)) {
          refuse(
            'RENDITION_REFUSED',
            `The audience "${request.audience}" may not download "${request.rendition}" (allowed: ${audience?.renditions.join(', ')}).`,
          );
        }
        if (audience?.when) {
          const visible = evaluateCondition(plan.fields, audience.when, {
            metadata: s.metadata,
            asset: facts().asset,
            now: now(),
            legacyTimestamps: true,
          });
          if (!(visible.ok && visible.value))
            refuse('AUDIENCE_REFUSED', `This asset is not available to the audience "${request.audience}".`);
        }
      },
    },
  );
  setHandler(
    addVersionUpdate,
    async ({ by, sha256, sizeBytes, originalName, declaredMediaType, note }) => {
      // The number is taken before any await, so concurrent uploads get distinct, ordered numbers.
      s.version += 1;
      const version = s.version;
      changed();
      await recordVersion({
        assetId: s.assetId,
        version,
        sha256,
        sizeBytes,
        originalName,
        declaredMediaType,
        by,
        note: note ?? null,
      });
      const analysis = await ingest({ assetId: s.assetId, version }, plan);
      if (version === s.version) {
        if (analysis.kind === 'image')
          Object.assign(s.asset, { format: analysis.format, width: analysis.width, height: analysis.height });
        applyIngestFindings(analysis);
      }
      changed();
      return { version };
    },
    {
      validator: (_version) => {
        mustBeLive();
        if (s.frozen)
          refuse(
            'ASSET_FROZEN',
            `The asset is frozen (${s.frozen.reason}); a new version is refused until it is unfrozen.`,
          );
      },
    },
  );
  setHandler(
    migrateRuleSetUpdate,
    ({ by, version, plan: next }) => {
      s.migrations = [...(s.migrations ?? []), { from: s.ruleSet.version, to: version, by, at: now() }];
      s.ruleSet = { name: next.name, version };
      plan = next;
      changed();
      applyFreezeTriggers();
      return view();
    },
    {
      validator: ({ version, plan: next }) => {
        mustBeLive();
        if (next.name !== s.ruleSet.name)
          refuse('RULE_SET_MISMATCH', `The asset runs rule set ${s.ruleSet.name}, not ${next.name}.`);
        if (version === s.ruleSet.version)
          refuse('ALREADY_ON_VERSION', `The asset already runs version ${version}.`);
      },
    },
  );
  setHandler(approvalFinishedSignal, (outcome) => {
    const record = s.approvals?.find((a) => a.id === outcome.approvalId);
    if (record?.status !== 'pending') return; // a duplicate signal changes nothing
    record.status = outcome.status;
    record.finishedAt = outcome.at;
    for (const { action, params } of outcome.actions) applyAction(action, params, record, outcome.at);
    changed();
  });

  /**
   * Tags and the brand-palette verdict from ingest (absent from analyses recorded before ingest
   * produced them, which leaves the state as it was). A new version replaces the tags the previous
   * one derived; tags people or rules added stay.
   */
  function applyIngestFindings(analysis: VersionAnalysis) {
    if (analysis.tags) {
      const previous = new Set(s.derivedTags ?? []);
      const derived = analysis.tags.map((t) => t.name);
      s.asset.tags = [...new Set([...s.asset.tags.filter((t) => !previous.has(t)), ...derived])].sort();
      s.derivedTags = derived;
    }
    if (analysis.kind === 'image' && analysis.brandColours && plan.create.brandPalette) {
      const distances = analysis.brandColours.colours.map((c) => c.deltaE);
      s.compliance.brandColours = {
        ok: analysis.brandColours.ok,
        policy: plan.create.brandPalette.policy,
        worstDeltaE: distances.length > 0 ? Math.max(...distances) : null,
      };
    }
  }

  /** Records an approval flow and queues its child workflow; returns its id (deterministic). */
  function queueApproval(flow: string, request: ApprovalFlowInput['request']): string {
    const approvalId = `approval-${s.assetId}-${(s.approvals?.length ?? 0) + 1}`;
    s.approvals?.push({
      id: approvalId,
      flow,
      status: 'pending',
      requestedBy: request.user,
      audience: request.audience,
      rendition: request.rendition,
      requestedAt: now(),
    });
    pendingApprovals.push({
      approvalId,
      assetId: s.assetId,
      plan,
      flow,
      request,
      metadata: { ...s.metadata },
      asset: { name: s.asset.name, kind: s.asset.kind, tags: s.asset.tags },
    });
    changed();
    return approvalId;
  }

  /** Starts the rule set's flows for an event (upload, metadata change) whose condition holds. */
  function startFlowsFor(trigger: 'upload' | 'metadata-change', by: string) {
    for (const [name, flow] of Object.entries(plan.flows)) {
      if (flow.trigger !== trigger) continue;
      if (flow.when !== null) {
        const holds = evaluateCondition(plan.fields, flow.when, {
          metadata: s.metadata,
          asset: facts().asset,
          now: now(),
          legacyTimestamps: true,
        });
        if (!(holds.ok && holds.value)) continue;
      }
      queueApproval(name, { user: by, roles: [], audience: '', rendition: '', external: false });
    }
  }

  function applyAction(
    action: string,
    params: Record<string, unknown>,
    record: NonNullable<LifecycleState['approvals']>[number],
    at: string,
  ) {
    switch (action) {
      case 'grant-download': {
        const expiresIn = typeof params.expiresIn === 'string' ? params.expiresIn : 'P1D';
        s.grants?.push({
          approvalId: record.id,
          user: record.requestedBy,
          rendition: record.rendition,
          expiresAt: addDuration(at, expiresIn),
        });
        break;
      }
      case 'freeze':
        s.frozen ??= {
          by: `approval ${record.id}`,
          reason: typeof params.reason === 'string' ? params.reason : `approved in ${record.flow}`,
          at,
        };
        break;
      case 'unfreeze':
        s.frozen = null;
        break;
      case 'tag':
      case 'untag': {
        const tags = Array.isArray(params.tags) ? params.tags.map(String) : [];
        const set = new Set(s.asset.tags);
        for (const tag of tags) action === 'tag' ? set.add(tag) : set.delete(tag);
        s.asset.tags = [...set].sort();
        break;
      }
      case 'expire':
        if (s.state === 'stored') transition('expired', `expired by approval ${record.id}`);
        break;
      // 'notify' is delivered by the notification service (issue #8); nothing changes here.
    }
  }

  if (!input.carried) {
    transition('created', 'uploaded');
    await flush();
    const analysis = await ingest({ assetId: s.assetId, version: s.version }, plan);
    s.asset.kind = assetKindOf(s.asset.name, analysis.kind === 'image');
    if (analysis.kind === 'image')
      Object.assign(s.asset, { format: analysis.format, width: analysis.width, height: analysis.height });
    s.compliance = checkCompliance(plan, s, now());
    s.asset.tags = [...new Set([...s.asset.tags, ...s.compliance.complianceTags])].sort();
    applyIngestFindings(analysis);
    transition(
      'stored',
      analysis.kind === 'image'
        ? `analysed ${analysis.format} ${analysis.width}×${analysis.height}`
        : `stored as ${s.asset.kind}: ${analysis.reason}`,
    );
    applyFreezeTriggers();
    startFlowsFor('upload', 'uploader');
    changed();
  }

  for (;;) {
    await flush();
    if (s.state === 'purged') break;
    const next = lifecycleTimers(plan, facts(), now())[0];
    const untilNext = next
      ? Math.max(1, Date.parse(next.at) - workflowNow().getTime())
      : Number.POSITIVE_INFINITY;
    const untilGrantExpiry = s.grants?.length
      ? Math.max(1, Math.min(...s.grants.map((g) => Date.parse(g.expiresAt))) - workflowNow().getTime())
      : Number.POSITIVE_INFINITY;
    const woken = await condition(
      () => statusDirty || pendingTransitions.length > 0 || pendingApprovals.length > 0,
      Math.min(untilNext, untilGrantExpiry, MAX_RUN_IDLE_MS),
    );
    await startPendingApprovals();
    pruneExpiredGrants();
    if (!woken && untilGrantExpiry < untilNext) continue;
    if (!woken && untilNext > MAX_RUN_IDLE_MS) {
      // Idle for a long stretch: start a fresh run carrying the state, so no run's history or
      // age grows without bound (and a new run picks up the current workflow code).
      await condition(allHandlersFinished);
      await continueAsNew<typeof assetLifecycleV2>({ ...input, plan, carried: s });
    }
    if (!woken) await fireDueTimers();
    if (workflowInfo().continueAsNewSuggested && pendingTransitions.length === 0 && !statusDirty) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof assetLifecycleV2>({ ...input, plan, carried: s });
    }
  }
  await flush();
  return { assetId: s.assetId, state: s.state, timeline: s.timeline };

  async function startPendingApprovals() {
    while (pendingApprovals.length > 0) {
      const approval = pendingApprovals[0] as ApprovalFlowInput;
      // Abandoned on close: an approval outlives this run (continue-as-new) and reports back by signal.
      await startChild(approvalFlow, {
        workflowId: approval.approvalId,
        args: [approval],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      pendingApprovals.shift();
    }
  }

  function pruneExpiredGrants() {
    const before = s.grants?.length ?? 0;
    s.grants = (s.grants ?? []).filter((g) => Date.parse(g.expiresAt) > workflowNow().getTime());
    if (s.grants.length !== before) changed();
  }

  async function fireDueTimers() {
    const due = lifecycleTimers(plan, facts(), now()).filter(
      (t) => Date.parse(t.at) <= workflowNow().getTime(),
    );
    for (const timer of due) {
      if (timer.kind === 'validity' && s.state === 'stored') transition('expired', timer.reason);
      if (timer.kind === 'cold-tier' && s.tier === 'hot') {
        await moveToTier({ assetId: s.assetId, tier: 'cold' });
        s.tier = 'cold';
        changed();
      }
      if (timer.kind === 'retention' && !s.legalHold) {
        await purgeAsset({ assetId: s.assetId });
        transition('purged', timer.reason);
      }
    }
  }

  /** Mirrors what changed into the catalogue: transitions in order, then the status row. */
  async function flush() {
    while (pendingTransitions.length > 0) {
      const t = pendingTransitions[0] as Transition;
      await recordTransition({ assetId: s.assetId, transition: t });
      pendingTransitions.shift();
    }
    if (statusDirty) {
      statusDirty = false;
      await saveLifecycleStatus({ assetId: s.assetId, status: catalogueStatusOf(s) });
    }
  }
}

function initialState(input: AssetLifecycleInput, at: string): LifecycleState {
  return {
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
    lastUsedAt: at,
    anchors: { upload: at },
    compliance: { naming: null, missingFields: [], complianceTags: [] },
  };
}

function checkCompliance(plan: RuleSetPlan, s: LifecycleState, now: string): LifecycleState['compliance'] {
  const ext = /\.([A-Za-z0-9]+)$/.exec(s.asset.name)?.[1] ?? '';
  const naming = plan.create.naming
    ? {
        ...checkName(plan.create.naming.tokens, s.asset.name, {
          metadata: s.metadata,
          version: s.version,
          date: s.anchors.upload,
          ext,
        }),
        policy: plan.create.naming.policy,
      }
    : null;
  const missingFields = Object.entries(plan.fields)
    .filter(
      ([name, f]) =>
        f.requiredFor.includes(s.asset.kind) && (s.metadata[name] === undefined || s.metadata[name] === ''),
    )
    .map(([name]) => name);
  const complianceTags: string[] = [];
  for (const rule of plan.create.complianceTags) {
    const result = evaluateCondition(plan.fields, rule.when, {
      metadata: s.metadata,
      asset: { ...s.asset },
      now,
      legacyTimestamps: true,
    });
    if (result.ok && result.value) complianceTags.push(...rule.tags);
  }
  return {
    naming: naming
      ? {
          ok: naming.ok,
          policy: naming.policy,
          ...('expected' in naming ? { expected: naming.expected } : {}),
          ...('suggestion' in naming && naming.suggestion ? { suggestion: naming.suggestion } : {}),
        }
      : null,
    missingFields,
    complianceTags,
  };
}
