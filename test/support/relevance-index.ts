import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AssetRepository } from '../../catalogue/asset.repository';
import type { Database } from '../../catalogue/database';
import { RuleSetRepository } from '../../catalogue/rule-set.repository';
import { SearchRepository } from '../../catalogue/search.repository';
import { buildSearchDocument } from '../../search/search-document';
import { addWords, planWords } from '../../search/segment';
import { RuleSetService } from '../../services/rule-set.service';
import { SearchService } from '../../services/search.service';
import { RELEVANCE_TODAY, sourceOf, type TruthAsset } from './relevance-set';

/**
 * Puts the generated catalogue into a migrated database the way the catalogue holds it (blobs,
 * assets, their versions and search documents, in batches) with the shipped example rule sets
 * published, and returns the real search service over it.
 */
export async function indexRelevanceSet(database: Database, truth: TruthAsset[]): Promise<SearchService> {
  await new RuleSetService(new RuleSetRepository(database.db)).publishExamples();
  const ruleSets = new RuleSetRepository(database.db);
  const plan = (await ruleSets.latest('ecommerce'))!.plan;
  // The indexer and the query side teach the segmenter the rule sets' words alike.
  addWords(planWords(plan));
  for (let start = 0; start < truth.length; start += 500) {
    const batch = truth.slice(start, start + 500);
    const sources = batch.map((a, k) => sourceOf(a, start + k));
    const sha = (id: string) => createHash('sha256').update(id).digest('hex');
    await database.db
      .insertInto('blobs')
      .values(batch.map((a) => ({ sha256: sha(a.id), size_bytes: 1, tier: 'hot' as const })))
      .execute();
    await database.db
      .insertInto('assets')
      .values(
        sources.map((s) => ({
          id: s.assetId,
          workflow_id: `asset-${s.assetId}`,
          display_name: s.name,
          rule_set: 'ecommerce',
          rule_set_version: 1,
          state: 'stored',
          state_seq: 2,
          kind: 'image',
          metadata: JSON.stringify(s.metadata),
          dimensions: JSON.stringify(s.dimensions),
          tags: s.tags,
          current_version: 1,
          created_at: s.createdAt,
          last_used_at: s.lastUsedAt,
        })),
      )
      .execute();
    await database.db
      .insertInto('asset_versions')
      .values(
        sources.map((s) => ({
          asset_id: s.assetId,
          version: 1,
          blob_sha256: sha(s.assetId),
          original_name: s.name,
          declared_media_type: 'image/jpeg',
          analysis: JSON.stringify(s.analysis),
          created_by: null,
        })),
      )
      .execute();
    const docs = sources.map((s) => buildSearchDocument(s, plan.store));
    await new SearchRepository(database.db).upsertMany(docs);
  }
  await sql`ANALYZE`.execute(database.db);
  return new SearchService({
    search: new SearchRepository(database.db),
    assets: new AssetRepository(database.db),
    ruleSets,
  });
}

/** The ids a query returns, best first, up to 100 (what recall@100 looks at). */
export async function rankedIds(service: SearchService, q: string): Promise<string[]> {
  const response = await service.search({
    q,
    filters: {},
    limit: 100,
    today: RELEVANCE_TODAY,
    visibleProjects: 'all',
  });
  return response.items.map((item) => item.id);
}

/**
 * The baseline: the naive reading of a query — every whitespace-separated word must appear in the
 * name or the tags (ILIKE, AND), newest first. No interpretation, no segmentation.
 */
export async function naiveIds(database: Database, q: string): Promise<string[]> {
  const words = q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (words.length === 0) return [];
  const rows = await sql<{ id: string }>`
    SELECT id FROM assets
    WHERE (display_name || ' ' || array_to_string(tags, ' ')) ILIKE ALL(${words}::text[])
    ORDER BY created_at DESC, id LIMIT 100`.execute(database.db);
  return rows.rows.map((r) => r.id);
}
