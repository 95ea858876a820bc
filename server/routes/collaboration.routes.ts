import { Router } from 'express';
import type { CommentRegion } from '../../catalogue/comment.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { AssetService } from '../../services/asset.service';
import type { CommentService } from '../../services/comment.service';
import type { VersionService } from '../../services/version.service';
import { actorOf } from '../actor';
import { validBody } from '../request-schemas';
import { fileHeaders } from '../responses';

/** Versions (history, compare, restore) and comments on them. */
export function collaborationRouter(deps: {
  assets: AssetService;
  versions: VersionService;
  comments: CommentService;
}): Router {
  const router = Router();

  router.get('/api/assets/:id/versions', async (req, res) => {
    res.json(await deps.versions.history(await deps.assets.get(req.params.id)));
  });

  /** `?a=1&b=3`: what differs between two versions (`/image` for both side by side). */
  router.get('/api/assets/:id/compare', async (req, res) => {
    const { a, b } = versionPair(req.query);
    res.json(await deps.versions.compare(await deps.assets.get(req.params.id), a, b));
  });
  router.get('/api/assets/:id/compare/image', async (req, res) => {
    const { a, b } = versionPair(req.query);
    const png = await deps.versions.compareImage(await deps.assets.get(req.params.id), a, b);
    fileHeaders(res, 'image/png');
    res.set('Cache-Control', 'private, max-age=3600').send(png);
  });

  router.post('/api/assets/:id/versions/:version/restore', async (req, res) => {
    const { note } = validBody<{ note?: string }>('restore', req.body ?? {});
    const version = positiveInteger(req.params.version, 'version');
    const asset = await deps.assets.get(req.params.id);
    const restored = await deps.versions.restore(asset, version, actorOf(req), note);
    res.status(201).json({ ...restored, restoredFrom: version });
  });

  router.get('/api/assets/:id/comments', async (req, res) => {
    const version =
      req.query.version === undefined ? undefined : positiveInteger(req.query.version, 'version');
    await deps.assets.get(req.params.id);
    res.json({ threads: await deps.comments.threads(req.params.id, version) });
  });
  router.post('/api/assets/:id/comments', async (req, res) => {
    const body = validBody<{ body: string; version?: number; parentId?: string; region?: CommentRegion }>(
      'comment',
      req.body,
    );
    res.status(201).json(await deps.comments.add(actorOf(req), req.params.id, body));
  });
  router.post('/api/assets/:id/comments/:commentId/resolve', async (req, res) => {
    res.json(await deps.comments.setResolved(actorOf(req), req.params.id, req.params.commentId, true));
  });
  router.post('/api/assets/:id/comments/:commentId/reopen', async (req, res) => {
    res.json(await deps.comments.setResolved(actorOf(req), req.params.id, req.params.commentId, false));
  });

  return router;
}

function versionPair(query: Record<string, unknown>): { a: number; b: number } {
  return { a: positiveInteger(query.a, 'a'), b: positiveInteger(query.b, 'b') };
}

function positiveInteger(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new AssetflowError(ErrorCodes.VALIDATION_FAILED, `"${name}" is a version number (1, 2, …).`, 400, {
      [name]: value,
    });
  }
  return n;
}
