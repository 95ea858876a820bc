import { stringify } from 'csv-stringify/sync';
import { type Response, Router } from 'express';
import type { AnalyticsRepository, Window } from '../../catalogue/analytics.repository';
import type { AssetService } from '../../services/asset.service';
import { mount } from '../contract/route';
import { getAnalyticsSummary, getAssetAnalytics, getAssetUsage, getUnusedAssets } from './analytics.contract';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Usage analytics from the distribution trail: totals, per period, per channel, most used assets,
 * the reuse rate, and assets not used for N days (candidates for cold storage). `?format=csv` on
 * the lists.
 */
export function analyticsRouter(deps: { analytics: AnalyticsRepository; assets: AssetService }): Router {
  const router = Router();

  mount(router, getAnalyticsSummary, async ({ query }, _req, res) => {
    const window = windowOf(query);
    const period = query.period ?? 'month';
    const [totals, byPeriod, reuseSteps, byChannel, top, reuse] = await Promise.all([
      deps.analytics.totals(window),
      deps.analytics.byPeriod(window, period),
      deps.analytics.reuseByPeriod(window, period),
      deps.analytics.byChannel(window),
      deps.analytics.perAsset(window, 10),
      deps.analytics.reuse(window),
    ]);
    res.json({
      window: windowJson(window),
      totals,
      period,
      byPeriod: withReuseSoFar(byPeriod, reuseSteps),
      byChannel,
      mostUsed: top,
      reuse: { ...reuse, rate: reuse.used === 0 ? 0 : round(reuse.reused / reuse.used) },
    });
  });

  mount(router, getAssetUsage, async ({ query }, _req, res) => {
    const rows = await deps.analytics.perAsset(windowOf(query), query.limit ?? 1000);
    send(res, query.format, 'asset-usage', rows, [
      'assetId',
      'name',
      'views',
      'downloads',
      'shares',
      'exports',
      'lastUsedAt',
    ]);
  });

  mount(router, getUnusedAssets, async ({ query }, _req, res) => {
    const days = query.days ?? 90;
    const given = query.today !== undefined && DATE.test(query.today) ? Date.parse(query.today) : Number.NaN;
    const today = Number.isNaN(given) ? Date.now() : given;
    const rows = await deps.analytics.unusedSince(new Date(today - days * DAY_MS), query.limit ?? 1000);
    send(res, query.format, `unused-${days}-days`, rows, [
      'assetId',
      'name',
      'lastUsedAt',
      'createdAt',
      'tier',
    ]);
  });

  mount(router, getAssetAnalytics, async ({ params, query }, _req, res) => {
    const asset = await deps.assets.get(params.id);
    const window = windowOf(query);
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
function send(
  res: Response,
  format: 'json' | 'csv' | undefined,
  name: string,
  rows: object[],
  columns: string[],
): void {
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
    res.send(stringify(rows as Record<string, unknown>[], { header: true, columns, escape_formulas: true }));
    return;
  }
  res.json({ items: rows });
}

/** `?from` and `?to`, days the contract has checked exist; `to` is inclusive for people. */
function windowOf(query: { from?: string; to?: string }): Window {
  const day = (value: string | undefined) =>
    value === undefined ? undefined : new Date(`${value}T00:00:00Z`);
  const from = day(query.from);
  const to = day(query.to);
  return { ...(from ? { from } : {}), ...(to ? { to: new Date(to.getTime() + DAY_MS) } : {}) };
}

function windowJson(window: Window) {
  return {
    from: window.from?.toISOString().slice(0, 10) ?? null,
    to: window.to ? new Date(window.to.getTime() - DAY_MS).toISOString().slice(0, 10) : null,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Each period's counts with the assets used and reused from the window's start to its end: the
 * latest reuse step at or before it (every step's period is one of the use periods).
 */
function withReuseSoFar<P extends { period: string }>(
  periods: P[],
  steps: Array<{ period: string; used: number; reused: number }>,
): Array<P & { used: number; reused: number }> {
  let next = 0;
  let soFar = { used: 0, reused: 0 };
  return periods.map((p) => {
    while (next < steps.length && steps[next]!.period <= p.period) soFar = steps[next++]!;
    return { ...p, used: soFar.used, reused: soFar.reused };
  });
}
