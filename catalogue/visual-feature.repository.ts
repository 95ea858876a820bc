import { sql } from 'kysely';
import { bandsOf, HASH_BITS, hammingDistance } from '../imaging/perceptual-hash';
import type { RegionHash } from '../imaging/visual-features';
import type { CatalogueDb } from './database';
import { hammingSql, neighbours } from './duplicate.repository';

/** A version whose region hashes came within the distance of a query's (see `findNear`). */
export interface VisualMatch {
  assetId: string;
  version: number;
  ruleSet: string;
  /** The smallest Hamming distance over the compared region pairs. */
  distance: number;
  similarity: number;
  /** The stored version's region (percent kept) and the query's region that met. */
  storedScale: number;
  queryScale: number;
}

/** Probing at band radius 1 covers d ≤ 7; farther would multiply the probes (see neighbours). */
export const MAX_VISUAL_DISTANCE = 7;
/** Cap on rows a lookup returns, whatever the caller asks. */
export const MAX_VISUAL_MATCHES = 100;

/**
 * The crop-robust index (migration 0016): each image version's region hashes
 * (imaging/visual-features.ts), banded for multi-index hashing like `perceptual_hashes`.
 */
export class VisualFeatureRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** Whether a version's region hashes are indexed (by the upload edge or an earlier ingest). */
  async has(assetId: string, version: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('visual_features')
      .select('scale')
      .where('asset_id', '=', assetId)
      .where('version', '=', version)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Stores a version's region hashes; idempotent (a retried ingest writes the same rows). */
  async index(assetId: string, version: number, regions: RegionHash[]): Promise<void> {
    if (regions.length === 0) return;
    const rows = regions.map(({ scale, hash }) => {
      const [band0, band1, band2, band3] = bandsOf(hash);
      return { asset_id: assetId, version, scale, hash, band0, band1, band2, band3 };
    });
    await this.db
      .insertInto('visual_features')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['asset_id', 'version', 'scale']).doUpdateSet((eb) => ({
          hash: eb.ref('excluded.hash'),
          band0: eb.ref('excluded.band0'),
          band1: eb.ref('excluded.band1'),
          band2: eb.ref('excluded.band2'),
          band3: eb.ref('excluded.band3'),
        })),
      )
      .execute();
  }

  /** A version's stored region hashes (empty when it was never indexed). */
  async regionsOf(assetId: string, version: number): Promise<RegionHash[]> {
    const rows = await this.db
      .selectFrom('visual_features')
      .select(['scale', 'hash'])
      .where('asset_id', '=', assetId)
      .where('version', '=', version)
      .orderBy('scale', 'desc')
      .execute();
    return rows.map((r) => ({ scale: r.scale as RegionHash['scale'], hash: r.hash }));
  }

  /**
   * Live image versions with a pHash but no region hashes (ingested before migration 0016), in
   * key order after `after`: what `assetflow duplicates backfill` works through.
   */
  async versionsWithout(
    after: { assetId: string; version: number } | null,
    limit: number,
  ): Promise<{ assetId: string; version: number; sha256: string; tier: 'hot' | 'cold' }[]> {
    const { rows } = await sql<{
      asset_id: string;
      version: number;
      blob_sha256: string;
      tier: 'hot' | 'cold';
    }>`
      SELECT p.asset_id, p.version, v.blob_sha256, a.tier
        FROM perceptual_hashes p
        JOIN asset_versions v ON v.asset_id = p.asset_id AND v.version = p.version
        JOIN assets a ON a.id = p.asset_id
       WHERE a.purged_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM visual_features f WHERE f.asset_id = p.asset_id AND f.version = p.version)
         ${after ? sql`AND (p.asset_id, p.version) > (${after.assetId}::uuid, ${after.version}::int)` : sql``}
       ORDER BY p.asset_id, p.version
       LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => ({
      assetId: r.asset_id,
      version: r.version,
      sha256: r.blob_sha256,
      tier: r.tier,
    }));
  }

  /**
   * Live versions one of whose regions is within `maxDistance` bits of one of the query's, where
   * one side of each compared pair is a whole frame: the query's whole frame against every stored
   * region (the query is a crop of a stored image) and the query's regions against stored whole
   * frames (a stored image is a crop of the query). Nearest first, one row per version.
   *
   * Like `DuplicateRepository.findNear`, only the feature table is probed (through its band
   * indexes); the asset is read per surviving row by primary key, so there is no join whose
   * plan depends on the statistics of `assets`.
   */
  async findNear(
    query: RegionHash[],
    maxDistance: number,
    options: { limit?: number; excludeAssetId?: string } = {},
  ): Promise<VisualMatch[]> {
    const distance = Math.min(maxDistance, MAX_VISUAL_DISTANCE);
    const limit = Math.min(options.limit ?? 10, MAX_VISUAL_MATCHES);
    const whole = query.find((r) => r.scale === 100);
    if (!whole) return [];
    const radius = Math.floor(distance / 4);
    // One branch per band and query region, each an index-only scan of one band index (the
    // index carries scale, hash, asset and version): no bitmap of the heap, no row read twice
    // for a band it does not match. A version found by several branches is kept once below.
    const probe = (region: RegionHash, wholeFramesOnly: boolean) =>
      bandsOf(region.hash).map((value, i) => {
        const column = sql.ref(`f.band${i}`);
        return sql`
          SELECT f.asset_id, f.version, f.scale AS stored_scale, ${region.scale}::int AS query_scale,
                 ${hammingSql(sql.ref('f.hash'), region.hash)} AS distance
            FROM visual_features f
           WHERE ${column} IN (${sql.join(neighbours(value, radius))})
                 ${wholeFramesOnly ? sql`AND f.scale = 100` : sql``}`;
      });
    const parts = [
      ...probe(whole, false),
      ...query.filter((r) => r.scale !== 100).flatMap((r) => probe(r, true)),
    ];
    const exclude = options.excludeAssetId ?? null;
    const { rows } = await sql<{
      asset_id: string;
      version: number;
      stored_scale: number;
      query_scale: number;
      distance: number;
      rule_set: string | null;
    }>`
      SELECT m.*, (SELECT a.rule_set FROM assets a WHERE a.id = m.asset_id AND a.purged_at IS NULL AND a.state <> 'trashed') AS rule_set
        FROM (SELECT DISTINCT ON (c.asset_id, c.version) c.*
                FROM (${sql.join(parts, sql` UNION ALL `)}) c
               WHERE c.distance <= ${distance}
                 AND (${exclude}::uuid IS NULL OR c.asset_id <> ${exclude}::uuid)
               ORDER BY c.asset_id, c.version, c.distance, c.stored_scale DESC, c.query_scale DESC) m
       ORDER BY m.distance, m.asset_id, m.version`.execute(this.db);
    return rows
      .filter((r): r is typeof r & { rule_set: string } => r.rule_set !== null)
      .slice(0, limit)
      .map((r) => ({
        assetId: r.asset_id,
        version: r.version,
        ruleSet: r.rule_set,
        distance: r.distance,
        similarity: 1 - r.distance / HASH_BITS,
        storedScale: r.stored_scale,
        queryScale: r.query_scale,
      }));
  }
}

/** The smallest distance between two sets of region hashes under `findNear`'s pairing. */
export function regionDistance(query: RegionHash[], stored: RegionHash[]): number {
  let best = HASH_BITS;
  for (const q of query)
    for (const s of stored)
      if (q.scale === 100 || s.scale === 100) best = Math.min(best, hammingDistance(q.hash, s.hash));
  return best;
}
