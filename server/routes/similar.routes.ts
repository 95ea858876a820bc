import { Router } from 'express';
import type { AccessService } from '../../services/access.service';
import { SIMILAR_DEFAULT_LIMIT, type SimilarService } from '../../services/similar.service';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { findSimilarAssets } from './similar.contract';

/** `GET /api/assets/{id}/similar`: the policy has checked the caller may view the asset. */
export function similarRouter(deps: { access: AccessService; similar: SimilarService }): Router {
  const router = Router();
  mount(router, findSimilarAssets, async ({ params, query }, req, res) => {
    const actor = actorOf(req);
    const similar = await deps.similar.similar(params.id, {
      limit: query.limit ?? SIMILAR_DEFAULT_LIMIT,
      levelsOn: (ids) => deps.access.levelsOn(actor, ids),
    });
    res.json({ similar });
  });
  return router;
}
