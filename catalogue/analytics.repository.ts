import { type RawBuilder, sql } from 'kysely';
import type { CatalogueDb } from './database';

export type Period = 'day' | 'week' | 'month';

export interface UsageCounts {
  views: number;
  downloads: number;
  shares: number;
  exports: number;
}

export interface AssetUsage extends UsageCounts {
  assetId: string;
  name: string;
  lastUsedAt: string | null;
}

export interface Window {
  from?: Date;
  to?: Date;
}

/**
 * Usage figures computed from the distribution trail (audit_events), so they are exactly what
 * the tamper-evident record says happened:
 * - views: a share link's page opened (`share.viewed`) or a rendition shown inline (`viewed`);
 * - downloads: files that left (`download`, through a link or an audience);
 * - shares: links made for the asset (`share.created`); exports: channel files (`export`).
 * A "use" is any of these; an asset's last use is the latest.
 */
export class AnalyticsRepository {
  constructor(private readonly db: CatalogueDb) {}

  async totals(window: Window): Promise<UsageCounts> {
    const { rows } = await sql<Counts>`
      SELECT ${countColumns()} FROM audit_events WHERE ${inWindow(window)}`.execute(this.db);
    return toCounts(rows[0]);
  }

  async byPeriod(window: Window, period: Period): Promise<Array<UsageCounts & { period: string }>> {
    const { rows } = await sql<Counts & { period: string }>`
      SELECT ${bucketOf(sql`at`, period)} AS period, ${countColumns()} FROM audit_events
      WHERE ${inWindow(window)} AND action IN ${USE_ACTIONS}
      GROUP BY 1 ORDER BY 1`.execute(this.db);
    return rows.map((r) => ({ period: r.period, ...toCounts(r) }));
  }

  /** Downloads per audience (or `link` for share links) and exports per channel. */
  async byChannel(window: Window): Promise<Array<{ channel: string; downloads: number; exports: number }>> {
    const { rows } = await sql<{ channel: string; downloads: string | number; exports: string | number }>`
      SELECT CASE
               WHEN action = 'export' THEN 'channel:' || (details->>'channel')
               WHEN share_id IS NOT NULL THEN 'link'
               ELSE 'audience:' || coalesce(details->>'audience', 'unknown')
             END AS channel,
             count(*) FILTER (WHERE action = 'download') AS downloads,
             count(*) FILTER (WHERE action = 'export') AS exports
      FROM audit_events
      WHERE ${inWindow(window)} AND action IN ('download', 'export')
      GROUP BY 1 ORDER BY 1`.execute(this.db);
    return rows.map((r) => ({
      channel: r.channel,
      downloads: Number(r.downloads),
      exports: Number(r.exports),
    }));
  }

