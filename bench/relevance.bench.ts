/**
 * Search relevance benchmark on a PostgreSQL server (DATABASE_URL; a fresh database is created
 * and dropped): the generated catalogue with known attributes and the labelled queries of
 * test/support/relevance-set.ts, scored per language — precision@20, recall@100 and the share of
 * queries that return nothing — for Assetflow's search and, in the same run, for the naive
 * reading of the same queries (every whitespace-separated word an ILIKE over name + tags, AND).
 *
 *   DATABASE_URL=… npx tsx bench/relevance.bench.ts [assets=3000] [--queries]
 */
import { indexRelevanceSet, naiveIds, rankedIds } from '../test/support/relevance-index';
import {
  generateCatalogue,
  LABELLED_QUERIES,
  type LanguageSummary,
  type QueryScore,
  scoreQuery,
  summarise,
} from '../test/support/relevance-set';
import { openTestDatabase } from '../test/support/test-databases';

const SIZE = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 3000);
const PER_QUERY = process.argv.includes('--queries');

const row = (label: string, s: LanguageSummary) =>
  `| ${label} | ${s.lang} | ${s.queries} | ${s.precisionAt20.toFixed(3)} | ${s.recallAt100.toFixed(3)} | ${(s.zeroResults * 100).toFixed(1)} % |`;

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error('Set DATABASE_URL: this benchmark runs on a PostgreSQL server.');
  const database = await openTestDatabase('postgres');
  try {
    const truth = generateCatalogue(SIZE);
    const service = await indexRelevanceSet(database, truth);
    const search: QueryScore[] = [];
    const naive: QueryScore[] = [];
    for (const query of LABELLED_QUERIES) {
      search.push(scoreQuery(query, truth, await rankedIds(service, query.q)));
      naive.push(scoreQuery(query, truth, await naiveIds(database, query.q)));
    }
    console.log(
      `\nSearch relevance: ${truth.length} generated assets, ${LABELLED_QUERIES.length} labelled queries\n`,
    );
    console.log('| reading | language | queries | precision@20 | recall@100 | zero results |');
    console.log('|---|---|---|---|---|---|');
    for (const s of summarise(search)) console.log(row('Assetflow search', s));
    for (const s of summarise(naive)) console.log(row('naive: every word ILIKE name + tags (AND)', s));
    const weak = search.filter((s) => s.precisionAt20 < 0.9 || s.recallAt100 < 0.9);
    console.log('\nQueries under 0.9 on either measure:');
    for (const s of weak)
      console.log(
        `- ${s.q}: p@20 ${s.precisionAt20.toFixed(2)}, r@100 ${s.recallAt100.toFixed(2)} (${s.returned} returned, ${s.relevant} relevant)`,
      );
    if (PER_QUERY) for (const s of search) console.log(JSON.stringify(s));
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
