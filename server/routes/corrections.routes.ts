import { Router } from 'express';
import type { AccessService } from '../../services/access.service';
import type { AssetService } from '../../services/asset.service';
import type { AssetWorkflows } from '../../temporal/asset-workflows.client';
import { editTagsUpdate, moveProjectUpdate, setDimensionsUpdate } from '../../workflows/messages';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { editAssetTags, moveAsset, setAssetDimensions } from './corrections.contract';

/** Tag, classification and project corrections, each an update the asset's workflow decides and records. */
export function correctionsRouter(deps: {
  access: AccessService;
  assets: AssetService;
  workflows: AssetWorkflows;
}): Router {
  const router = Router();
  const { workflows } = deps;
  mount(router, editAssetTags, async ({ params, body }, req, res) => {
    const { id } = await deps.assets.get(params.id);
    const actor = actorOf(req);
    res.json(
      await workflows.updateAsset(id, editTagsUpdate, { by: actor.email, roles: actor.roles, ...body }),
    );
  });
  mount(router, setAssetDimensions, async ({ params, body }, req, res) => {
    const asset = await deps.assets.get(params.id);
    // The workflow may never have seen the upload's classification: it is sent along.
    res.json(
      await workflows.updateAsset(asset.id, setDimensionsUpdate, {
        by: actorOf(req).email,
        set: body.set,
        before: asset.dimensions,
      }),
    );
  });
  mount(router, moveAsset, async ({ params, body }, req, res) => {
    const asset = await deps.assets.get(params.id);
    const actor = actorOf(req);
    // Edit on the asset was checked by the endpoint policy; adding to the target needs edit there.
    // The target must exist, administrators included (they pass the level check on anything):
    // the workflow's move would otherwise fail in the catalogue, again and again.
    await deps.access.project(body.project);
    await deps.access.requireOnProject(actor, body.project, 'edit');
    res.json(
      await workflows.updateAsset(asset.id, moveProjectUpdate, {
        by: actor.email,
        from: asset.project,
        to: body.project,
      }),
    );
  });
  return router;
}
