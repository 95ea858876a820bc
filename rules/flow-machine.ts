import { type ConditionInput, evaluateCondition, type FieldDeclarations } from './conditions';
import type { FlowAction, FlowNode } from './document';
import { addDuration } from './duration';
import type { FlowPlan, RuleSetPlan } from './plan';

/**
 * The approval-flow state machine, as a pure reducer over plain JSON. The lifecycle workflow
 * keeps a `FlowState` in its state and feeds it decisions and timeouts; the dry-run feeds it the
 * same inputs from a script. Both therefore take exactly the same path.
 *
 * Semantics: a condition that fails to evaluate counts as false (the error is kept in the path).
 * An approval step may be decided by its listed users and by anyone holding one of its listed
 * roles (checked when they decide, so no directory of role members is needed). It waits for its
 * quorum: `any` = one approval, `all` = an approval from every listed user and from someone in
 * every listed role, N = N approvals by different people; any rejection rejects the step. A parallel split runs all branches; its join
 * continues when every branch has arrived; an end node anywhere ends the whole flow.
 */
export interface FlowState {
  flow: string;
  status: 'running' | 'approved' | 'rejected';
  path: FlowStep[];
  /** Approval steps waiting for decisions, by node id. */
  waiting: Record<string, WaitingApproval>;
  /** How each approval step that stopped waiting ended, by node id. */
  finishedSteps?: Record<string, StepOutcome>;
  /** Branch arrivals per join node. */
  arrivals: Record<string, number>;
  /** What the flow asked the world to do, in order; consumers act on entries they have not seen. */
  effects: FlowEffect[];
  /** Every decision taken, with its reason (absent in states recorded before reasons were kept). */
  decisions?: DecisionRecord[];
}

export interface DecisionRecord {
  node: string;
  reviewer: string;
  decision: 'approve' | 'reject';
  reason?: string;
  at: string;
}

/**
 * Separation of duties, as the flow's rule set says: the person who asked may not approve, and
 * nobody approves two steps of one flow, unless the flow allows it. Absent for flows started
 * before it was enforced (their histories replay as they were recorded).
 */
export interface Duties {
  requester: string;
  requesterMayApprove: boolean;
  reviewerMayApproveTwice: boolean;
}

export interface StepOutcome {
  outcome: 'approved' | 'rejected' | 'timed-out' | 'cancelled';
  at: string;
}

export interface FlowStep {
  node: string;
  at: string;
  note: string;
}

export interface WaitingApproval {
  since: string;
  /** Who may decide: these users, and anyone holding one of these roles. */
  users: string[];
  roles: string[];
  quorum: 'any' | 'all' | number;
  approvals: { reviewer: string; roles: string[]; at: string }[];
  rejections: { reviewer: string; roles: string[]; at: string }[];
  timeoutAt: string | null;
}

/** Reviewer, with the roles they hold, deciding on a step. */
export interface Decision {
  node: string;
  reviewer: string;
  roles: string[];
  decision: 'approve' | 'reject';
  reason?: string;
  at: string;
}

export function isEligible(
  step: Pick<WaitingApproval, 'users' | 'roles'>,
  reviewer: string,
  roles: readonly string[],
): boolean {
  return step.users.includes(reviewer) || roles.some((role) => step.roles.includes(role));
}

/** Whether the approvals so far satisfy the step's quorum. */
export function quorumReached(step: WaitingApproval): boolean {
  if (step.quorum === 'any') return step.approvals.length >= 1;
  if (typeof step.quorum === 'number') return step.approvals.length >= step.quorum;
  const everyUser = step.users.every((user) => step.approvals.some((a) => a.reviewer === user));
  const everyRole = step.roles.every((role) => step.approvals.some((a) => a.roles.includes(role)));
  return everyUser && everyRole;
}

export type FlowEffect =
  | { type: 'request-approval'; node: string; users: string[]; roles: string[]; at: string }
  | { type: 'timer'; node: string; firesAt: string; action: 'escalate' | 'approve' | 'reject' }
  | { type: 'cancel-timer'; node: string; at: string }
  | { type: 'action'; node: string; action: FlowAction; params: Record<string, unknown>; at: string }
  | { type: 'finished'; outcome: 'approved' | 'rejected'; at: string };

export interface FlowContext {
  fields: FieldDeclarations;
  /** The condition variables other than `now` (time is the step's `at`). */
  input: Omit<ConditionInput, 'now'>;
  duties?: Duties;
}

export type FlowInputError =
  | 'NOT_WAITING'
  | 'NOT_ELIGIBLE'
  | 'ALREADY_DECIDED'
  | 'FLOW_FINISHED'
  | 'OWN_REQUEST'
  | 'APPROVED_ANOTHER_STEP';

