import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { AuditRepository, TrailFilter } from '../../catalogue/audit.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { AssetService } from '../../services/asset.service';
import type { ChannelExportService } from '../../services/channel-export.service';
import type { DistributionService } from '../../services/distribution.service';
import type { AssetWorkflows } from '../../temporal/asset-workflows.client';
import { requestDownloadUpdate } from '../../workflows/messages';
import { actorOf, addressOf } from '../actor';
import { mount } from '../contract/route';
import { fileHeaders, readyFile, sendFile } from '../responses';
import { exportChannel, getAssetTrail, getRendition, listAudit } from './distribution.contract';

/** What leaves for signed-in people: audience-checked renditions, channel exports, the trail. */
export function distributionRouter(deps: {
  assets: AssetService;
  workflows: AssetWorkflows;
  distribution: DistributionService;
  exports: ChannelExportService;
  audit: AuditRepository;
}): Router {
  const router = Router();

  mount(router, getRendition, async ({ params, query }, req, res) => {
    const actor = actorOf(req);
    const { audience } = query;
    const asset = await deps.assets.get(params.id);
    const decision = await deps.workflows.updateAsset(asset.id, requestDownloadUpdate, {
      by: actor.email,
      roles: actor.roles,
      teams: actor.teams,
      audience,
      rendition: params.rendition,
    });
    if (decision.status === 'pending') {
      throw new AssetflowError(
        ErrorCodes.APPROVAL_REQUIRED,
        `"${params.rendition}" needs approval first; the request was sent (approval ${decision.approvalId}).`,
        409,
        { approvalId: decision.approvalId },
      );
    }
    if (decision.status === 'restoring') {
      res.status(202).json({
        status: 'restoring',
        rendition: params.rendition,
        message: 'The original is coming back from cold storage; you will be notified when it is ready.',
      });
      return;
    }
    const file = await deps.distribution.deliver(asset, params.rendition);
    const inline = query.inline === true;
    const wanted = inline ? 'inline' : 'attachment';
    const ready = await readyFile(file, wanted, { handOff: true });
    await deps.audit
      .append({
        actor: actor.email,
        action: inline ? 'viewed' : 'download',
        assetId: asset.id,
        version: asset.currentVersion.version,
        rendition: params.rendition,
        address: addressOf(req),
        details: { audience, via: decision.status, ...(file.watermark ? { watermark: file.watermark } : {}) },
      })
      .catch((error: unknown) => {
        ready.stream?.destroy();
        throw error;
      });
    await sendFile(res, ready, wanted);
  });

  mount(router, exportChannel, async ({ body }, req, res) => {
    const prepared = await deps.exports.prepare(actorOf(req), body, addressOf(req));
    res.attachment(`${body.channel}-export.zip`);
    fileHeaders(res, 'application/zip');
    await pipeline(deps.distribution.zip(prepared.files, prepared.extras), res);
  });

  mount(router, getAssetTrail, async ({ params, query }, _req, res) => {
    res.json({ events: await deps.audit.list({ assetId: params.id, ...pagingOf(query) }) });
  });

  mount(router, listAudit, async ({ query }, _req, res) => {
    res.json({
      events: await deps.audit.list({
        ...(query.actor ? { actor: query.actor } : {}),
        ...(query.share ? { shareId: query.share } : {}),
        ...pagingOf(query),
      }),
    });
  });

  return router;
}

/** `?after=<seq>&limit=<n>` of the trail endpoints, as the repository takes them. */
export function pagingOf(query: { after?: number; limit?: number }): Pick<TrailFilter, 'after' | 'limit'> {
  return {
    ...(query.after !== undefined ? { after: query.after } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
  };
}
