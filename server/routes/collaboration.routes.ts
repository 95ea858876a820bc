import { Router } from 'express';
import type { AssetService } from '../../services/asset.service';
import type { CommentService } from '../../services/comment.service';
import type { VersionService } from '../../services/version.service';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { fileHeaders } from '../responses';
import {
  addComment,
  compareVersions,
  compareVersionsImage,
  listAssetVersions,
  listComments,
  reopenComment,
  resolveComment,
  restoreVersion,
} from './collaboration.contract';

/** Versions (history, compare, restore) and comments on them. */
export function collaborationRouter(deps: {
  assets: AssetService;
  versions: VersionService;
  comments: CommentService;
}): Router {
  const router = Router();

  mount(router, listAssetVersions, async ({ params }, _req, res) => {
    res.json(await deps.versions.history(await deps.assets.get(params.id)));
  });

  /** `?a=1&b=3`: what differs between two versions (`/image` for both side by side). */
  mount(router, compareVersions, async ({ params, query }, _req, res) => {
    res.json(await deps.versions.compare(await deps.assets.get(params.id), query.a, query.b));
  });
  mount(router, compareVersionsImage, async ({ params, query }, _req, res) => {
    const png = await deps.versions.compareImage(await deps.assets.get(params.id), query.a, query.b);
    fileHeaders(res, 'image/png');
    res.set('Cache-Control', 'private, max-age=3600').send(png);
  });

  mount(router, restoreVersion, async ({ params, body }, req, res) => {
    const asset = await deps.assets.get(params.id);
    const restored = await deps.versions.restore(asset, params.version, actorOf(req), body.note);
    res.status(201).json({ ...restored, restoredFrom: params.version });
  });

  mount(router, listComments, async ({ params, query }, _req, res) => {
    await deps.assets.get(params.id);
    res.json({ threads: await deps.comments.threads(params.id, query.version) });
  });
  mount(router, addComment, async ({ params, body }, req, res) => {
    res.status(201).json(await deps.comments.add(actorOf(req), params.id, body));
  });
  mount(router, resolveComment, async ({ params }, req, res) => {
    res.json(await deps.comments.setResolved(actorOf(req), params.id, params.commentId, true));
  });
  mount(router, reopenComment, async ({ params }, req, res) => {
    res.json(await deps.comments.setResolved(actorOf(req), params.id, params.commentId, false));
  });

  return router;
}
