import { type ConditionInput, evaluateCondition } from './conditions';
import { addDuration } from './duration';
import { decide, type FlowContext, type FlowState, startFlow, timeout } from './flow-machine';
import { checkName, type NamingVerdict } from './naming';
import type { RuleSetPlan } from './plan';

/**
 * Dry-run: play a script of events against a compiled plan and report the path taken through
 * every flow and every timer that would be set, with its absolute date. Pure: no clock, no I/O;
 * time is whatever the events say.
 */
export interface DryRunSample {
  asset: {
    name: string;
    kind?: string;
    format?: string;
    width?: number;
    height?: number;
    sizeBytes?: number;
    tags?: string[];
    colours?: string[];
    category?: string;
    /** ISO-8601 upload time; the dry-run starts here. */
    uploadedAt: string;
  };
  metadata?: Record<string, unknown>;
  /** Who holds each role (role → users): the roles of a reviewer whose decision names none. */
  directory?: Record<string, string[]>;
}

export type DryRunEvent =
  | { type: 'metadata'; at: string; set: Record<string, unknown> }
  | {
      type: 'download-request';
      at: string;
      audience: string;
      rendition: string;
      user: string;
      roles?: string[];
      external?: boolean;
    }
  | {
      type: 'decision';
      at: string;
      flow?: string;
      node: string;
      reviewer: string;
      roles?: string[];
      decision: 'approve' | 'reject';
    }
  | { type: 'archive' | 'delist' | 'end-of-production' | 'manual'; at: string; flow?: string }
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
  flows: (FlowState & { id: string })[];
  timers: DryRunTimer[];
  final: {
    state: 'stored' | 'frozen' | 'expired' | 'archived' | 'purged';
    frozen: boolean;
    tags: string[];
    metadata: Record<string, unknown>;
    grants: string[];
  };
}

const eventTime = (e: DryRunEvent) => (e.type === 'advance' ? e.to : e.at);