  /** Per asset, most used first (views + downloads + shares + exports), then by name. */
  async perAsset(window: Window, limit: number, assetId?: string): Promise<AssetUsage[]> {
    const { rows } = await sql<Counts & { asset_id: string; name: string; last_used_at: Date | null }>`
      SELECT e.asset_id, a.display_name AS name, ${countColumns()}, max(e.at) AS last_used_at
      FROM audit_events e JOIN assets a ON a.id = e.asset_id
      WHERE ${inWindow(window)} AND e.action IN ${USE_ACTIONS}
        ${assetId ? sql`AND e.asset_id = ${assetId}` : sql``}
      GROUP BY e.asset_id, a.display_name
      ORDER BY count(*) DESC, a.display_name, e.asset_id
      LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => ({
      assetId: r.asset_id,
      name: r.name,
      ...toCounts(r),
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
    }));
  }

  /**
   * How many used assets were used in more than one context, where a context is a share link,
   * a channel export or a download audience: the reuse rate.
   */
  async reuse(window: Window): Promise<{ used: number; reused: number }> {
    const { rows } = await sql<{ used: string | number; reused: string | number }>`
      WITH contexts AS (
        SELECT asset_id, count(DISTINCT ${CONTEXT}) AS n
        FROM audit_events
        WHERE ${inWindow(window)} AND asset_id IS NOT NULL AND action IN ${USE_ACTIONS}
        GROUP BY asset_id)
      SELECT count(*) AS used, count(*) FILTER (WHERE n > 1) AS reused FROM contexts`.execute(this.db);
    return { used: Number(rows[0]?.used ?? 0), reused: Number(rows[0]?.reused ?? 0) };
  }

  /**
   * Reuse over time: at the end of each period where it changed, how many assets had been used
   * since the window's start, and how many of them in more than one context. An asset counts as
   * used from its first context's first use, and as reused from its second's.
   */
  async reuseByPeriod(
    window: Window,
    period: Period,
  ): Promise<Array<{ period: string; used: number; reused: number }>> {
    const { rows } = await sql<{ period: string; used: string | number; reused: string | number }>`
      WITH contexts AS (
        SELECT asset_id, min(at) AS first
        FROM audit_events
        WHERE ${inWindow(window)} AND asset_id IS NOT NULL AND action IN ${USE_ACTIONS}
        GROUP BY asset_id, ${CONTEXT}),
      ranked AS (
        SELECT ${bucketOf(sql`first`, period)} AS period,
               row_number() OVER (PARTITION BY asset_id ORDER BY first) AS k
        FROM contexts),
      steps AS (
        SELECT period, count(*) FILTER (WHERE k = 1) AS used, count(*) FILTER (WHERE k = 2) AS reused
        FROM ranked GROUP BY period)
      SELECT period, sum(used) OVER (ORDER BY period) AS used, sum(reused) OVER (ORDER BY period) AS reused
      FROM steps ORDER BY period`.execute(this.db);
    return rows.map((r) => ({ period: r.period, used: Number(r.used), reused: Number(r.reused) }));
  }

  /** Assets not used since `before` (never-used ones count from their upload), oldest first. */
  async unusedSince(
    before: Date,
    limit: number,
  ): Promise<
    Array<{ assetId: string; name: string; lastUsedAt: string | null; createdAt: string; tier: string }>
  > {
    const { rows } = await sql<{
      id: string;
      name: string;
      last_used_at: Date | null;
      created_at: Date;
      tier: string;
    }>`
      SELECT a.id, a.display_name AS name, u.last_used_at, a.created_at, a.tier
      FROM assets a
      LEFT JOIN (SELECT asset_id, max(at) AS last_used_at FROM audit_events
                 WHERE action IN ${USE_ACTIONS} GROUP BY asset_id) u ON u.asset_id = a.id
      WHERE a.purged_at IS NULL AND a.state <> 'trashed' AND coalesce(u.last_used_at, a.created_at) < ${before}
      ORDER BY coalesce(u.last_used_at, a.created_at), a.id
      LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => ({
      assetId: r.id,
      name: r.name,
      lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
      createdAt: new Date(r.created_at).toISOString(),
      tier: r.tier,
    }));
  }
}

type Counts = {
  views: string | number;
  downloads: string | number;
  shares: string | number;
  exports: string | number;
};

const USE_ACTIONS = sql`('viewed', 'share.viewed', 'download', 'share.created', 'export')`;

/** The context an asset was used in: a share link, a channel's export, or a download audience. */
const CONTEXT = sql`CASE
    WHEN action = 'export' THEN 'channel:' || (details->>'channel')
    WHEN share_id IS NOT NULL THEN 'link:' || share_id::text
    ELSE 'audience:' || coalesce(details->>'audience', '')
  END`;

/** The first day (UTC, YYYY-MM-DD) of the period holding `at`; as text it sorts by time. */
function bucketOf(at: RawBuilder<unknown>, period: Period): RawBuilder<unknown> {
  return sql`to_char(date_trunc(${period}, ${at} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
}

function countColumns(): RawBuilder<unknown> {
  return sql`
    count(*) FILTER (WHERE action IN ('viewed', 'share.viewed')) AS views,
    count(*) FILTER (WHERE action = 'download') AS downloads,
    count(*) FILTER (WHERE action = 'share.created') AS shares,
    count(*) FILTER (WHERE action = 'export') AS exports`;
}

function inWindow(window: Window): RawBuilder<unknown> {
  return sql`(${window.from ?? null}::timestamptz IS NULL OR at >= ${window.from ?? null}::timestamptz)
    AND (${window.to ?? null}::timestamptz IS NULL OR at < ${window.to ?? null}::timestamptz)`;
}

function toCounts(row: Counts | undefined): UsageCounts {
  return {
    views: Number(row?.views ?? 0),
    downloads: Number(row?.downloads ?? 0),
    shares: Number(row?.shares ?? 0),
    exports: Number(row?.exports ?? 0),
  };
}
