import { Router } from 'express';
import type { AccessService } from '../../services/access.service';
import type { ContentLookupService } from '../../services/content-lookup.service';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { lookUpContent } from './content-lookup.contract';

/** `POST /api/assets/lookup`: any signed-in caller; the answer names only what they may see. */
export function contentLookupRouter(deps: {
  access: AccessService;
  contentLookup: ContentLookupService;
}): Router {
  const router = Router();
  mount(router, lookUpContent, async ({ body }, req, res) => {
    const actor = actorOf(req);
    res.json({
      found: await deps.contentLookup.find(body.sha256, (ids) => deps.access.levelsOn(actor, ids)),
    });
  });
  return router;
}
