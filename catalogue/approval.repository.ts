import { sql } from 'kysely';
import type { FlowState } from '../rules/flow-machine';
import type { CatalogueDb } from './database';
import { jsonb } from './json';

export interface ApprovalTask {
  approvalId: string;
  node: string;
  assetId: string;
  flow: string;
  users: string[];
  roles: string[];
  quorum: string;
  status: 'pending' | 'approved' | 'rejected' | 'timed-out' | 'cancelled';
  request: { user: string; roles: string[]; audience: string; rendition: string };
  decisions: {
    reviewer: string;
    roles?: string[];
    at: string;
    decision: 'approve' | 'reject';
    reason?: string;
  }[];
  timeoutAt: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** An approval flow's state as its workflow reports it, to mirror into the inbox. */
export interface ApprovalSync {
  approvalId: string;
  assetId: string;
  flow: string;
  request: ApprovalTask['request'];
  state: FlowState;
}

/** The reviewers' inbox, written by approval workflows, read by the API. */
export class ApprovalRepository {
  constructor(private readonly db: CatalogueDb) {}

  /**
   * Makes the inbox match a flow state: its waiting steps pending, finished steps with their
   * outcome. Replaying the same state writes the same rows.
   */
  async sync({ approvalId, assetId, flow, request, state }: ApprovalSync): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const [node, step] of Object.entries(state.waiting)) {
        const decisions = [
          ...step.approvals.map((d) => ({ ...d, decision: 'approve' })),
          ...step.rejections.map((d) => ({ ...d, decision: 'reject' })),
        ];
        decisions.sort((a, b) => a.at.localeCompare(b.at));
        await tx
          .insertInto('approval_tasks')
          .values({
            approval_id: approvalId,
            node,
            asset_id: assetId,
            flow,
            users: step.users,
            roles: step.roles,
            quorum: String(step.quorum),
            status: 'pending',
            request: jsonb(request),
            decisions: jsonb(decisions),
            timeout_at: step.timeoutAt,
            created_at: step.since,
          })
          .onConflict((oc) =>
            oc
              .columns(['approval_id', 'node'])
              .doUpdateSet({ decisions: jsonb(decisions), status: 'pending', closed_at: null }),
          )
          .execute();
      }
      for (const [node, finished] of Object.entries(state.finishedSteps ?? {})) {
        // The decision that closed a step is kept with it (the history of the inbox).
        const decided = (state.decisions ?? [])
          .filter((d) => d.node === node)
          .map(({ node: _node, ...d }) => d);
        await tx
          .updateTable('approval_tasks')
          .set({
            status: finished.outcome,
            closed_at: finished.at,
            ...(state.decisions ? { decisions: jsonb(decided) } : {}),
          })
          .where('approval_id', '=', approvalId)
          .where('node', '=', node)
          .where('status', '=', 'pending')
          .execute();
      }
    });
  }

  /** Pending steps a person may decide: listed by name, or through one of their roles. */
  async pendingFor(user: string, roles: string[]): Promise<ApprovalTask[]> {
    const rows = await this.db
      .selectFrom('approval_tasks')
      .selectAll()
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or([sql<boolean>`${user} = ANY(users)`, sql<boolean>`roles && ${sql.val(roles)}::text[]`]),
      )
      .orderBy('created_at')
      .execute();
    return rows.map(toTask);
  }

  async forApproval(approvalId: string): Promise<ApprovalTask[]> {
    const rows = await this.db
      .selectFrom('approval_tasks')
      .selectAll()
      .where('approval_id', '=', approvalId)
      .orderBy('created_at')
      .execute();
    return rows.map(toTask);
  }
}

function toTask(row: {
  approval_id: string;
  node: string;
  asset_id: string;
  flow: string;
  users: string[];
  roles: string[];
  quorum: string;
  status: ApprovalTask['status'];
  request: unknown;
  decisions: unknown;
  timeout_at: Date | null;
  created_at: Date;
  closed_at: Date | null;
}): ApprovalTask {
  return {
    approvalId: row.approval_id,
    node: row.node,
    assetId: row.asset_id,
    flow: row.flow,
    users: row.users,
    roles: row.roles,
    quorum: row.quorum,
    status: row.status,
    request: row.request as ApprovalTask['request'],
    decisions: row.decisions as ApprovalTask['decisions'],
    timeoutAt: row.timeout_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
