import { Router } from 'express';
import type { AccessService } from '../../services/access.service';
import type { SearchService } from '../../services/search.service';
import { actorOf } from '../actor';
import { toAssetResponse } from '../asset.mapper';
import { mount } from '../contract/route';
import { browseTree, searchAssets } from './search.contract';

/** Parameters of `GET /api/search` that are not facet filters: those its contract does not declare as lists. */
const RESERVED = new Set(
  Object.entries(searchAssets.query!.properties)
    .filter(([, schema]) => (schema as { type?: string }).type !== 'array')
    .map(([name]) => name),
);

/**
 * `GET /api/search?q=…&colour=red&dim.market=US&sort=newest&cursor=…&limit=20`: natural-language
 * search with facet filters (repeat a filter for OR), keyset pages, facet counts and how the query
 * was understood.
 */
export function searchRouter({ search, access }: { search: SearchService; access: AccessService }): Router {
  const router = Router();
  mount(router, searchAssets, async ({ query }, req, res) => {
    const { swatch } = query;
    const result = await search.search({
      ...(swatch ? { swatch: swatch.startsWith('#') ? swatch : `#${swatch}` } : {}),
      q: query.q ?? '',
      filters: filtersOf(query),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
      limit: query.limit ?? 20,
      today: query.today ?? new Date().toISOString().slice(0, 10),
      visibleProjects: await access.visibleProjects(actorOf(req)),
    });
    res.json({
      ...result,
      items: result.items.map((item) => ({ ...toAssetResponse(item), score: item.score })),
    });
  });
  /** `GET /api/trees/automotive/parts?path=X1/powertrain`: the next level's values with counts. */
  mount(router, browseTree, async ({ params, query }, req, res) => {
    const path = (query.path ?? '').split('/').filter((p) => p !== '');
    res.json(
      await search.tree(params.ruleSet, params.tree, path, await access.visibleProjects(actorOf(req))),
    );
  });
  return router;
}

/** Every parameter but the reserved ones is a facet filter (the search refuses unknown ones). */
function filtersOf(query: Record<string, unknown>): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    if (RESERVED.has(name)) continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (values.length > 0) filters[name] = values;
  }
  return filters;
}
