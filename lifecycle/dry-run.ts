import type { ApprovalOutcome } from '../domain/asset';
import {
  checkDecision,
  decide,
  dutiesOf,
  type FlowContext,
  type FlowState,
  startFlow,
  timeout,
} from '../rules/flow-machine';
import type { NamingVerdict } from '../rules/naming';
import type { RuleSetPlan } from '../rules/plan';
import { approvalOutcome } from './approvals';
import { lifecycleFacts } from './asset-rules';
import { applyEvent, timersOf } from './engine';
import {
  type ApprovalFlowInput,
  ENGINE_REVISION,
  type EngineState,
  type IngestFindings,
  type LifecycleEvent,
  type NoticeRecipients,
} from './model';
import { newAssetState } from './state';
import { decideRetention, type RetentionDecision } from './timers';

/**
 * Dry-run: the lifecycle engine the asset workflow runs, driven by a script instead of people and
 * a simulated clock instead of Temporal's. Effects are simulated: ingest reports what the sample
 * says, approval flows run in the same flow machine the approval workflow runs, timers fire when
 * the script's time passes them. What it cannot know is what people will do: that is the script.
 */
export interface DryRunSample {
  asset: {
    name: string;
    /** `image` (the default) means the file decodes as an image; anything else means it does not. */
    kind?: string;
    format?: string;
    width?: number;
    height?: number;
    /** Tags ingest would derive from the file. */
    /** What ingest's models would find: names, or names with a confidence (0–1). */
    tags?: (string | { name: string; confidence: number })[];
    /** ISO-8601 upload time; the dry-run starts here. */
    uploadedAt: string;
    /** Who uploads it (the requester of flows the upload starts). */
    uploadedBy?: string;
  };
  metadata?: Record<string, unknown>;
  /** Who holds each role (role → users): the roles of anyone whose event names none. */
  directory?: Record<string, string[]>;
}

type At = { at: string; by?: string; roles?: string[] };
export type DryRunEvent =
  | ({ type: 'metadata'; set: Record<string, unknown> } & At)
  | ({
      type: 'download-request';
      audience: string;
      rendition: string;
      user: string;
      external?: boolean;
      teams?: string[];
    } & At)
  | ({
      type: 'decision';
      flow?: string;
      node: string;
      reviewer: string;
      decision: 'approve' | 'reject';
      reason?: string;
    } & At)
  | ({
      type:
        | 'archive'
        | 'restore'
        | 'unfreeze'
        | 'delist'
        | 'relist'
        | 'end-of-production'
        | 'resume-production'
        | 'use';
    } & At)
  | ({ type: 'freeze'; reason?: string } & At)
  | ({ type: 'legal-hold'; on: boolean; reason?: string } & At)
  | ({ type: 'manual'; flow?: string } & At)
  | { type: 'advance'; to: string };

export interface DryRunTimer {
  name: string;
  at: string;
  reason: string;
  status: 'pending' | 'fired' | 'cancelled';
}

export interface DryRunResult {
  create: {
    naming: (NamingVerdict & { policy: string }) | null;
    missingFields: string[];
    complianceTags: string[];
  };
  log: { at: string; event: string; outcome: string }[];
  /** Each scripted event (but `advance`) in the order played: refused with a code, or accepted (null). */
  answers: { at: string; type: string; refused: string | null }[];
  flows: (FlowState & { id: string })[];
  timers: DryRunTimer[];
  /** Which retention rule decides at the end, and what it decides. */
  retention: RetentionDecision;
  final: {
    state: 'created' | 'stored' | 'frozen' | 'expired' | 'archived' | 'trashed' | 'purged';
    frozen: boolean;
    tags: string[];
    metadata: Record<string, unknown>;
    grants: string[];
  };
  /** The engine's own state at the end, for comparing with a workflow's. */
  engine: EngineState;
}

const eventTime = (e: DryRunEvent) => (e.type === 'advance' ? e.to : e.at);

export function dryRun(plan: RuleSetPlan, sample: DryRunSample, events: DryRunEvent[] = []): DryRunResult {
  return new Simulation(plan, sample).run(events);
}

interface SimulatedFlow {
  input: ApprovalFlowInput;
  state: FlowState & { id: string };
}

class Simulation {
  private s: EngineState;
  private readonly log: DryRunResult['log'] = [];
  private readonly flows: SimulatedFlow[] = [];
  private readonly timers: DryRunTimer[] = [];
  private readonly answers: DryRunResult['answers'] = [];
  private create: DryRunResult['create'] | null = null;
  /** The simulated time: the latest moment the script has reached. */
  private clock: string;

