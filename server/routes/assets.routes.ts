import { Router } from 'express';
import type { BlobStore } from '../../blobstore/blob-store';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { AccessService } from '../../services/access.service';
import type { AssetService } from '../../services/asset.service';
import { actorOf } from '../actor';
import { toAssetResponse, toUploadResponse } from '../asset.mapper';
import { mount } from '../contract/route';
import { parseMultipartUpload, type UploadLimits } from '../multipart-upload';
import { fileHeaders } from '../responses';
import { MAX_UPLOADS_IN_FLIGHT_PER_USER, UploadsInFlight } from '../uploads-in-flight';
import {
  addAssetVersion,
  getAsset,
  getAssetThumbnail,
  getAssetTimeline,
  uploadAssets,
} from './assets.contract';

const DEFAULT_PROJECT = 'default';

export function assetsRouter(deps: {
  access: AccessService;
  assets: AssetService;
  blobs: BlobStore;
  limits: UploadLimits;
}): Router {
  const router = Router();
  const inFlight = new UploadsInFlight(MAX_UPLOADS_IN_FLIGHT_PER_USER);

  /**
   * One file answers with the asset; several files (batch upload) with `{assets: [...]}`. The
   * project may be named in the query (`?project=`), where it is checked before a byte is read,
   * or as a form field, checked once the body has arrived.
   */
  mount(router, uploadAssets, async ({ query, headers }, req, res) => {
    const actor = actorOf(req);
    const named = query.project?.trim();
    if (named) await deps.access.requireOnProject(actor, named, 'edit');
    const upload = await inFlight.run(actor.email, () => parseMultipartUpload(req, deps.blobs, deps.limits));
    const discard = () => Promise.all(upload.files.map((f) => f.blob.discard()));
    const field = upload.fields.project?.trim();
    if (named && field && field !== named) {
      await discard();
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `The query names project "${named}" and the form "${field}"; name one.`,
        400,
        { query: named, field },
      );
    }
    const project = named || field || DEFAULT_PROJECT;
    await deps.access.requireOnProject(actor, project, 'edit').catch(async (error: unknown) => {
      await discard();
      throw error;
    });
    const created = await deps.assets.createFromUpload(upload, {
      email: actor.email,
      project,
      levelsOn: (ids) => deps.access.levelsOn(actor, ids),
      idempotencyKey: headers['Idempotency-Key'],
    });
    if (created.some((outcome) => outcome.replayed)) res.setHeader('Idempotent-Replayed', 'true');
    const answers = created.map(toUploadResponse);
    res.status(201).json(answers.length === 1 ? answers[0] : { assets: answers });
  });

  /**
   * A new version (multipart `file`, optional `note`); 409 ASSET_FROZEN while frozen. With an
   * `Idempotency-Key` header, a retried request answers the version the first one made.
   */
  mount(router, addAssetVersion, async ({ params, headers }, req, res) => {
    const actor = actorOf(req);
    const key = headers['Idempotency-Key'];
    const upload = await parseMultipartUpload(req, deps.blobs, deps.limits);
    const { asset, version } = await deps.assets.addVersion(params.id, upload, actor.email, key);
    res.status(201).json({ version, asset: toAssetResponse(asset) });
  });

  mount(router, getAsset, async ({ params }, _req, res) => {
    res.json(toAssetResponse(await deps.assets.get(params.id)));
  });

  /** The grid thumbnail ingest made (404 THUMBNAIL_NOT_READY until then, or for files without one). */
  mount(router, getAssetThumbnail, async ({ params }, _req, res) => {
    const asset = await deps.assets.get(params.id);
    const thumbnail = asset.currentVersion.analysis?.thumbnail;
    // The key is one ingest made from a digest, never from the request.
    const file = thumbnail?.key && (await deps.blobs.rendition(asset.currentVersion.sha256, thumbnail.key));
    if (!thumbnail || !file) {
      throw new AssetflowError(
        ErrorCodes.THUMBNAIL_NOT_READY,
        `Asset ${asset.id} has no thumbnail${!asset.currentVersion.analysis ? ' yet: ingest is still running' : thumbnail?.key ? ': it is missing from the blob store' : ' (its type has no preview)'}.`,
        404,
      );
    }
    // Thumbnails are JPEG or WebP that Assetflow made; the file headers apply all the same.
    fileHeaders(res, thumbnail.mediaType);
    res.set('Cache-Control', 'private, max-age=3600');
    // The default blob root (.assetflow/…) is a dot-directory, which sendFile refuses unless told.
    res.sendFile(file, { dotfiles: 'allow' });
  });

  mount(router, getAssetTimeline, async ({ params }, _req, res) => {
    res.json(await deps.assets.timeline(params.id));
  });

  return router;
}
