import { Router } from 'express';
import type { AuditRepository } from '../../catalogue/audit.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import type { AssetService } from '../../services/asset.service';
import type { ChannelExportService } from '../../services/channel-export.service';
import type { DistributionService } from '../../services/distribution.service';
import type { AssetWorkflows } from '../../temporal/asset-workflows.client';
import { requestDownloadUpdate } from '../../workflows/messages';
import { actorOf, addressOf } from '../actor';
import { validBody } from '../request-schemas';
import { fileHeaders, paging, sendFile } from '../responses';

/** What leaves for signed-in people: audience-checked renditions, channel exports, the trail. */
export function distributionRouter(deps: {
  assets: AssetService;
  workflows: AssetWorkflows;
  distribution: DistributionService;
  exports: ChannelExportService;
  audit: AuditRepository;
}): Router {
  const router = Router();

  /**
   * The rendition for an audience (`?audience=`), if the asset's workflow says the caller may
   * have it now (allowed, or granted by an approval); 409 APPROVAL_REQUIRED with the approval
   * it started otherwise. `?inline=true` shows it instead of downloading.
   */
  router.get('/api/assets/:id/renditions/:rendition', async (req, res) => {
    const actor = actorOf(req);
    const audience = typeof req.query.audience === 'string' ? req.query.audience : '';
    if (!audience) {
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        'Say which audience you download as: ?audience=…',
        400,
      );
    }
    const asset = await deps.assets.get(req.params.id);
    const decision = await deps.workflows.updateAsset(asset.id, requestDownloadUpdate, {
      by: actor.email,
      roles: actor.roles,
      teams: actor.teams,
      audience,
      rendition: req.params.rendition,
    });
    if (decision.status === 'pending') {
      throw new AssetflowError(
        ErrorCodes.APPROVAL_REQUIRED,
        `"${req.params.rendition}" needs approval first; the request was sent (approval ${decision.approvalId}).`,
        409,
        { approvalId: decision.approvalId },
      );
    }
    if (decision.status === 'restoring') {
      res.status(202).json({
        status: 'restoring',
        rendition: req.params.rendition,
        message: 'The original is coming back from cold storage; you will be notified when it is ready.',
      });
      return;
    }
    const file = await deps.distribution.deliver(asset, req.params.rendition);
    const inline = req.query.inline === 'true';
    await deps.audit.append({
      actor: actor.email,
      action: inline ? 'viewed' : 'download',
      assetId: asset.id,
      version: asset.currentVersion.version,
      rendition: req.params.rendition,
      address: addressOf(req),
      details: { audience, via: decision.status, ...(file.watermark ? { watermark: file.watermark } : {}) },
    });
    sendFile(res, file, inline ? 'inline' : 'attachment');
  });

  /** A zip of the channel's renditions for each asset, with a manifest of what was left out. */
  router.post('/api/exports', async (req, res) => {
    const body = validBody<{ assetIds: string[]; channel: string }>('export', req.body);
    const prepared = await deps.exports.prepare(actorOf(req), body, addressOf(req));
    res.attachment(`${body.channel}-export.zip`);
    fileHeaders(res, 'application/zip');
    deps.distribution.zip(prepared.files, prepared.extras).pipe(res);
  });

  router.get('/api/assets/:id/trail', async (req, res) => {
    res.json({ events: await deps.audit.list({ assetId: req.params.id, ...paging(req) }) });
  });

  /** The whole trail, or one person's (`?actor=`) or one link's (`?share=`): for investigations. */
  router.get('/api/audit', async (req, res) => {
    const actor = typeof req.query.actor === 'string' ? req.query.actor : undefined;
    const shareId = typeof req.query.share === 'string' ? req.query.share : undefined;
    if (shareId !== undefined && !isUuid(shareId)) {
      throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, '"share" is a share link id (a UUID).', 400, {
        share: shareId,
      });
    }
    res.json({
      events: await deps.audit.list({
        ...(actor ? { actor } : {}),
        ...(shareId ? { shareId } : {}),
        ...paging(req),
      }),
    });
  });

  return router;
}
