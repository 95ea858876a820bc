import { Router } from 'express';
import type { SavedSearchRecord } from '../../catalogue/saved-search.repository';
import type { AccessService } from '../../services/access.service';
import type { SavedSearchService } from '../../services/saved-search.service';
import { type Actor, actorOf } from '../actor';
import { toAssetResponse } from '../asset.mapper';
import { mount } from '../contract/route';
import {
  createSavedSearch,
  deleteSavedSearch,
  getSavedSearch,
  listSavedSearches,
  runSavedSearch,
  updateSavedSearch,
} from './saved-searches.contract';

/** What relative dates count from when a request does not say: today, in UTC (as search does). */
const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * Saved searches ("smart collections"): save, list, change, delete, and run by the stored
 * interpretation. The policy (`saved-search`) has decided who may before any handler runs.
 */
export function savedSearchesRouter(deps: {
  savedSearches: SavedSearchService;
  access: AccessService;
}): Router {
  const router = Router();
  const { savedSearches } = deps;

  mount(router, listSavedSearches, async (_input, req, res) => {
    const actor = actorOf(req);
    res.json({ savedSearches: (await savedSearches.list(actor)).map((s) => toResponse(s, actor)) });
  });

  mount(router, createSavedSearch, async ({ body }, req, res) => {
    const actor = actorOf(req);
    const saved = await savedSearches.create(actor, { ...body, today: body.today ?? todayUtc() });
    res.status(201).json(toResponse(saved, actor));
  });

  mount(router, getSavedSearch, async ({ params }, req, res) => {
    res.json(toResponse(await savedSearches.get(params.savedSearchId), actorOf(req)));
  });

  mount(router, updateSavedSearch, async ({ params, body }, req, res) => {
    const actor = actorOf(req);
    const change = { ...body, today: body.today ?? todayUtc(), todayGiven: body.today !== undefined };
    res.json(toResponse(await savedSearches.update(actor, params.savedSearchId, change), actor));
  });

  mount(router, deleteSavedSearch, async ({ params }, _req, res) => {
    await savedSearches.delete(params.savedSearchId);
    res.status(204).end();
  });

  mount(router, runSavedSearch, async ({ params, query }, req, res) => {
    const result = await savedSearches.results(params.savedSearchId, {
      cursor: query.cursor,
      limit: query.limit ?? 20,
      visibleProjects: await deps.access.visibleProjects(actorOf(req)),
    });
    res.json({
      ...result,
      items: result.items.map((item) => ({ ...toAssetResponse(item), score: item.score })),
    });
  });

  return router;
}

function toResponse(saved: SavedSearchRecord, actor: Actor) {
  return { ...saved, mine: saved.owner.id === actor.id };
}
