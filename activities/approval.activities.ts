import type { ApprovalRepository, ApprovalTask } from '../catalogue/approval.repository';
import type { FlowState } from '../rules/flow-machine';

export interface ApprovalActivityDeps {
  approvals: ApprovalRepository;
}

export function createApprovalActivities({ approvals }: ApprovalActivityDeps) {
  return {
    /** Keeps the reviewers' inbox equal to the flow's state (idempotent: the state is the whole truth). */
    async syncApprovalTasks(input: {
      approvalId: string;
      assetId: string;
      flow: string;
      request: ApprovalTask['request'];
      state: FlowState;
    }): Promise<void> {
      await approvals.sync(input.approvalId, input.assetId, input.flow, input.request, input.state);
    },
  };
}
