import { type Request, Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { AccessService } from '../../services/access.service';
import type { SearchService } from '../../services/search.service';
import { actorOf } from '../actor';
import { toAssetResponse } from '../asset.mapper';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RESERVED = new Set(['q', 'sort', 'cursor', 'limit', 'from', 'to', 'today', 'swatch']);

/**
 * `GET /api/search?q=…&colour=red&dim.market=US&sort=newest&cursor=…&limit=20`: natural-language
 * search with facet filters (repeat a filter for OR), keyset pages, facet counts and how the query
 * was understood.
 */
export function searchRouter({ search, access }: { search: SearchService; access: AccessService }): Router {
  const router = Router();
  router.get('/api/search', async (req, res) => {
    const one = (name: string) => {
      const value = req.query[name];
      if (value !== undefined && typeof value !== 'string')
        throw invalid(`"${name}" may be given once.`, { parameter: name });
      return value;
    };
    const limit = Number(one('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw invalid('"limit" is an integer from 1 to 100.', { limit });
    const sort = one('sort');
    if (sort !== undefined && !['relevance', 'newest', 'oldest'].includes(sort))
      throw invalid('"sort" is relevance, newest or oldest.', { sort });
    for (const name of ['from', 'to', 'today']) {
      const value = one(name);
      if (value !== undefined && !DATE.test(value))
        throw invalid(`"${name}" is a date, YYYY-MM-DD.`, { [name]: value });
    }
    const swatch = one('swatch');
    if (swatch !== undefined && !/^#?[0-9a-fA-F]{6}$/.test(swatch))
      throw invalid('"swatch" is a colour as #rrggbb.', { swatch });
    const result = await search.search({
      ...(swatch ? { swatch: swatch.startsWith('#') ? swatch : `#${swatch}` } : {}),
      q: one('q') ?? '',
      filters: filtersOf(req),
      ...(one('from') ? { from: one('from')! } : {}),
      ...(one('to') ? { to: one('to')! } : {}),
      ...(sort ? { sort: sort as 'relevance' | 'newest' | 'oldest' } : {}),
      ...(one('cursor') ? { cursor: one('cursor')! } : {}),
      limit,
      today: one('today') ?? new Date().toISOString().slice(0, 10),
      visibleProjects: await access.visibleProjects(actorOf(req)),
    });
    res.json({
      ...result,
      items: result.items.map((item) => ({ ...toAssetResponse(item), score: item.score })),
    });
  });
  /** `GET /api/trees/automotive/parts?path=X1/powertrain`: the next level's values with counts. */
  router.get('/api/trees/:ruleSet/:tree', async (req, res) => {
    const raw = typeof req.query.path === 'string' ? req.query.path : '';
    const path = raw.split('/').filter((p) => p !== '');
    res.json(
      await search.tree(
        req.params.ruleSet,
        req.params.tree,
        path,
        await access.visibleProjects(actorOf(req)),
      ),
    );
  });
  return router;
}

function filtersOf(req: Request): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (RESERVED.has(name)) continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (values.length > 0) filters[name] = values;
  }
  return filters;
}

function invalid(message: string, details: Record<string, unknown>): AssetflowError {
  return new AssetflowError(ErrorCodes.VALIDATION_FAILED, message, 400, details);
}
