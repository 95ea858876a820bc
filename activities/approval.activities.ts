import type { ApprovalRepository, ApprovalSync } from '../catalogue/approval.repository';
import { type NoticeDeps, Notices } from '../operations/notices';

export interface ApprovalActivityDeps extends NoticeDeps {
  approvals: ApprovalRepository;
}

export function createApprovalActivities(deps: ApprovalActivityDeps) {
  const { approvals } = deps;
  const notices = new Notices(deps);
  return {
    /**
     * Keeps the reviewers' inbox equal to the flow's state (idempotent: the state is the whole
     * truth), and tells the reviewers a step waits for them, and the requester the outcome.
     */
    async syncApprovalTasks(input: ApprovalSync): Promise<void> {
      await approvals.sync(input);
      await notices.approvalSteps(input);
    },
  };
}
