import { type Request, Router } from 'express';
import type { ApprovalRepository } from '../../catalogue/approval.repository';
import type { AuditRepository } from '../../catalogue/audit.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { Notices } from '../../operations/notices';
import { isAdmin } from '../../policy/access';
import { refuseOversizedMetadata } from '../../rules/metadata';
import type { AccessService } from '../../services/access.service';
import type { AssetService } from '../../services/asset.service';
import type { MigrationService } from '../../services/migration.service';
import type { AssetWorkflows } from '../../temporal/asset-workflows.client';
import {
  archiveUpdate,
  freezeUpdate,
  legalHoldUpdate,
  markEventUpdate,
  requestDownloadUpdate,
  restoreUpdate,
  setMetadataUpdate,
  startFlowUpdate,
  unfreezeUpdate,
} from '../../workflows/messages';
import { actorOf, addressOf } from '../actor';
import { mount } from '../contract/route';
import { decideApproval, getApproval, listApprovals } from './approvals.contract';
import {
  archiveAsset,
  freezeAsset,
  getAssetLifecycle,
  migrateRuleSet,
  recordBusinessEvent,
  requestDownload,
  restoreAsset,
  setAssetMetadata,
  setLegalHold,
  startFlow,
  unfreezeAsset,
} from './lifecycle.contract';

/**
 * What people do to an asset during its life, each sent to the asset's workflow as an update: the
 * workflow decides (a frozen asset refuses changes) and its refusal comes back as 4xx JSON.
 */