export function dryRun(plan: RuleSetPlan, sample: DryRunSample, events: DryRunEvent[] = []): DryRunResult {
  const metadata: Record<string, unknown> = { ...(sample.metadata ?? {}) };
  const tags = new Set(sample.asset.tags ?? []);
  const log: DryRunResult['log'] = [];
  const timers: DryRunTimer[] = [];
  const flows: (FlowState & { id: string })[] = [];
  const grants: string[] = [];
  let state = 'stored' as DryRunResult['final']['state'];
  let frozen = false;
  let lastUse = sample.asset.uploadedAt;
  let request: ConditionInput['request'] = {};

  const input = (now: string): ConditionInput => ({
    metadata,
    asset: { ...sample.asset, tags: [...tags], frozen, state },
    request,
    now,
  });
  const holds = (expression: string | null, now: string) =>
    expression === null ||
    (evaluateCondition(plan.fields, expression, input(now)) as { value?: boolean }).value === true;
  const flowContext = (): FlowContext => ({
    fields: plan.fields,
    input: { metadata, asset: { ...sample.asset, tags: [...tags], frozen, state }, request },
  });
  /** The roles a reviewer holds: from the event, else from the sample's directory. */
  const rolesOf = (user: string, given: string[] | undefined) =>
    given ??
    Object.entries(sample.directory ?? {}).flatMap(([role, users]) => (users.includes(user) ? [role] : []));
  const setTimer = (name: string, at: string, reason: string) => {
    const existing = timers.find((t) => t.name === name && t.status === 'pending');
    if (existing) existing.status = 'cancelled';
    timers.push({ name, at, reason, status: 'pending' });
  };
  const cancelTimer = (name: string) => {
    for (const t of timers) if (t.name === name && t.status === 'pending') t.status = 'cancelled';
  };

  /** Applies what a flow asked for: timers and actions. */
  const applyEffects = (flow: FlowState & { id: string }, from: number) => {
    for (const effect of flow.effects.slice(from)) {
      if (effect.type === 'timer')
        setTimer(`${flow.id}/${effect.node}`, effect.firesAt, `approval timeout (${effect.action})`);
      if (effect.type === 'cancel-timer') cancelTimer(`${flow.id}/${effect.node}`);
      if (effect.type === 'action') applyAction(effect.action, effect.params, effect.at, flow.id);
    }
  };
  const applyAction = (action: string, params: Record<string, unknown>, at: string, by: string) => {
    switch (action) {
      case 'freeze':
        frozen = true;
        break;
      case 'unfreeze':
        frozen = false;
        break;
      case 'tag':
        for (const t of (params.tags as string[] | undefined) ?? []) tags.add(t);
        break;
      case 'untag':
        for (const t of (params.tags as string[] | undefined) ?? []) tags.delete(t);
        break;
      case 'expire':
        state = 'expired';
        break;
      case 'grant-download': {
        const grant = `${request?.user ?? 'requester'}:${request?.rendition ?? 'original'}`;
        grants.push(grant);
        const expiresIn = typeof params.expiresIn === 'string' ? params.expiresIn : 'P1D';
        setTimer(`grant/${grant}`, addDuration(at, expiresIn), `download grant for ${grant} expires`);
        break;
      }
    }
    log.push({ at, event: `action from ${by}`, outcome: action });
  };
  const startFlows = (trigger: string, at: string, only?: string) => {
    for (const [name, flow] of Object.entries(plan.flows)) {
      if (flow.trigger !== trigger || (only && only !== name) || !holds(flow.when, at)) continue;
      const started = { ...startFlow(plan, name, at, flowContext()), id: `${name}#${flows.length + 1}` };
      flows.push(started);
      log.push({ at, event: `flow ${name} started`, outcome: summary(started) });
      applyEffects(started, 0);
    }
  };
  const evaluateFreeze = (at: string) => {
    for (const rule of plan.use.freeze) {
      if (!frozen && holds(rule.when, at)) {
        frozen = true;
        log.push({ at, event: 'freeze trigger', outcome: `frozen: ${rule.reason}` });
      }
    }
  };
  const setValidityTimer = () => {
    const validity = plan.archive.validity;
    const base = validity ? metadata[validity.field] : undefined;
    if (validity && typeof base === 'string' && !Number.isNaN(Date.parse(base))) {
      const at = validity.after ? addDuration(base, validity.after) : new Date(base).toISOString();
      setTimer(
        'validity',
        at,
        `validity ends (${validity.field}${validity.after ? ` + ${validity.after}` : ''}): take down`,
      );
    }
  };
  const setColdTimer = () => {
    if (plan.archive.coldAfterDaysUnused)
      setTimer(
        'cold-tier',
        addDuration(lastUse, `P${plan.archive.coldAfterDaysUnused}D`),
        `unused for ${plan.archive.coldAfterDaysUnused} days: move to cold storage`,
      );
  };
  const anchorRetention = (anchor: string, at: string) => {
    const rule =
      plan.archive.retention.find((r) => r.after === anchor && holds(r.when, at)) ??
      plan.archive.retention.find((r) => r.when !== null && holds(r.when, at) && r.keep === 'forever');
    if (!rule) return;
    if (rule.keep === 'forever') {
      cancelTimer('retention');
      log.push({ at, event: `retention (${anchor})`, outcome: 'kept forever' });
    } else {
      setTimer(
        'retention',
        addDuration(at, rule.keep),
        `retention of ${rule.keep} after ${anchor} ends: purge`,
      );
    }
  };

  // Upload: the create stage.
  const uploadedAt = sample.asset.uploadedAt;
  const ext = /\.([A-Za-z0-9]+)$/.exec(sample.asset.name)?.[1] ?? '';
  const naming = plan.create.naming
    ? {
        ...checkName(plan.create.naming.tokens, sample.asset.name, {
          metadata,
          version: 1,
          date: uploadedAt,
          ext,
        }),
        policy: plan.create.naming.policy,
      }
    : null;
  const kind = sample.asset.kind ?? 'image';
  const missingFields = Object.entries(plan.fields)
    .filter(
      ([name, f]) => f.requiredFor.includes(kind) && (metadata[name] === undefined || metadata[name] === ''),
    )
    .map(([name]) => name);
  const complianceTags: string[] = [];
  for (const rule of plan.create.complianceTags)
    if (holds(rule.when, uploadedAt)) complianceTags.push(...rule.tags);
  for (const t of complianceTags) tags.add(t);
  log.push({
    at: uploadedAt,
    event: 'upload',
    outcome:
      [
        naming
          ? naming.ok
            ? 'name follows the convention'
            : `name breaks the convention (${naming.policy})${naming.suggestion ? ` → ${naming.suggestion}` : ''}`
          : null,
        missingFields.length ? `missing required fields: ${missingFields.join(', ')}` : null,
        complianceTags.length ? `compliance tags: ${complianceTags.join(', ')}` : null,
      ]
        .filter(Boolean)
        .join('; ') || 'accepted',
  });
  evaluateFreeze(uploadedAt);
  setValidityTimer();
  setColdTimer();
  anchorRetention('upload', uploadedAt);
  startFlows('upload', uploadedAt);

  const fireDueTimers = (until: string) => {
    for (;;) {
      const due = timers
        .filter((t) => t.status === 'pending' && t.at <= until)
        .sort((a, b) => a.at.localeCompare(b.at))[0];
      if (!due) return;
      due.status = 'fired';
      log.push({ at: due.at, event: `timer ${due.name}`, outcome: due.reason });
      if (due.name === 'validity') state = 'expired';
      else if (due.name === 'cold-tier')
        log.push({ at: due.at, event: 'tiering', outcome: 'moved to cold storage' });
      else if (due.name === 'retention') state = 'purged';
      else if (due.name.startsWith('grant/')) grants.splice(grants.indexOf(due.name.slice(6)), 1);
      else {
        const [flowId, node] = due.name.split('/') as [string, string];
        const index = flows.findIndex((f) => f.id === flowId);
        const flow = flows[index];
        if (flow) {
          const next = { ...timeout(plan, flow, { node, at: due.at }, flowContext()), id: flow.id };
          flows[index] = next;
          applyEffects(next, flow.effects.length);
        }
      }
    }
  };

  for (const event of [...events].sort((a, b) => eventTime(a).localeCompare(eventTime(b)))) {
    const at = eventTime(event);
    fireDueTimers(at);
    switch (event.type) {
      case 'advance':
        break;
      case 'metadata':
        Object.assign(metadata, event.set);
        log.push({ at, event: 'metadata change', outcome: Object.keys(event.set).join(', ') });
        evaluateFreeze(at);
        setValidityTimer();
        startFlows('metadata-change', at);
        break;
      case 'download-request': {
        request = {
          audience: event.audience,
          rendition: event.rendition,
          user: event.user,
          roles: event.roles ?? [],
          external: event.external ?? false,
        };
        const audience = plan.distribute.audiences[event.audience];
        if (state === 'expired' || state === 'purged') {
          log.push({
            at,
            event: `download ${event.rendition} by ${event.user}`,
            outcome: `refused: asset ${state}`,
          });
        } else if (!audience?.renditions.includes(event.rendition) || !holds(audience.when, at)) {
          log.push({
            at,
            event: `download ${event.rendition} by ${event.user}`,
            outcome: `refused: audience ${event.audience} may not get ${event.rendition}`,
          });
        } else if (audience.approvals[event.rendition]) {
          log.push({
            at,
            event: `download ${event.rendition} by ${event.user}`,
            outcome: `needs approval (${audience.approvals[event.rendition]})`,
          });
          startFlows('download-request', at, audience.approvals[event.rendition]);
        } else {
          log.push({ at, event: `download ${event.rendition} by ${event.user}`, outcome: 'allowed' });
          lastUse = at;
          setColdTimer();
        }
        break;
      }
      case 'decision': {
        const index = findLastIndex(
          flows,
          (f) => (!event.flow || f.flow === event.flow) && f.waiting[event.node] !== undefined,
        );
        const flow = flows[index];
        if (!flow) {
          log.push({
            at,
            event: `decision by ${event.reviewer} on ${event.node}`,
            outcome: 'refused: no flow waits there',
          });
          break;
        }
        const result = decide(
          plan,
          flow,
          {
            node: event.node,
            reviewer: event.reviewer,
            roles: rolesOf(event.reviewer, event.roles),
            decision: event.decision,
            at,
          },
          flowContext(),
        );
        if (result.error) {
          log.push({
            at,
            event: `decision by ${event.reviewer} on ${event.node}`,
            outcome: `refused: ${result.error}`,
          });
          break;
        }
        const next = { ...result.state, id: flow.id };
        flows[index] = next;
        log.push({
          at,
          event: `${event.decision} by ${event.reviewer} on ${event.node}`,
          outcome: summary(next),
        });
        applyEffects(next, flow.effects.length);
        break;
      }
      case 'manual':
        startFlows('manual', at, event.flow);
        break;
      case 'archive':
        state = 'archived';
        log.push({ at, event: 'archive', outcome: 'archived' });
        anchorRetention('archive', at);
        break;
      case 'delist':
        log.push({ at, event: 'delist', outcome: 'product delisted' });
        anchorRetention('delisting', at);
        break;
      case 'end-of-production':
        log.push({ at, event: 'end of production', outcome: 'production ended' });
        anchorRetention('end-of-production', at);
        break;
    }
  }

  return {
    create: { naming, missingFields, complianceTags },
    log,
    flows,
    timers: [...timers].sort((a, b) => a.at.localeCompare(b.at) || a.name.localeCompare(b.name)),
    final: {
      state: frozen && state === 'stored' ? 'frozen' : state,
      frozen,
      tags: [...tags].sort(),
      metadata,
      grants,
    },
  };
}

function summary(flow: FlowState): string {
  if (flow.status !== 'running') return flow.status;
  const waiting = Object.keys(flow.waiting);
  return waiting.length ? `waiting at ${waiting.join(', ')}` : 'running';
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