const MAX_STEPS_PER_ADVANCE = 1000;

export function startFlow(plan: RuleSetPlan, flowName: string, at: string, context: FlowContext): FlowState {
  const flow = flowOf(plan, flowName);
  const state: FlowState = {
    flow: flowName,
    status: 'running',
    path: [],
    waiting: {},
    arrivals: {},
    effects: [],
  };
  return advance(flow, state, flow.start, at, context);
}

/** A reviewer's decision on a waiting approval step. */
export function decide(
  plan: RuleSetPlan,
  previous: FlowState,
  input: Decision,
  context: FlowContext,
): { state: FlowState; error?: FlowInputError } {
  const error = checkDecision(previous, input, context.duties);
  if (error) return { state: previous, error };
  const flow = flowOf(plan, previous.flow);
  const state = clone(previous);
  const step = state.waiting[input.node] as WaitingApproval;
  const reason = input.reason?.trim() ? { reason: input.reason.trim() } : {};
  const entry = { reviewer: input.reviewer, roles: [...input.roles], at: input.at, ...reason };
  (input.decision === 'approve' ? step.approvals : step.rejections).push(entry);
  state.decisions = [
    ...(state.decisions ?? []),
    { node: input.node, reviewer: input.reviewer, decision: input.decision, at: input.at, ...reason },
  ];
  const node = flow.nodes[input.node] as Extract<FlowNode, { type: 'approval' }>;
  if (step.rejections.length > 0) {
    return {
      state: leaveApproval(
        flow,
        state,
        input.node,
        node.rejected,
        input.at,
        `rejected by ${input.reviewer}`,
        context,
        'rejected',
      ),
    };
  }
  if (quorumReached(step)) {
    const by = step.approvals.map((a) => a.reviewer).join(', ');
    return {
      state: leaveApproval(
        flow,
        state,
        input.node,
        node.approved,
        input.at,
        `approved by ${by}`,
        context,
        'approved',
      ),
    };
  }
  state.path.push({
    node: input.node,
    at: input.at,
    note: `approved by ${input.reviewer}; quorum ${step.quorum} not yet reached`,
  });
  return { state };
}

/** Why a decision would be refused, or undefined when it is acceptable (used by update validators). */
export function checkDecision(
  state: FlowState,
  input: Pick<Decision, 'node' | 'reviewer' | 'roles'> & { decision?: Decision['decision'] },
  duties?: Duties,
): FlowInputError | undefined {
  if (state.status !== 'running') return 'FLOW_FINISHED';
  const step = state.waiting[input.node];
  if (!step) return 'NOT_WAITING';
  if (!isEligible(step, input.reviewer, input.roles)) return 'NOT_ELIGIBLE';
  if ([...step.approvals, ...step.rejections].some((d) => d.reviewer === input.reviewer))
    return 'ALREADY_DECIDED';
  // Saying no is always allowed (it only stops the request); approving is where duties separate.
  if (duties && input.decision !== 'reject') {
    if (!duties.requesterMayApprove && input.reviewer === duties.requester) return 'OWN_REQUEST';
    if (!duties.reviewerMayApproveTwice && approvedElsewhere(state, input.node, input.reviewer))
      return 'APPROVED_ANOTHER_STEP';
  }
  return undefined;
}

function approvedElsewhere(state: FlowState, node: string, reviewer: string): boolean {
  const inOpenSteps = Object.entries(state.waiting).some(
    ([other, step]) => other !== node && step.approvals.some((a) => a.reviewer === reviewer),
  );
  const inFinished = (state.decisions ?? []).some(
    (d) => d.node !== node && d.reviewer === reviewer && d.decision === 'approve',
  );
  return inOpenSteps || inFinished;
}

/** The duties a flow's rule set asks for, with `requester` the person the flow decides for. */
export function dutiesOf(plan: RuleSetPlan, flowName: string, requester: string): Duties {
  const allowed = flowOf(plan, flowName).separationOfDuties;
  return {
    requester,
    requesterMayApprove: allowed?.requesterMayApprove ?? false,
    reviewerMayApproveTwice: allowed?.reviewerMayApproveTwice ?? false,
  };
}

/** The timeout of a waiting approval step fired. */
export function timeout(
  plan: RuleSetPlan,
  previous: FlowState,
  input: { node: string; at: string },
  context: FlowContext,
): FlowState {
  const waiting = previous.waiting[input.node];
  if (previous.status !== 'running' || !waiting) return previous;
  const flow = flowOf(plan, previous.flow);
  const node = flow.nodes[input.node] as Extract<FlowNode, { type: 'approval' }>;
  const action = node.timeout?.action ?? 'reject';
  const target =
    action === 'approve'
      ? node.approved
      : action === 'reject'
        ? node.rejected
        : (node.timeout?.escalateTo as string);
  return leaveApproval(
    flow,
    clone(previous),
    input.node,
    target,
    input.at,
    `timed out after ${node.timeout?.after}: ${action}`,
    context,
    'timed-out',
  );
}

