import type { ApprovalOutcome, ApprovalRecord } from '../domain/asset';
import type { FlowTrigger } from '../rules/document';
import { addDuration } from '../rules/duration';
import type { FlowState } from '../rules/flow-machine';
import type { RuleSetPlan } from '../rules/plan';
import { hardened, holds } from './asset-rules';
import type { ApprovalFlowInput, EngineState, NoticeRecipients } from './model';
import { emit, note, notify, statusChanged, transition } from './state';

/**
 * Approval flows from the engine's side: which flows an event starts, the record and effect that
 * start one, and what a finished flow's actions do to the asset. The flows themselves run in
 * `rules/flow-machine.ts` (in the approval child workflow, or in the dry-run's simulator).
 */

/** Records an approval and queues the effect that starts its flow; returns its id (deterministic). */
export function queueApproval(
  s: EngineState,
  flow: string,
  request: ApprovalFlowInput['request'],
  now: string,
): string {
  s.approvalCount += 1;
  const approvalId = `approval-${s.assetId}-${s.approvalCount}`;
  s.approvals = [
    ...(s.approvals ?? []),
    {
      id: approvalId,
      flow,
      status: 'pending',
      requestedBy: request.user,
      audience: request.audience,
      rendition: request.rendition,
      requestedAt: now,
    },
  ];
  note(
    s,
    'approval-requested',
    `${flow}${request.rendition ? ` for ${request.rendition}` : ''}`,
    now,
    request.user,
  );
  emit(s, {
    type: 'start-approval',
    approval: {
      approvalId,
      assetId: s.assetId,
      // The version whose flow this is, fixed now: a migration before the flow starts changes nothing.
      ruleSet: { ...s.ruleSet },
      flow,
      request,
      metadata: { ...s.metadata },
      asset: { name: s.asset.name, kind: s.asset.kind, tags: [...s.asset.tags] },
    },
  });
  statusChanged(s);
  return approvalId;
}

/** Starts the rule set's flows for an event whose condition holds; `by` is the requester. */
export function startFlowsFor(
  s: EngineState,
  plan: RuleSetPlan,
  trigger: Exclude<FlowTrigger, 'download-request' | 'manual'>,
  by: string,
  now: string,
): void {
  for (const [name, flow] of Object.entries(plan.flows)) {
    if (flow.trigger !== trigger || !holds(plan, flow.when, s, now)) continue;
    queueApproval(s, name, { user: by, roles: [], audience: '', rendition: '', external: false }, now);
  }
}

/** Applies a finished approval (once: a repeated report changes nothing). */
export function finishApproval(s: EngineState, outcome: ApprovalOutcome): void {
  const record = s.approvals?.find((a) => a.id === outcome.approvalId);
  if (record?.status !== 'pending') return;
  record.status = outcome.status;
  record.finishedAt = outcome.at;
  if (outcome.decisions) record.decisions = outcome.decisions;
  note(
    s,
    `approval-${outcome.status}`,
    `${record.flow} ${outcome.status}${decidedBy(outcome)}`,
    outcome.at,
    record.id,
  );
  for (const { action, params } of outcome.actions) applyAction(s, action, params, record, outcome.at);
  statusChanged(s);
}

function applyAction(
  s: EngineState,
  action: string,
  params: Record<string, unknown>,
  record: ApprovalRecord,
  at: string,
): void {
  switch (action) {
    case 'grant-download': {
      const expiresIn = typeof params.expiresIn === 'string' ? params.expiresIn : 'P1D';
      s.grants = [
        ...(s.grants ?? []),
        {
          approvalId: record.id,
          user: record.requestedBy,
          rendition: record.rendition,
          expiresAt: addDuration(at, expiresIn),
          ...(hardened(s) ? { audience: record.audience } : {}),
        },
      ];
      break;
    }
    case 'freeze':
      if (!s.frozen) {
        const reason = typeof params.reason === 'string' ? params.reason : `approved in ${record.flow}`;
        s.frozen = { by: `approval ${record.id}`, reason, at };
        note(s, 'frozen', reason, at, `approval ${record.id}`);
        notify(s, {
          kind: 'asset.frozen',
          to: { owners: true },
          message: `frozen by ${record.flow}: ${reason}`,
        });
      }
      break;
    case 'unfreeze':
      if (s.frozen) note(s, 'unfrozen', `by approval ${record.id}`, at, `approval ${record.id}`);
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
      if (s.state === 'stored') transition(s, 'expired', `expired by approval ${record.id}`, at);
      break;
    case 'notify':
      notify(s, {
        kind: 'flow.notify',
        to: recipientsOf(params.to),
        message: `${record.flow}: ${typeof params.message === 'string' ? params.message : record.status}`,
      });
      break;
  }
}

/** What an approval workflow reports to its asset when its flow ends. */
export function approvalOutcome(approvalId: string, state: FlowState, at: string): ApprovalOutcome {
  return {
    approvalId,
    status: state.status as 'approved' | 'rejected',
    at,
    actions: state.effects.flatMap((e) =>
      e.type === 'action' ? [{ action: e.action, params: e.params }] : [],
    ),
    decisions: state.decisions ?? [],
  };
}

/** ` by ann ("fine"), bob` for a timeline entry, or nothing when no person decided (a timeout). */
export function decidedBy(outcome: Pick<ApprovalOutcome, 'decisions'>): string {
  const people = (outcome.decisions ?? []).map(
    (d) => `${d.reviewer}${d.decision === 'reject' ? ' (rejected)' : ''}${d.reason ? `: "${d.reason}"` : ''}`,
  );
  return people.length > 0 ? ` by ${people.join(', ')}` : '';
}

/**
 * A notify action's `to`: e-mail addresses (`ann@example.com`), teams (`team:body`), roles (any
 * other name), and `owners` (the uploader and the asset's collaborators).
 */
export function recipientsOf(to: unknown): NoticeRecipients {
  const names = (Array.isArray(to) ? to : typeof to === 'string' ? [to] : []).map(String);
  const users = names.filter((n) => n.includes('@'));
  const teams = names.filter((n) => n.startsWith('team:')).map((n) => n.slice(5));
  const roles = names.filter((n) => !n.includes('@') && !n.startsWith('team:') && n !== 'owners');
  return { users, roles, teams, ...(names.includes('owners') ? { owners: true } : {}) };
}
