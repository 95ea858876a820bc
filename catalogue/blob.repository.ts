import { sql } from 'kysely';
import type { CatalogueDb } from './database';

/** A blob the catalogue still needs: at least one version of a live (not purged) asset names it. */
export interface LiveBlob {
  sha256: string;
  sizeBytes: number;
  tier: 'hot' | 'cold';
}

/**
 * The blobs that must exist in the store. Purged assets keep their rows as tombstones but their
 * bytes are gone, so only blobs a live asset uses are listed. In sha256 order, for resumable scans.
 */
export const LIVE_BLOBS_SQL = `
  select b.sha256, b.size_bytes::text as size_bytes, b.tier
    from blobs b
   where exists (select 1 from asset_versions v join assets a on a.id = v.asset_id
                  where v.blob_sha256 = b.sha256 and a.purged_at is null)`;

export class BlobRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** Up to `limit` live blobs whose sha256 sorts after `after`. */
  async liveBlobs(after: string, limit: number): Promise<LiveBlob[]> {
    const { rows } = await sql<{ sha256: string; size_bytes: string; tier: 'hot' | 'cold' }>`
      ${sql.raw(LIVE_BLOBS_SQL)} and b.sha256 > ${after} order by b.sha256 limit ${limit}`.execute(this.db);
    return rows.map(toLiveBlob);
  }

  async countLive(): Promise<{ blobs: number; bytes: number }> {
    const { rows } = await sql<{ n: string; bytes: string | null }>`
      select count(*) as n, sum(size_bytes::bigint) as bytes from (${sql.raw(LIVE_BLOBS_SQL)}) live`.execute(
      this.db,
    );
    return { blobs: Number(rows[0]?.n ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
  }
}

export function toLiveBlob(row: {
  sha256: string;
  size_bytes: string | number;
  tier: 'hot' | 'cold';
}): LiveBlob {
  return { sha256: row.sha256, sizeBytes: Number(row.size_bytes), tier: row.tier };
}