  constructor(
    private readonly plan: RuleSetPlan,
    private readonly sample: DryRunSample,
  ) {
    const at = sample.asset.uploadedAt;
    this.clock = at;
    this.s = newAssetState(
      {
        assetId: 'dry-run',
        ruleSet: plan.name,
        version: 1,
        name: sample.asset.name,
        metadata: sample.metadata ?? {},
        uploadedBy: sample.asset.uploadedBy ?? 'uploader',
      },
      at,
      ENGINE_REVISION,
    );
    this.drain(at);
    this.syncTimers(at);
  }

  run(events: DryRunEvent[]): DryRunResult {
    const ordered = events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => eventTime(a.event).localeCompare(eventTime(b.event)) || a.index - b.index);
    for (const { event } of ordered) {
      const at = eventTime(event);
      this.advanceTo(at);
      this.clock = later(at, this.clock);
      if (event.type !== 'advance')
        this.answers.push({ at, type: event.type, refused: this.play(event, at) });
      // What the event made due (a released hold over a passed retention date) fires now, as in the workflow.
      this.advanceTo(at);
      this.syncTimers(at);
    }
    const s = this.s;
    return {
      create: this.create ?? { naming: null, missingFields: [], complianceTags: [] },
      log: this.log,
      answers: this.answers,
      flows: this.flows.map((f) => f.state),
      timers: [...this.timers].sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name)),
      retention: decideRetention(this.plan, lifecycleFacts(s), this.clock),
      final: {
        state: s.frozen && s.state === 'stored' ? 'frozen' : s.state,
        frozen: s.frozen !== null,
        tags: [...s.asset.tags].sort(),
        metadata: s.metadata,
        grants: (s.grants ?? []).map((g) => `${g.user}:${g.rendition}`),
      },
      engine: s,
    };
  }

  /** Lets simulated time pass until `until`: engine timers and approval-step timeouts fire in order. */
  private advanceTo(until: string) {
    for (;;) {
      // As the workflow does: the next timer as of now (conditions may read `now`), fired at its date.
      const engineAt = timersOf(this.s, this.plan, this.clock)[0]?.at;
      const flowDue = this.nextFlowTimeout();
      const next = [engineAt, flowDue?.at]
        .filter((t): t is string => t !== undefined && t <= until)
        .sort()[0];
      if (next === undefined) return;
      // A timer whose date passed while something held it back (a legal hold) fires when released.
      const at = later(next, this.clock);
      if (next === engineAt) this.apply({ type: 'time' }, at, 'time passes');
      else if (flowDue) this.flowTimeout(flowDue.flow, flowDue.node, at);
      this.clock = at;
      this.syncTimers(at);
    }
  }

  /** Plays one scripted event; answers the refusal code, or null when it was accepted. */
  private play(event: Exclude<DryRunEvent, { type: 'advance' }>, at: string): string | null {
    const by = event.by ?? (event.type === 'download-request' ? event.user : 'dry-run');
    const roles = event.roles ?? this.rolesOf(by);
    switch (event.type) {
      case 'decision':
        return this.decision(event, at);
      case 'metadata':
        return this.apply({ type: 'set-metadata', set: event.set, by, roles }, at, 'metadata change');
      case 'download-request':
        return this.apply(
          {
            type: 'request-download',
            by,
            roles,
            audience: event.audience,
            rendition: event.rendition,
            ...(event.external !== undefined ? { external: event.external } : {}),
            ...(event.teams ? { teams: event.teams } : {}),
          },
          at,
          `download ${event.rendition} for ${event.audience} by ${by}`,
        );
      case 'freeze':
        return this.apply({ type: 'freeze', reason: event.reason ?? 'frozen', by, roles }, at, 'freeze');
      case 'legal-hold':
        return this.apply(
          { type: 'legal-hold', on: event.on, ...(event.reason ? { reason: event.reason } : {}), by, roles },
          at,
          event.on ? 'legal hold' : 'legal hold released',
        );
      case 'delist':
      case 'relist':
      case 'end-of-production':
      case 'resume-production':
        return this.apply(
          {
            type: 'mark-event',
            event: event.type === 'delist' || event.type === 'relist' ? 'delisting' : 'end-of-production',
            ...(event.type === 'relist' || event.type === 'resume-production' ? { undo: true } : {}),
            by,
            roles,
          },
          at,
          event.type,
        );
      case 'use':
        return this.apply({ type: 'use', use: 'view', by, roles }, at, 'use');
      case 'manual':
        return this.apply(
          { type: 'start-flow', flow: event.flow ?? '', by, roles },
          at,
          `start ${event.flow}`,
        );
      default:
        return this.apply({ type: event.type, by, roles }, at, event.type);
    }
  }

  /** Feeds one event to the engine and carries out the effects it asks for. */
  private apply(event: LifecycleEvent, at: string, what: string): string | null {
    const outcome = applyEvent(this.s, event, this.plan, at);
    if (!outcome.ok) {
      this.log.push({
        at,
        event: what,
        outcome: `refused (${outcome.refusal.code}): ${outcome.refusal.message}`,
      });
      return outcome.refusal.code;
    }
    this.s = outcome.state;
    if (outcome.reply.kind === 'download') {
      const d = outcome.reply.decision;
      this.log.push({
        at,
        event: what,
        outcome: d.status === 'pending' ? `needs approval (${d.flow})` : d.status,
      });
    }
    this.drain(at);
    return null;
  }

  /** Carries out queued effects the way the workflow would, in order. */
  private drain(at: string) {
    while (this.s.outbox.length > 0) {
      const effect = this.s.outbox[0]!;
      this.s = { ...this.s, outbox: this.s.outbox.slice(1) };
      if (effect.type === 'record-transition') {
        const t = effect.transition;
        this.log.push({ at: t.at, event: t.event ?? `→ ${t.to}`, outcome: t.reason });
      } else if (effect.type === 'ingest' || effect.type === 'enrich') {
        if (effect.type === 'ingest')
          this.apply({ type: 'ingested', version: effect.version, findings: this.findings() }, at, 'ingest');
        else this.apply({ type: 'enriched', version: effect.version, tags: this.modelTags() }, at, 'models');
        // What creation decided, once the models' findings are in (they may fill fields).
        if (this.s.enriching === undefined)
          this.create ??= {
            naming: this.s.compliance.naming as DryRunResult['create']['naming'],
            missingFields: this.s.compliance.missingFields,
            complianceTags: this.s.compliance.complianceTags,
          };
      } else if (effect.type === 'start-approval') {
        this.startApproval({ ...effect.approval, plan: this.plan }, at);
      } else if (effect.type === 'purge') {
        this.log.push({ at, event: 'purge', outcome: 'files deleted; the record remains' });
      } else if (effect.type === 'notify') {
        this.log.push({
          at,
          event: `notify ${recipientsText(effect.notice.to)}`,
          outcome: effect.notice.message,
        });
      }
    }
  }

  /** What the cheap analysis finds: the sample's tags are the models', which come after it. */
  private findings(): IngestFindings {
    const a = this.sample.asset;
    // The models look at images only (ingest/ingest-version.ts): another file's tags come at once.
    if ((a.kind ?? 'image') !== 'image')
      return { kind: 'generic', reason: `a ${a.kind} file`, tags: this.modelTags() };
    const models = (a.tags ?? []).length > 0 ? { enrichment: { state: 'pending' } } : {};
    return {
      kind: 'image',
      format: a.format ?? 'jpeg',
      width: a.width ?? 1,
      height: a.height ?? 1,
      tags: [],
      ...models,
    };
  }

  /** A sample's tags are what the models would find, with certainty unless it gives a confidence. */
  private modelTags() {
    return (this.sample.asset.tags ?? []).map((t) =>
      typeof t === 'string' ? { name: t, source: 'ai', confidence: 1 } : { source: 'ai', ...t },
    );
  }

  /** What the approval child workflow does when it starts: the same flow machine, same context. */
  private startApproval(input: ApprovalFlowInput, at: string) {
    const id = `${input.flow}#${this.flows.length + 1}`;
    const state = { ...startFlow(this.plan, input.flow, at, contextOf(this.plan, input)), id };
    this.flows.push({ input, state });
    this.log.push({ at, event: `flow ${input.flow} started`, outcome: summary(state) });
    this.finishIfDone(this.flows.at(-1)!, at);
  }

  private decision(event: Extract<DryRunEvent, { type: 'decision' }>, at: string): string | null {
    const what = `${event.decision} by ${event.reviewer} on ${event.node}`;
    const flow = [...this.flows]
      .reverse()
      .find((f) => (!event.flow || f.input.flow === event.flow) && f.state.waiting[event.node] !== undefined);
    if (!flow) {
      this.log.push({ at, event: what, outcome: 'refused: no flow waits there' });
      return 'NOT_WAITING';
    }
    const decision = {
      node: event.node,
      reviewer: event.reviewer,
      roles: event.roles ?? this.rolesOf(event.reviewer),
      decision: event.decision,
      ...(event.reason ? { reason: event.reason } : {}),
      at,
    };
    const error = checkDecision(flow.state, decision, contextOf(this.plan, flow.input).duties);
    if (error) {
      this.log.push({ at, event: what, outcome: `refused: ${error}` });
      return error;
    }
    flow.state = {
      ...decide(this.plan, flow.state, decision, contextOf(this.plan, flow.input)).state,
      id: flow.state.id,
    };
    this.log.push({ at, event: what, outcome: summary(flow.state) });
    this.finishIfDone(flow, at);
    return null;
  }

  private flowTimeout(flow: SimulatedFlow, node: string, at: string) {
    flow.state = {
      ...timeout(this.plan, flow.state, { node, at }, contextOf(this.plan, flow.input)),
      id: flow.state.id,
    };
    this.log.push({ at, event: `timeout of ${node}`, outcome: summary(flow.state) });
    this.finishIfDone(flow, at);
  }

  /** A finished flow reports to the asset, as the approval workflow signals it. */
  private finishIfDone(flow: SimulatedFlow, at: string) {
    if (flow.state.status === 'running') return;
    const outcome: ApprovalOutcome = approvalOutcome(flow.input.approvalId, flow.state, at);
    this.apply({ type: 'approval-finished', outcome }, at, `flow ${flow.input.flow} ${flow.state.status}`);
  }

  private nextFlowTimeout() {
    let best: { flow: SimulatedFlow; node: string; at: string } | undefined;
    for (const flow of this.flows) {
      if (flow.state.status !== 'running') continue;
      for (const [node, step] of Object.entries(flow.state.waiting))
        if (step.timeoutAt && (!best || step.timeoutAt < best.at)) best = { flow, node, at: step.timeoutAt };
    }
    return best;
  }

  private rolesOf(user: string): string[] {
    return Object.entries(this.sample.directory ?? {}).flatMap(([role, users]) =>
      users.includes(user) ? [role] : [],
    );
  }

  /** Keeps the timer list: a timer whose date moved is cancelled and re-armed; one gone is fired or cancelled. */
  private syncTimers(now: string) {
    const current = new Map<string, { at: string; reason: string }>();
    for (const t of timersOf(this.s, this.plan, now)) if (t.kind !== 'grant') current.set(t.kind, t);
    for (const g of this.s.grants ?? [])
      current.set(`grant/${g.user}:${g.rendition}`, {
        at: g.expiresAt,
        reason: `download grant for ${g.user} expires`,
      });
    for (const f of this.flows)
      if (f.state.status === 'running')
        for (const [node, step] of Object.entries(f.state.waiting))
          if (step.timeoutAt)
            current.set(`${f.state.id}/${node}`, {
              at: step.timeoutAt,
              reason: `approval timeout of ${node}`,
            });
    for (const timer of this.timers.filter((t) => t.status === 'pending')) {
      const now_ = current.get(timer.name);
      if (now_ && now_.at === timer.at) current.delete(timer.name);
      else timer.status = timer.at <= now ? 'fired' : 'cancelled';
    }
    for (const [name, t] of current)
      this.timers.push({ name, at: t.at, reason: t.reason, status: 'pending' });
  }
}

function contextOf(plan: RuleSetPlan, input: ApprovalFlowInput): FlowContext {
  return {
    fields: plan.fields,
    input: { metadata: input.metadata, asset: input.asset, request: input.request },
    duties: dutiesOf(plan, input.flow, input.request.user),
  };
}

function recipientsText(to: NoticeRecipients): string {
  const names = [
    ...(to.owners ? ['owners'] : []),
    ...(to.users ?? []),
    ...(to.roles ?? []).map((r) => `role ${r}`),
    ...(to.teams ?? []).map((t) => `team ${t}`),
  ];
  return names.join(', ') || 'nobody';
}

/** The later of two ISO-8601 instants. */
const later = (a: string, b: string) => (a < b ? b : a);

function summary(flow: FlowState): string {
  if (flow.status !== 'running') return flow.status;
  const waiting = Object.keys(flow.waiting);
  return waiting.length ? `waiting at ${waiting.join(', ')}` : 'running';
}
