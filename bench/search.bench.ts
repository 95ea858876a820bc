/**
 * Search benchmark on a PostgreSQL server (DATABASE_URL; a fresh database is created and
 * dropped): the index build rate of `SearchIndexer.reindexAll` and query latency (p50/p95) at each
 * catalogue size, against an ILIKE on a pg_trgm GIN index over the same names and tags, with the
 * same words and the same count work, measured in the same run.
 *
 *   DATABASE_URL=… npx tsx bench/search.bench.ts [sizes=100000,1000000]
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { AssetRepository } from '../catalogue/asset.repository';
import type { Database } from '../catalogue/database';
import { RuleSetRepository } from '../catalogue/rule-set.repository';
import { DEFAULT_SEARCH_LIMITS, SearchRepository } from '../catalogue/search.repository';
import type { BasicColour } from '../imaging/colour-names';
import { SearchIndexer } from '../operations/search-indexer';
import { RuleSetService } from '../services/rule-set.service';
import { SearchService } from '../services/search.service';
import { openTestDatabase } from '../test/support/test-databases';

const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const RUNS = 40;
const say = (line: string) => process.stderr.write(`${line}\n`);

// A vocabulary of the words product teams use, so common and rare words both occur.
const WORDS_EN = [
  'spring',
  'summer',
  'sale',
  'launch',
  'hero',
  'banner',
  'lifestyle',
  'studio',
  'outdoor',
  'packshot',
];
const WORDS_ZH = ['春季', '夏季', '新品', '促销', '主图', '详情页', '海报', '生活方式', '棚拍', '户外'];
const COLOURS: BasicColour[] = ['red', 'blue', 'green', 'yellow', 'black', 'white', 'grey', 'brown'];
const RARE = (i: number) => (i % 10_000 === 7 ? 'limited-edition' : '');

function sourceOf(i: number) {
  const day = new Date(Date.UTC(2024, 0, 1) + (i % 1060) * 86_400_000).toISOString();
  return {
    assetId: randomUUID(),
    name: `MuseDAM_${WORDS_ZH[i % 10]}_${WORDS_EN[(i >> 3) % 10]}_V${i % 7}_${i}.jpg`,
    kind: 'image',
    state: 'stored',
    ruleSet: 'ecommerce',
    project: 'default',
    tags: [WORDS_EN[i % 10]!, WORDS_ZH[(i >> 2) % 10]!, i % 3 === 0 ? 'poster' : 'photo', RARE(i)].filter(
      Boolean,
    ),
    metadata: { brand: 'MuseDAM', sku: `MD-${100000 + (i % 90000)}` },
    dimensions: { market: [['US', 'EU', 'JP'][i % 3]!], platform: [['amazon', 'shopify'][(i >> 1) % 2]!] },
    analysis: {
      kind: 'image' as const,
      format: 'jpeg',
      width: 1,
      height: 1,
      embedded: { capturedAt: day },
      colours: {
        palette: [
          { hex: '#000000', share: 0.7, name: { en: 'x', zh: 'x' }, family: COLOURS[i % COLOURS.length]! },
        ],
        tone: { temperature: 'neutral' as const, brightness: 'medium' as const },
      },
    },
    createdAt: day,
    lastUsedAt: i % 4 === 0 ? null : new Date(Date.parse(day) + 30 * 86_400_000).toISOString(),
  };
}

/** The catalogue rows (assets and their current version) the index is built from; not timed. */
async function fillCatalogue(database: Database, from: number, to: number, ruleSetVersion: number) {
  await sql`INSERT INTO blobs (sha256, size_bytes) VALUES (${BLOB}, 1) ON CONFLICT DO NOTHING`.execute(
    database.db,
  );
  const batch = 5000;
  for (let start = from; start < to; start += batch) {
    const rows = Array.from({ length: Math.min(batch, to - start) }, (_, k) => {
      const s = sourceOf(start + k);
      return {
        id: s.assetId,
        name: s.name,
        tags: s.tags,
        metadata: s.metadata,
        dimensions: s.dimensions,
        analysis: s.analysis,
        created_at: s.createdAt,
        last_used_at: s.lastUsedAt,
      };
    });
    await sql`
      WITH d AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS d(id uuid, name text,
        tags text[], metadata jsonb, dimensions jsonb, analysis jsonb, created_at timestamptz, last_used_at timestamptz)),
      a AS (INSERT INTO assets (id, workflow_id, display_name, rule_set, rule_set_version, state, state_seq, kind,
          metadata, tags, dimensions, current_version, created_at, last_used_at)
        SELECT id, 'asset-' || id, name, 'ecommerce', ${ruleSetVersion}, 'stored', 2, 'image', metadata, tags,
          dimensions, 1, created_at, last_used_at FROM d)
      INSERT INTO asset_versions (asset_id, version, blob_sha256, original_name, declared_media_type, analysis)
      SELECT id, 1, ${BLOB}, name, 'image/jpeg', analysis FROM d`.execute(database.db);
  }
}