function leaveApproval(
  flow: FlowPlan,
  state: FlowState,
  node: string,
  next: string,
  at: string,
  note: string,
  context: FlowContext,
  outcome: StepOutcome['outcome'],
): FlowState {
  const waiting = state.waiting[node];
  delete state.waiting[node];
  state.finishedSteps ??= {};
  state.finishedSteps[node] = { outcome, at };
  if (waiting?.timeoutAt) state.effects.push({ type: 'cancel-timer', node, at });
  state.path.push({ node, at, note });
  return advance(flow, state, next, at, context);
}

function advance(
  flow: FlowPlan,
  state: FlowState,
  from: string,
  at: string,
  context: FlowContext,
): FlowState {
  const queue = [from];
  let steps = 0;
  while (queue.length > 0 && state.status === 'running') {
    if (++steps > MAX_STEPS_PER_ADVANCE)
      throw new Error(`flow ${state.flow} did not settle in ${MAX_STEPS_PER_ADVANCE} steps`);
    const id = queue.shift() as string;
    const node = flow.nodes[id];
    if (!node) throw new Error(`flow ${state.flow} has no node ${id}`);
    switch (node.type) {
      case 'start':
        state.path.push({ node: id, at, note: 'started' });
        queue.push(node.next);
        break;
      case 'condition': {
        const result = evaluateCondition(context.fields, node.when, { ...context.input, now: at });
        const holds = result.ok && result.value;
        state.path.push({
          node: id,
          at,
          note: result.ok
            ? `${node.when} → ${result.value}`
            : `${node.when} → error (${result.error}), taken as false`,
        });
        queue.push(holds ? node.then : node.else);
        break;
      }
      case 'action': {
        state.path.push({ node: id, at, note: `action ${node.action}` });
        state.effects.push({
          type: 'action',
          node: id,
          action: node.action,
          params: { ...(node.params ?? {}) },
          at,
        });
        queue.push(node.next);
        break;
      }
      case 'approval': {
        const users = [...new Set(node.reviewers.users ?? [])].sort();
        const roles = [...new Set(node.reviewers.roles ?? [])].sort();
        const quorum = node.quorum ?? 'any';
        const who = [...users, ...roles.map((r) => `role ${r}`)].join(', ');
        const timeoutAt = node.timeout ? addDuration(at, node.timeout.after) : null;
        state.waiting[id] = { since: at, users, roles, quorum, approvals: [], rejections: [], timeoutAt };
        state.path.push({
          node: id,
          at,
          note: `waiting for ${quorum} of [${who}]${timeoutAt ? ` until ${timeoutAt}` : ''}`,
        });
        state.effects.push({ type: 'request-approval', node: id, users, roles, at });
        if (timeoutAt && node.timeout)
          state.effects.push({ type: 'timer', node: id, firesAt: timeoutAt, action: node.timeout.action });
        break;
      }
      case 'parallel':
        state.path.push({ node: id, at, note: `split into ${node.branches.join(', ')}` });
        state.arrivals[node.join] = 0;
        queue.push(...node.branches);
        break;
      case 'join': {
        const branches = Object.values(flow.nodes).find((n) => n.type === 'parallel' && n.join === id) as
          | Extract<FlowNode, { type: 'parallel' }>
          | undefined;
        const arrived = (state.arrivals[id] ?? 0) + 1;
        state.arrivals[id] = arrived;
        const expected = branches?.branches.length ?? 1;
        state.path.push({ node: id, at, note: `branch ${arrived}/${expected} arrived` });
        if (arrived >= expected) queue.push(node.next);
        break;
      }
      case 'end':
        state.path.push({ node: id, at, note: `ended: ${node.outcome}` });
        state.status = node.outcome;
        for (const [waitingNode, waiting] of Object.entries(state.waiting)) {
          if (waiting.timeoutAt) state.effects.push({ type: 'cancel-timer', node: waitingNode, at });
          state.finishedSteps ??= {};
          state.finishedSteps[waitingNode] = { outcome: 'cancelled', at };
        }
        state.waiting = {};
        state.effects.push({ type: 'finished', outcome: node.outcome, at });
        break;
    }
  }
  return state;
}

function flowOf(plan: RuleSetPlan, name: string): FlowPlan {
  const flow = plan.flows[name];
  if (!flow) throw new Error(`rule set ${plan.name} has no flow ${name}`);
  return flow;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
