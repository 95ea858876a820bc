import { Router } from 'express';
import type { AssetService } from '../../services/asset.service';
import type { TrashService } from '../../services/trash.service';
import { actorOf } from '../actor';
import { toAssetResponse } from '../asset.mapper';
import { mount } from '../contract/route';
import {
  listTrash,
  restoreAssetFromTrash,
  restoreFromTrash,
  trashAsset,
  trashAssets,
} from './trash.contract';

/** Deleting (into the trash), restoring and listing the trash; the asset's workflow decides. */
export function trashRouter(deps: { assets: AssetService; trash: TrashService }): Router {
  const router = Router();
  mount(router, trashAsset, async ({ params, query }, req, res) => {
    const { id } = await deps.assets.get(params.id); // 404 before anything is sent to Temporal
    res.json(await deps.trash.trash(id, actorOf(req), query.reason));
  });
  mount(router, restoreAssetFromTrash, async ({ params }, req, res) => {
    const { id } = await deps.assets.get(params.id);
    res.json(await deps.trash.restore(id, actorOf(req)));
  });
  mount(router, trashAssets, async ({ body }, req, res) => {
    res.json({ results: await deps.trash.many('trash', body.assetIds, actorOf(req), body.reason) });
  });
  mount(router, restoreFromTrash, async ({ body }, req, res) => {
    res.json({ results: await deps.trash.many('restore', body.assetIds, actorOf(req)) });
  });
  mount(router, listTrash, async (_input, req, res) => {
    res.json({ items: (await deps.trash.list(actorOf(req))).map(toAssetResponse) });
  });
  return router;
}