const BLOB = '0'.repeat(64);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeRuns(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(0);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/**
 * The baseline: ILIKE over the same name + tags text on a pg_trgm GIN index, the same words OR'ed
 * (a word with its synonyms), newest first, and the same count work as search — matches and facet
 * counts exact up to the cap, beyond it estimated from the same block sample — and the page's 20
 * asset records loaded with the same AssetRepository.findMany.
 */
async function buildBaseline(database: Database) {
  await sql`DROP TABLE IF EXISTS ilike_baseline`.execute(database.db);
  await sql`CREATE TABLE ilike_baseline AS
    SELECT a.id, a.display_name || ' ' || array_to_string(a.tags, ' ') AS text, d.facets, a.created_at
    FROM assets a JOIN search_documents d ON d.asset_id = a.id`.execute(database.db);
  await sql`CREATE INDEX ON ilike_baseline USING gin (text gin_trgm_ops)`.execute(database.db);
  await sql`CREATE INDEX ON ilike_baseline USING gin (facets)`.execute(database.db);
  await sql`CREATE INDEX ON ilike_baseline (created_at, id)`.execute(database.db);
  await sql`ANALYZE ilike_baseline`.execute(database.db);
}

async function baselineSearch(
  database: Database,
  assets: AssetRepository,
  text: ReturnType<typeof sql>,
  project: boolean,
) {
  const where = sql`WHERE ${text} ${project ? sql`AND facets && ${['project:default']}::text[]` : sql``}`;
  const page = await sql<{
    id: string;
  }>`SELECT id FROM ilike_baseline ${where} ORDER BY created_at DESC, id DESC LIMIT 20`.execute(database.db);
  // The page's asset records, loaded as search loads them.
  await assets.findMany(page.rows.map((r) => r.id));
  const counted = await countFacets(
    database,
    sql`SELECT facets FROM ilike_baseline ${where} LIMIT ${LIMITS.countCap + 1}`,
  );
  if (counted.total <= LIMITS.countCap) return counted.total;
  const size = await sql<{
    n: number;
  }>`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'ilike_baseline'::regclass`.execute(database.db);
  const percent = Math.min(100, (100 * LIMITS.sampleRows) / Number(size.rows[0]!.n));
  const sampled = await countFacets(
    database,
    sql`SELECT facets FROM ilike_baseline TABLESAMPLE SYSTEM (${percent}) REPEATABLE (1) ${where}`,
  );
  return Math.round((sampled.total * 100) / percent);
}

async function countFacets(database: Database, rows: ReturnType<typeof sql>) {
  const result = await sql<{ facet: string | null; n: string }>`
    WITH m AS MATERIALIZED (${rows})
    SELECT NULL AS facet, count(*) AS n FROM m
    UNION ALL SELECT facet, count(*) FROM m, unnest(m.facets) AS facet GROUP BY facet`.execute(database.db);
  return { total: Number(result.rows.find((r) => r.facet === null)?.n ?? 0) };
}

/** ILIKE for every word group of the interpretation: any word of a group, every group. */
function ilikeOf(terms: string[][]) {
  return sql`(${sql.join(
    terms.map(
      (group) =>
        sql`(${sql.join(
          group.map((w) => sql`text ILIKE ${`%${w}%`}`),
          sql` OR `,
        )})`,
    ),
    sql` AND `,
  )})`;
}

const LIMITS = DEFAULT_SEARCH_LIMITS;

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error('Set DATABASE_URL: this benchmark measures a PostgreSQL server.');
  const database = await openTestDatabase('postgres');
  try {
    await new RuleSetService(new RuleSetRepository(database.db)).publishExamples();
    const ruleSets = new RuleSetRepository(database.db);
    const ruleSetVersion = (await ruleSets.latest('ecommerce'))!.version;
    const search = new SearchRepository(database.db, LIMITS);
    const assets = new AssetRepository(database.db);
    const service = new SearchService({ search, assets, ruleSets });
    const indexer = new SearchIndexer(search, ruleSets);
    type Query = { label: string; q: string; project?: boolean; baseline?: 'words' | 'typo' };
    const queries: Query[] = [
      // 促销 (sale) is not a dimension label, so it is searched as a word (春季 would be the season).
      { label: 'common word `促销` with its synonyms', q: '促销', baseline: 'words' },
      {
        label: 'common word `促销`, non-admin (`project:` filter)',
        q: '促销',
        project: true,
        baseline: 'words',
      },
      { label: 'rare word `limited-edition`', q: 'limited-edition', baseline: 'words' },
      { label: '`去年春节的红色主题海报`', q: '去年春节的红色主题海报' },
      { label: '`images for Amazon US not used since June`', q: 'images for Amazon US not used since June' },
      { label: 'typo `MuseDAN`, every name shares MuseDAM', q: 'MuseDAN', baseline: 'typo' },
    ];
    console.log(
      `\nSearch on PostgreSQL, ${os.cpus().length} cores, ${RUNS} runs per query: first page of 20, matches and facet counts exact up to ${LIMITS.countCap.toLocaleString('en')} and sampled beyond (search and baseline alike)\n`,
    );
    console.log(
      '| assets | query | matches | search p50 | search p95 | baseline p50 | baseline p95 | baseline matches |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    let filled = 0;
    for (const size of SIZES) {
      say(`Filling the catalogue to ${size} assets…`);
      await fillCatalogue(database, filled, size, ruleSetVersion);
      await sql`ANALYZE`.execute(database.db);
      filled = size;
      say('Rebuilding the search index (SearchIndexer.reindexAll, what `assetflow search reindex` runs)…');
      const t0 = performance.now();
      const count = await indexer.reindexAll();
      await sql`ANALYZE search_documents`.execute(database.db);
      const buildSeconds = (performance.now() - t0) / 1000;
      const rate = `${count.toLocaleString('en')} documents in ${buildSeconds.toFixed(0)} s (${Math.round(count / buildSeconds).toLocaleString('en')} /s)`;
      say(`  ${rate}`);
      await buildBaseline(database);
      for (const { label, q, project, baseline } of queries) {
        const request = {
          q,
          filters: {},
          limit: 20,
          today: '2026-11-28',
          visibleProjects: project ? ['default'] : ('all' as const),
        };
        const searchTime = await timeRuns(() => service.search(request));
        const sample = await service.search(request);
        const matches = `${sample.total.exact ? '' : '≈ '}${sample.total.count.toLocaleString('en')}`;
        let base: { p50: number; p95: number } | null = null;
        let baseMatches = '—';
        if (baseline) {
          const text =
            baseline === 'typo' ? sql`${sample.interpreted.text} <% text` : ilikeOf(sample.interpreted.terms);
          base = await timeRuns(() => baselineSearch(database, assets, text, project === true));
          const exact = await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM ilike_baseline WHERE ${text}`.execute(database.db);
          baseMatches = Number(exact.rows[0]!.n).toLocaleString('en');
        }
        const ms = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(1)} ms`);
        console.log(
          `| ${size.toLocaleString('en')} | ${label} | ${matches} | ${ms(searchTime.p50)} | ${ms(searchTime.p95)} | ${ms(base?.p50)} | ${ms(base?.p95)} | ${baseMatches} |`,
        );
      }
      console.log(`| ${size.toLocaleString('en')} | index build: ${rate} | | | | | | |`);
    }
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