export function lifecycleRouter(deps: {
  access: AccessService;
  audit: AuditRepository;
  notices: Notices;
  assets: AssetService;
  workflows: AssetWorkflows;
  approvals: ApprovalRepository;
  migrations: MigrationService;
}): Router {
  const router = Router();
  const { workflows } = deps;
  /** 404 for an unknown asset before anything is sent to Temporal. */
  const existing = async (id: string) => (await deps.assets.get(id)).id;

  mount(router, getAssetLifecycle, async ({ params }, _req, res) => {
    res.json(await workflows.lifecycle(await existing(params.id)));
  });
  mount(router, freezeAsset, async ({ params, body }, req, res) => {
    const assetId = await existing(params.id);
    const view = await workflows.updateAsset(assetId, freezeUpdate, {
      ...actorFields(req),
      reason: body.reason,
    });
    // Everyone who worked on it hears who froze it and why.
    if (view.frozen) await deps.notices.frozen(assetId, view.frozen.by, view.frozen.reason, view.frozen.at);
    res.json(view);
  });
  mount(router, unfreezeAsset, async ({ params }, req, res) => {
    const assetId = await existing(params.id);
    const actor = actorFields(req);
    const view = await workflows.updateAsset(assetId, unfreezeUpdate, actor);
    await deps.notices.unfrozen(assetId, actor.by, new Date().toISOString());
    res.json(view);
  });
  mount(router, archiveAsset, async ({ params }, req, res) => {
    res.json(
      await workflows.updateAsset(await existing(params.id), archiveUpdate, { by: actorOf(req).email }),
    );
  });
  mount(router, restoreAsset, async ({ params }, req, res) => {
    res.json(
      await workflows.updateAsset(await existing(params.id), restoreUpdate, { by: actorOf(req).email }),
    );
  });
  mount(router, setLegalHold, async ({ params, body }, req, res) => {
    res.json(
      await workflows.updateAsset(await existing(params.id), legalHoldUpdate, {
        ...actorFields(req),
        ...body,
      }),
    );
  });
  mount(router, recordBusinessEvent, async ({ params, body }, req, res) => {
    res.json(
      await workflows.updateAsset(await existing(params.id), markEventUpdate, {
        by: actorOf(req).email,
        ...BUSINESS_EVENTS[body.event],
      }),
    );
  });
  /** Starts a flow of the asset's rule set whose trigger is `manual`; 400 FLOW_UNKNOWN otherwise. */
  mount(router, startFlow, async ({ params }, req, res) => {
    res.json(
      await workflows.updateAsset(await existing(params.id), startFlowUpdate, {
        ...actorFields(req),
        flow: params.flow,
      }),
    );
  });
  mount(router, setAssetMetadata, async ({ params, body }, req, res) => {
    const { set } = body;
    refuseOversizedMetadata(set);
    res.json(
      await workflows.updateAsset(await existing(params.id), setMetadataUpdate, {
        by: actorOf(req).email,
        set,
      }),
    );
  });

  /** 200 `allowed`/`granted`, or 202 `pending` with the approval that decides. */
  mount(router, requestDownload, async ({ params, body }, req, res) => {
    const actor = actorOf(req);
    const assetId = await existing(params.id);
    const decision = await workflows.updateAsset(assetId, requestDownloadUpdate, {
      by: actor.email,
      roles: actor.roles,
      teams: actor.teams,
      ...body,
    });
    await deps.audit.append({
      actor: actor.email,
      action: 'download.requested',
      assetId,
      rendition: body.rendition,
      address: addressOf(req),
      details: { audience: body.audience, outcome: decision.status },
    });
    res.status(decision.status === 'pending' || decision.status === 'restoring' ? 202 : 200).json(decision);
  });

  /** The reviewer's inbox: pending steps they may decide (by name or role). */
  mount(router, listApprovals, async (_input, req, res) => {
    const actor = actorOf(req);
    const pending = await deps.approvals.pendingFor(actor.email, actor.roles);
    // A reviewer's role is not enough: the asset must be in a project they can see.
    const visible = await deps.access.levelsOn(actor, [...new Set(pending.map((t) => t.assetId))]);
    res.json({ approvals: pending.filter((task) => visible.has(task.assetId)) });
  });
  mount(router, getApproval, async ({ params }, _req, res) => {
    const tasks = await deps.approvals.forApproval(params.approvalId);
    if (tasks.length === 0)
      throw new AssetflowError(ErrorCodes.APPROVAL_NOT_FOUND, `No approval ${params.approvalId}.`, 404);
    res.json({
      approvalId: params.approvalId,
      tasks,
      state: (await workflows.approval(params.approvalId)).flow,
    });
  });
  mount(router, decideApproval, async ({ params, body }, req, res) => {
    const actor = actorOf(req);
    const view = await workflows.decide(params.approvalId, {
      ...body,
      reviewer: actor.email,
      roles: actor.roles,
    });
    const [task] = await deps.approvals.forApproval(params.approvalId);
    await deps.audit.append({
      actor: actor.email,
      action: 'approval.decided',
      assetId: task?.assetId ?? null,
      rendition: task?.request.rendition ?? null,
      address: addressOf(req),
      details: {
        approvalId: view.approvalId,
        node: body.node,
        decision: body.decision,
        ...(body.reason?.trim() ? { reason: body.reason.trim() } : {}),
        outcome: view.flow.status,
      },
    });
    res.json({
      approvalId: view.approvalId,
      status: view.flow.status,
      waiting: Object.keys(view.flow.waiting),
      path: view.flow.path,
      decisions: view.flow.decisions ?? [],
    });
  });

  /** Preview (default) or apply moving assets to another version of their rule set. */
  mount(router, migrateRuleSet, async ({ params, body }, req, res) => {
    const actor = actorOf(req);
    res.json(
      await deps.migrations.migrate(params.name, body, {
        email: actor.email,
        isAdmin: isAdmin(actor),
        levelsOn: (ids) => deps.access.levelsOn(actor, ids),
      }),
    );
  });

  return router;
}

/** The business events of `POST /api/assets/:id/events`; relisting and resumed production undo the others. */
const BUSINESS_EVENTS = {
  delisting: { event: 'delisting' },
  'end-of-production': { event: 'end-of-production' },
  relisting: { event: 'delisting', undo: true },
  'production-resumed': { event: 'end-of-production', undo: true },
} as const;

/** The caller as workflows see them: who, and with which roles (for role-restricted actions). */
function actorFields(req: Request): { by: string; roles: string[] } {
  const actor = actorOf(req);
  return { by: actor.email, roles: actor.roles };
}
