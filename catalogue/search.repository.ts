import { type Expression, type SqlBool, sql } from 'kysely';
import type { VersionAnalysis } from '../domain/asset';
import type { SearchDocument, SearchSource } from '../search/search-document';
import type { CatalogueDb } from './database';

/** A search as the catalogue runs it; built by services/search.service.ts from a request. */
export interface SearchQuery {
  /** A tsquery in PostgreSQL syntax (lexemes quoted), or null for no text condition. */
  tsquery: string | null;
  /**
   * Text for the typo-tolerant match on names, or null: pg_trgm's word similarity (the best
   * matching part of the name, threshold 0.6 — "musedan" finds MuseDAM_… at 0.75), served by the
   * trigram index.
   */
  nameText: string | null;
  /** Facet groups: an asset must have at least one facet of every group. */
  facetGroups: string[][];
  from: string | null;
  to: string | null;
  /** Last used (or, never used, uploaded) before this date. */
  unusedSince: string | null;
  sort: 'relevance' | 'newest' | 'oldest';
  after: { key: number | string; id: string } | null;
  limit: number;
}

export interface SearchHit {
  assetId: string;
  score: number;
  /** The value the next page continues after, with the id. */
  key: number | string;
}

/** The search index: one document per asset, kept current by the indexer. */
export class SearchRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** What the indexer builds a document from; undefined for an unknown asset. */
  async sourceOf(assetId: string): Promise<(SearchSource & { ruleSetVersion: number | null }) | undefined> {
    const row = await this.db
      .selectFrom('assets as a')
      .innerJoin('asset_versions as v', (join) =>
        join.onRef('v.asset_id', '=', 'a.id').onRef('v.version', '=', 'a.current_version'),
      )
      .select([
        'a.id',
        'a.display_name',
        'a.kind',
        'a.state',
        'a.rule_set',
        'a.rule_set_version',
        'a.project',
        'a.tags',
        'a.metadata',
        'a.dimensions',
        'a.created_at',
        'a.last_used_at',
        'v.analysis',
      ])
      .where('a.id', '=', assetId)
      .executeTakeFirst();
    if (!row) return undefined;
    const comments = await this.db
      .selectFrom('comments')
      .select('body')
      .where('asset_id', '=', assetId)
      .execute();
    return {
      assetId: row.id,
      comments: comments.map((c) => c.body),
      name: row.display_name,
      kind: row.kind,
      state: row.state,
      ruleSet: row.rule_set,
      ruleSetVersion: row.rule_set_version,
      project: row.project,
      tags: row.tags ?? [],
      metadata: (row.metadata as Record<string, unknown>) ?? {},
      dimensions: (row.dimensions as Record<string, string[]>) ?? {},
      analysis: (row.analysis as VersionAnalysis | null) ?? null,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
    };
  }

  async upsert(doc: SearchDocument): Promise<void> {
    const words = sql`setweight(array_to_tsvector(${doc.words.A}::text[]), 'A')
      || setweight(array_to_tsvector(${doc.words.B}::text[]), 'B')
      || setweight(array_to_tsvector(${doc.words.C}::text[]), 'C')`;
    await sql`
      INSERT INTO search_documents (asset_id, name, words, facets, made_on, last_used_at, created_at)
      VALUES (${doc.assetId}, ${doc.name}, ${words}, ${doc.facets}::text[], ${doc.madeOn}, ${doc.lastUsedAt}, ${doc.createdAt})
      ON CONFLICT (asset_id) DO UPDATE SET
        name = EXCLUDED.name, words = EXCLUDED.words, facets = EXCLUDED.facets, made_on = EXCLUDED.made_on,
        last_used_at = EXCLUDED.last_used_at, created_at = EXCLUDED.created_at`.execute(this.db);
  }

  async allAssetIds(): Promise<string[]> {
    return (await this.db.selectFrom('assets').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  /** One page of hits, best first, and the facet counts of all matches. */
  async search(query: SearchQuery): Promise<{ hits: SearchHit[]; facets: Record<string, number> }> {
    const tsq = query.tsquery ? sql`to_tsquery('simple', ${query.tsquery})` : null;
    const score = sql<number>`(${tsq ? sql`ts_rank(words, ${tsq})` : sql`0`} + ${
      query.nameText ? sql`word_similarity(${query.nameText}, name)` : sql`0`
    })::float8`;
    const conditions: Expression<SqlBool>[] = [];
    if (tsq || query.nameText) {
      const text = [
        tsq ? sql`words @@ ${tsq}` : null,
        query.nameText ? sql`${query.nameText} <% name` : null,
      ].filter((c) => c !== null);
      conditions.push(sql<SqlBool>`(${sql.join(text, sql` OR `)})`);
    }
    for (const group of query.facetGroups) conditions.push(sql<SqlBool>`facets && ${group}::text[]`);
    if (query.from) conditions.push(sql<SqlBool>`made_on >= ${query.from}::date`);
    if (query.to) conditions.push(sql<SqlBool>`made_on <= ${query.to}::date`);
    if (query.unusedSince)
      conditions.push(sql<SqlBool>`coalesce(last_used_at, created_at) < ${query.unusedSince}::date`);
    const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;

    const facetRows = await sql<{ facet: string; n: string | number }>`
      SELECT facet, count(*) AS n FROM search_documents, unnest(facets) AS facet ${where} GROUP BY facet`.execute(
      this.db,
    );

    const key =
      query.sort === 'relevance'
        ? score
        : sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    const descending = query.sort !== 'oldest';
    let page = sql``;
    if (query.after) {
      const cmp = descending ? sql`<` : sql`>`;
      const keyValue =
        query.sort === 'relevance'
          ? sql`${Number(query.after.key)}::float8`
          : sql`${String(query.after.key)}`;
      page = sql`WHERE (key ${cmp} ${keyValue} OR (key = ${keyValue} AND asset_id > ${query.after.id}::uuid))`;
    }
    const rows = await sql<{ asset_id: string; score: number; key: number | string }>`
      SELECT * FROM (
        SELECT asset_id, ${score} AS score, ${key} AS key FROM search_documents ${where}
      ) matches ${page}
      ORDER BY key ${descending ? sql`DESC` : sql`ASC`}, asset_id ASC
      LIMIT ${query.limit}`.execute(this.db);
    return {
      hits: rows.rows.map((r) => ({
        assetId: r.asset_id,
        score: Number(r.score),
        key: r.key,
      })),
      facets: Object.fromEntries(facetRows.rows.map((r) => [r.facet, Number(r.n)])),
    };
  }
}
