import { stringify } from 'csv-stringify/sync';
import { type Request, type Response, Router } from 'express';
import type { AnalyticsRepository, Period, Window } from '../../catalogue/analytics.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import type { AssetService } from '../../services/asset.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Usage analytics from the distribution trail: totals, per period, per channel, most used assets,
 * the reuse rate, and assets not used for N days (candidates for cold storage). `?format=csv` on
 * the lists.
 */
export function analyticsRouter(deps: { analytics: AnalyticsRepository; assets: AssetService }): Router {
  const router = Router();

  router.get('/api/analytics/summary', async (req, res) => {
    const window = windowOf(req);
    const period = periodOf(req);
    const [totals, byPeriod, byChannel, top, reuse] = await Promise.all([
      deps.analytics.totals(window),
      deps.analytics.byPeriod(window, period),
      deps.analytics.byChannel(window),
      deps.analytics.perAsset(window, 10),
      deps.analytics.reuse(window),
    ]);
    res.json({
      window: windowJson(window),
      totals,
      period,
      byPeriod,
      byChannel,
      mostUsed: top,
      reuse: { ...reuse, rate: reuse.used === 0 ? 0 : round(reuse.reused / reuse.used) },
    });
  });

  router.get('/api/analytics/assets', async (req, res) => {
    const rows = await deps.analytics.perAsset(windowOf(req), limitOf(req));
    send(req, res, 'asset-usage', rows, [
      'assetId',
      'name',
      'views',
      'downloads',
      'shares',
      'exports',
      'lastUsedAt',
    ]);
  });

  router.get('/api/analytics/unused', async (req, res) => {
    const days = Number(req.query.days ?? 90);
    if (!Number.isInteger(days) || days < 1 || days > 36500)
      throw invalid('"days" is a whole number of days (1 or more).', { days: req.query.days });
    const given =
      typeof req.query.today === 'string' && DATE.test(req.query.today)
        ? Date.parse(req.query.today)
        : Number.NaN;
    const today = Number.isNaN(given) ? Date.now() : given;
    const rows = await deps.analytics.unusedSince(new Date(today - days * DAY_MS), limitOf(req));
    send(req, res, `unused-${days}-days`, rows, ['assetId', 'name', 'lastUsedAt', 'createdAt', 'tier']);
  });

  router.get('/api/assets/:id/analytics', async (req, res) => {
    const asset = await deps.assets.get(req.params.id);
    const window = windowOf(req);
    const [usage] = await deps.analytics.perAsset(window, 1, asset.id);
    res.json({
      assetId: asset.id,
      window: windowJson(window),
      views: usage?.views ?? 0,
      downloads: usage?.downloads ?? 0,
      shares: usage?.shares ?? 0,
      exports: usage?.exports ?? 0,
      lastUsedAt: usage?.lastUsedAt ?? null,
    });
  });

  return router;
}

/** JSON by default; `?format=csv` as a download (cells starting with = + - @ are escaped). */
function send(req: Request, res: Response, name: string, rows: object[], columns: string[]): void {
  if (req.query.format === 'csv') {
    res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
    res.send(stringify(rows as Record<string, unknown>[], { header: true, columns, escape_formulas: true }));
    return;
  }
  res.json({ items: rows });
}

function windowOf(req: Request): Window {
  const date = (name: 'from' | 'to') => {
    const value = req.query[name];
    if (value === undefined) return undefined;
    // The pattern alone lets 2024-13-45 through; the date must exist too.
    const date = typeof value === 'string' && DATE.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()))
      throw invalid(`"${name}" is a date, YYYY-MM-DD.`, { [name]: value });
    return date;
  };
  const from = date('from');
  const to = date('to');
  // `to` is inclusive for people: events on that day count.
  return { ...(from ? { from } : {}), ...(to ? { to: new Date(to.getTime() + DAY_MS) } : {}) };
}

function windowJson(window: Window) {
  return {
    from: window.from?.toISOString().slice(0, 10) ?? null,
    to: window.to ? new Date(window.to.getTime() - DAY_MS).toISOString().slice(0, 10) : null,
  };
}

function periodOf(req: Request): Period {
  const period = req.query.period ?? 'month';
  if (period !== 'day' && period !== 'week' && period !== 'month')
    throw invalid('"period" is day, week or month.', { period });
  return period;
}

function limitOf(req: Request): number {
  const limit = Number(req.query.limit ?? 1000);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
    throw invalid('"limit" is 1 to 100000.', { limit: req.query.limit });
  return limit;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function invalid(message: string, details: Record<string, unknown>): AssetflowError {
  return new AssetflowError(ErrorCodes.VALIDATION_FAILED, message, 400, details);
}
