import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ApprovalOutcome } from '../domain/asset';
import { approvalOutcome } from '../lifecycle/approvals';
import type { ApprovalFlowInput } from '../lifecycle/model';
import { checkDecision, decide, dutiesOf, type FlowContext, startFlow, timeout } from '../rules/flow-machine';
import { type ApprovalView, approvalFinishedSignal, decideUpdate, getApprovalQuery } from './messages';
import { workflowNow } from './workflow-clock';

/** Flows started before separation of duties was enforced replay without it. */
export const SEPARATION_OF_DUTIES_PATCH = 'approval-separation-of-duties';

const { syncApprovalTasks, loadPlan } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One run of an approval flow from a rule set (e.g. a hi-res download), as a child of the asset's
 * workflow. It runs the same flow machine as the dry-run: reviewers decide through the `decide`
 * update (refused before it enters history unless the reviewer is eligible and has not decided),
 * and step timeouts fire as durable timers. The reviewers' inbox is kept current in the catalogue.
 * When the flow ends it tells the asset, which applies the outcome (a download grant, a freeze…).
 */
export async function approvalFlow(input: ApprovalFlowInput): Promise<ApprovalOutcome> {
  const now = () => workflowNow().toISOString();
  const startedAt = now();
  // Inputs recorded before carry the plan; newer ones name the rule-set version, loaded once.
  const plan = input.plan ?? (input.ruleSet ? await loadPlan(input.ruleSet) : null);
  if (!plan)
    throw ApplicationFailure.nonRetryable(
      `Rule set ${input.ruleSet?.name} v${input.ruleSet?.version} is not in the catalogue.`,
      'RULE_SET_NOT_FOUND',
    );
  // Flows started before this patch keep their recorded behaviour: no separation of duties, and
  // dates in conditions as the sandbox then evaluated them (rules/conditions.ts).
  const current = patched(SEPARATION_OF_DUTIES_PATCH);
  const context: FlowContext = {
    fields: plan.fields,
    input: {
      metadata: input.metadata,
      asset: input.asset,
      request: input.request,
      ...(current ? {} : { legacyTimestamps: true }),
    },
    ...(current ? { duties: dutiesOf(plan, input.flow, input.request.user) } : {}),
  };
  let state = startFlow(plan, input.flow, startedAt, context);
  let changed = true;
  const view = (): ApprovalView => ({ approvalId: input.approvalId, assetId: input.assetId, flow: state });

  setHandler(getApprovalQuery, view);
  setHandler(
    decideUpdate,
    (decision) => {
      state = decide(plan, state, { ...decision, at: now() }, context).state;
      changed = true;
      return view();
    },
    {
      validator: (decision) => {
        const error = checkDecision(state, decision, context.duties);
        if (error) throw ApplicationFailure.nonRetryable(refusal(error, decision.node), error);
      },
    },
  );

  const syncInbox = () =>
    syncApprovalTasks({
      approvalId: input.approvalId,
      assetId: input.assetId,
      flow: input.flow,
      request: input.request,
      state,
    });

  while (state.status === 'running') {
    if (changed) {
      changed = false;
      await syncInbox();
    }
    const deadlines = Object.entries(state.waiting)
      .filter(([, step]) => step.timeoutAt !== null)
      .sort(([, a], [, b]) => (a.timeoutAt as string).localeCompare(b.timeoutAt as string));
    const first = deadlines[0];
    const wait = first
      ? Math.max(1, Date.parse(first[1].timeoutAt as string) - workflowNow().getTime())
      : undefined;
    const decided = await condition(() => changed, wait);
    if (!decided && first) {
      state = timeout(plan, state, { node: first[0], at: now() }, context);
      changed = true;
    }
  }
  await syncInbox();

  const outcome = approvalOutcome(input.approvalId, state, now());
  await getExternalWorkflowHandle(`asset-${input.assetId}`).signal(approvalFinishedSignal, outcome);
  return outcome;
}

function refusal(error: string, node: string): string {
  switch (error) {
    case 'NOT_ELIGIBLE':
      return `You are not a reviewer of step "${node}".`;
    case 'ALREADY_DECIDED':
      return `You have already decided on step "${node}".`;
    case 'OWN_REQUEST':
      return `You asked for this; someone else must approve step "${node}" (separation of duties).`;
    case 'APPROVED_ANOTHER_STEP':
      return `You approved another step of this flow; someone else must approve "${node}" (separation of duties).`;
    case 'NOT_WAITING':
      return `Step "${node}" is not waiting for a decision.`;
    default:
      return 'This approval has already finished.';
  }
}
