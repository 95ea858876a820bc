import { operation } from '../contract/operation';
import {
  Closed,
  component,
  FreeObject,
  Nullable,
  StringEnum,
  Timestamp,
  Type,
  Uuid,
} from '../contract/schema';

export const ApprovalDecision = component(
  'ApprovalDecision',
  Closed({
    node: Type.String(),
    reviewer: Type.String(),
    decision: StringEnum(['approve', 'reject']),
    reason: Type.Optional(Type.String()),
    at: Timestamp,
  }),
);

const ApprovalTask = component(
  'ApprovalTask',
  Closed({
    approvalId: Type.String(),
    node: Type.String(),
    assetId: Uuid,
    flow: Type.String(),
    users: Type.Array(Type.String()),
    roles: Type.Array(Type.String()),
    quorum: Type.String({
      pattern: '^(any|all|[1-9][0-9]*)$',
      description: 'any, all, or a number of approvals',
    }),
    status: StringEnum(['pending', 'approved', 'rejected', 'timed-out', 'cancelled']),
    request: Closed({
      user: Type.String(),
      roles: Type.Array(Type.String()),
      audience: Type.String(),
      rendition: Type.String(),
      external: Type.Optional(Type.Boolean()),
    }),
    decisions: Type.Array(
      Closed({
        reviewer: Type.String(),
        roles: Type.Optional(Type.Array(Type.String())),
        at: Timestamp,
        decision: StringEnum(['approve', 'reject']),
        reason: Type.Optional(Type.String()),
      }),
    ),
    timeoutAt: Nullable(Timestamp),
    createdAt: Timestamp,
    closedAt: Nullable(Timestamp),
  }),
);

const FlowStep = component('FlowStep', Closed({ node: Type.String(), at: Timestamp, note: Type.String() }));

const StepDecision = Closed({
  reviewer: Type.String(),
  roles: Type.Array(Type.String()),
  at: Timestamp,
  reason: Type.Optional(Type.String()),
});

/** An approval flow's state (rules/flow-machine.ts). */
const FlowState = component(
  'FlowState',
  Closed({
    flow: Type.String(),
    status: StringEnum(['running', 'approved', 'rejected']),
    path: Type.Array(FlowStep),
    waiting: Type.Record(
      Type.String(),
      Closed({
        since: Timestamp,
        users: Type.Array(Type.String()),
        roles: Type.Array(Type.String()),
        quorum: Type.Union([StringEnum(['any', 'all']), Type.Integer({ minimum: 1 })]),
        approvals: Type.Array(StepDecision),
        rejections: Type.Array(StepDecision),
        timeoutAt: Nullable(Timestamp),
      }),
      { description: 'Approval steps waiting for decisions, by node' },
    ),
    finishedSteps: Type.Optional(
      Type.Record(
        Type.String(),
        Closed({
          outcome: StringEnum(['approved', 'rejected', 'timed-out', 'cancelled']),
          at: Timestamp,
        }),
      ),
    ),
    arrivals: Type.Record(Type.String(), Type.Integer()),
    effects: Type.Array(FreeObject, { description: 'What the flow asked the world to do, in order' }),
    decisions: Type.Optional(Type.Array(ApprovalDecision)),
  }),
);

const approvalParams = Closed({ approvalId: Type.String({ description: 'e.g. approval-<asset>-1' }) });

export const listApprovals = operation({
  method: 'get',
  path: '/api/approvals',
  operationId: 'listApprovals',
  tag: 'Approvals',
  summary: "The caller's inbox: pending approval steps they may decide, by name or role",
  description: 'Only steps on assets in projects the caller can see.',
  responses: {
    200: {
      description: 'Pending steps, oldest first',
      json: Closed({ approvals: Type.Array(ApprovalTask) }),
    },
  },
});

export const getApproval = operation({
  method: 'get',
  path: '/api/approvals/{approvalId}',
  operationId: 'getApproval',
  tag: 'Approvals',
  summary: 'An approval: its steps (inbox rows) and the flow state',
  params: approvalParams,
  responses: {
    200: {
      description: 'The approval',
      json: Closed({ approvalId: Type.String(), tasks: Type.Array(ApprovalTask), state: FlowState }),
    },
  },
  errors: { 404: 'APPROVAL_NOT_FOUND' },
});

export const decideApproval = operation({
  method: 'post',
  path: '/api/approvals/{approvalId}/decision',
  operationId: 'decideApproval',
  tag: 'Approvals',
  summary: 'Approve or reject a step; only an eligible reviewer, once',
  params: approvalParams,
  body: {
    json: Closed({
      node: Type.String({ minLength: 1 }),
      decision: StringEnum(['approve', 'reject']),
      reason: Type.Optional(Type.String({ maxLength: 2000 })),
    }),
  },
  responses: {
    200: {
      description: 'The flow after the decision',
      json: Closed({
        approvalId: Type.String(),
        status: StringEnum(['running', 'approved', 'rejected']),
        waiting: Type.Array(Type.String(), { description: 'Steps still waiting' }),
        path: Type.Array(FlowStep),
        decisions: Type.Array(ApprovalDecision),
      }),
    },
  },
  errors: {
    403: 'NOT_ELIGIBLE, OWN_REQUEST, APPROVED_ANOTHER_STEP (separation of duties)',
    404: 'APPROVAL_NOT_FOUND',
    409: 'ALREADY_DECIDED, NOT_WAITING, FLOW_FINISHED',
  },
});

export const approvalsOperations = [listApprovals, getApproval, decideApproval];
