import type { Database } from '../../catalogue/database';
import type { SearchService } from '../../services/search.service';
import { indexRelevanceSet, rankedIds } from '../support/relevance-index';
import {
  generateCatalogue,
  LABELLED_QUERIES,
  type QueryScore,
  scoreQuery,
  summarise,
} from '../support/relevance-set';
import { databaseKinds, openTestDatabase } from '../support/test-databases';

/**
 * Search relevance on the generated catalogue with known attributes (test/support/relevance-set.ts):
 * every labelled query runs through the real search service on PostgreSQL and is scored against
 * its hand-written label. The floors are the targets (0.9); docs/performance.md has the
 * measured figures.
 */
describe.each(databaseKinds)('search relevance (%s)', (kind) => {
  let database: Database;
  let service: SearchService;
  const truth = generateCatalogue();
  const scores: QueryScore[] = [];
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    service = await indexRelevanceSet(database, truth);
    for (const query of LABELLED_QUERIES)
      scores.push(scoreQuery(query, truth, await rankedIds(service, query.q)));
  }, 180_000);
  afterAll(async () => {
    await database?.close();
  });

  it('labels are sound: at least 80 queries, both languages, each with relevant assets', () => {
    expect(LABELLED_QUERIES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(LABELLED_QUERIES.map((q) => q.q)).size).toBe(LABELLED_QUERIES.length);
    expect(scores.filter((s) => s.relevant === 0).map((s) => s.q)).toEqual([]);
  });

  it.each(['zh', 'en'] as const)('%s: precision@20 and recall@100 stay at or above 0.9', (lang) => {
    const summary = summarise(scores).find((s) => s.lang === lang)!;
    expect(summary.queries).toBeGreaterThanOrEqual(40);
    expect(summary.precisionAt20).toBeGreaterThanOrEqual(0.9);
    expect(summary.recallAt100).toBeGreaterThanOrEqual(0.9);
  });

  it('every query gets p@20 and r@100 of at least 0.5, except the known misses', () => {
    // The means above could hide a whole feature breaking (seasons are two queries of 90).
    const weak = scores.filter((s) => s.precisionAt20 < 0.5 || s.recallAt100 < 0.5).map((s) => s.q);
    // "Japanese" is no label of the market JP (rule sets have no aliases); 双间包: see below.
    expect(weak).toEqual(['双间包', 'dresses for the Japanese market']);
  });

  it('no relevant query returns nothing, except the one known miss (a Chinese typo)', () => {
    // 双间包 (for 双肩包): the typo fallback is a trigram match on names, which does not work for
    // Chinese characters. Listed here so that a fix shows, and any other empty answer fails.
    expect(scores.filter((s) => s.returned === 0).map((s) => s.q)).toEqual(['双间包']);
  });
});
