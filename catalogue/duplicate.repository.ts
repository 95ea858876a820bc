import { type RawBuilder, sql } from 'kysely';
import { bandsOf, HASH_BITS, hammingDistance, similarityOf } from '../imaging/perceptual-hash';
import type { CatalogueDb } from './database';

export interface DuplicateMatch {
  assetId: string;
  version: number;
  /** The matched asset's rule set: linking as a version only happens within one rule set. */
  ruleSet: string;
  /** `exact`: the same bytes (sha256); `near`: perceptual hashes within the threshold. */
  kind: 'exact' | 'near';
  /** 1 for exact; `1 − d/64` for a perceptual-hash distance d. */
  similarity: number;
  distance: number;
}

const BANDS = 4;
const BAND_BITS = HASH_BITS / BANDS;
/** Searches farther than this would probe thousands of band values; 15 bits is 77 % similar. */
export const MAX_SEARCH_DISTANCE = 15;

/**
 * The duplicate index: exact matches by blob hash, near matches by perceptual hash through
 * multi-index hashing (see migration 0006). Only live assets are matched: not purged, not in the
 * trash (a deleted asset neither refuses nor absorbs an upload of its bytes).
 */
export class DuplicateRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** Adds a version's hash; idempotent (a retried ingest writes the same row). */
  async index(assetId: string, version: number, hash: string): Promise<void> {
    const [band0, band1, band2, band3] = bandsOf(hash);
    await this.db
      .insertInto('perceptual_hashes')
      .values({ asset_id: assetId, version, hash, band0, band1, band2, band3 })
      .onConflict((oc) =>
        oc.columns(['asset_id', 'version']).doUpdateSet({ hash, band0, band1, band2, band3 }),
      )
      .execute();
  }

  /** The hash indexed for a version (by the upload edge or an earlier ingest), if any. */
  async hashOf(assetId: string, version: number): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('perceptual_hashes')
      .select('hash')
      .where('asset_id', '=', assetId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row?.hash.trim();
  }

  async findExact(sha256: string): Promise<DuplicateMatch[]> {
    return (await this.findExactMany([sha256])).map((r) => ({
      assetId: r.assetId,
      version: r.version,
      ruleSet: r.ruleSet,
      kind: 'exact',
      similarity: 1,
      distance: 0,
    }));
  }

  /** Every live version holding one of these blobs, oldest asset first (for "which of these files are stored already"). */
  async findExactMany(
    sha256s: string[],
  ): Promise<Array<{ sha256: string; assetId: string; version: number; ruleSet: string }>> {
    if (sha256s.length === 0) return [];
    const rows = await this.db
      .selectFrom('asset_versions as v')
      .innerJoin('assets as a', 'a.id', 'v.asset_id')
      .select(['v.blob_sha256', 'v.asset_id', 'v.version', 'a.rule_set'])
      .where('v.blob_sha256', 'in', sha256s)
      .where('a.purged_at', 'is', null)
      .where('a.state', '<>', 'trashed')
      .orderBy('a.created_at')
      .orderBy('v.version')
      .execute();
    return rows.map((r) => ({
      sha256: r.blob_sha256,
      assetId: r.asset_id,
      version: r.version,
      ruleSet: r.rule_set,
    }));
  }

  /**
   * Versions whose hash is within `maxDistance` bits of `hash`, nearest first.
   *
   * One table is probed, through its band indexes, and the distance is checked in SQL; the
   * asset's rule set and purge mark are read per surviving row by primary key (a scalar
   * subquery, which PostgreSQL runs as a per-row subplan). The query used to join
   * `perceptual_hashes` with `assets`: with statistics on the hashes only, the planner took
   * `assets` for a 2-row table and picked a nested loop (35–61 ms at 1 000 000 hashes); this
   * shape has no join for the planner to misjudge (bench/duplicates.bench.ts measures both
   * with the statistics on `assets` missing).
   */
  async findNear(hash: string, maxDistance: number, limit = 10): Promise<DuplicateMatch[]> {
    const distance = Math.min(maxDistance, MAX_SEARCH_DISTANCE);
    // Pigeonhole: d ≤ 4·(r+1) − 1 means some band differs by at most r bits.
    const radius = Math.floor(distance / BANDS);
    const probes = bandsOf(hash).map((band) => neighbours(band, radius));
    const { rows } = await sql<{ asset_id: string; version: number; hash: string; rule_set: string | null }>`
      SELECT c.asset_id, c.version, c.hash,
             (SELECT a.rule_set FROM assets a WHERE a.id = c.asset_id AND a.purged_at IS NULL AND a.state <> 'trashed') AS rule_set
        FROM (SELECT p.asset_id, p.version, p.hash, ${hammingSql(sql.ref('p.hash'), hash)} AS distance
                FROM perceptual_hashes p
               WHERE ${bandProbes('p', probes)}) c
       WHERE c.distance <= ${distance}
       ORDER BY c.distance, c.asset_id, c.version`.execute(this.db);
    return rows
      .filter((r): r is typeof r & { rule_set: string } => r.rule_set !== null)
      .slice(0, limit)
      .map((r) => {
        const d = hammingDistance(r.hash, hash);
        return {
          assetId: r.asset_id,
          version: r.version,
          ruleSet: r.rule_set,
          kind: 'near',
          similarity: similarityOf(d),
          distance: d,
        };
      });
  }
}

/** Hamming distance between a char(16) hex column and a hex hash, in SQL (int: the driver reads bigint as a string). */
export function hammingSql(column: RawBuilder<unknown>, hash: string): RawBuilder<number> {
  return sql<number>`bit_count(('x' || ${column})::bit(64) # ${`x${hash}`}::bit(64))::int`;
}

/** `band0 IN (…) OR band1 IN (…) …` for a table alias: each disjunct is one band index. */
export function bandProbes(alias: string, probes: number[][]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    probes.map((values, i) => sql`${sql.ref(`${alias}.band${i}`)} IN (${sql.join(values)})`),
    sql` OR `,
  )})`;
}

/** Every 16-bit value within `radius` bit flips of `band` (1 + 16 + 120 + 560 values for radius 3). */
export function neighbours(band: number, radius: number): number[] {
  const out = [band];
  const flip = (value: number, from: number, left: number) => {
    if (left === 0) return;
    for (let bit = from; bit < BAND_BITS; bit++) {
      const next = value ^ (1 << bit);
      out.push(next);
      flip(next, bit + 1, left - 1);
    }
  };
  flip(band, 0, radius);
  return out;
}
