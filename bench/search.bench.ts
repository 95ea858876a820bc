/**
 * Search benchmark on a PostgreSQL server (DATABASE_URL; a fresh database is created and
 * dropped): index build time and query latency (p50/p95) at each catalogue size, against a plain
 * ILIKE scan of names and tags measured in the same run.
 *
 *   DATABASE_URL=… npx tsx bench/search.bench.ts [sizes=100000,1000000]
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { AssetRepository } from '../catalogue/asset.repository';
import type { Database } from '../catalogue/database';
import { RuleSetRepository } from '../catalogue/rule-set.repository';
import { SearchRepository } from '../catalogue/search.repository';
import type { BasicColour } from '../imaging/colour-names';
import { buildSearchDocument, type SearchDocument } from '../search/search-document';
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

async function fill(
  database: Database,
  from: number,
  to: number,
  dimensions: Parameters<typeof buildSearchDocument>[1],
) {
  const batch = 1000;
  for (let start = from; start < to; start += batch) {
    const sources = Array.from({ length: Math.min(batch, to - start) }, (_, k) => sourceOf(start + k));
    await database.db
      .insertInto('assets')
      .values(
        sources.map((s) => ({
          id: s.assetId,
          workflow_id: `asset-${s.assetId}`,
          display_name: s.name,
          rule_set: 'ecommerce',
          state: 'stored',
          state_seq: 2,
          kind: 'image',
          metadata: JSON.stringify(s.metadata),
          tags: s.tags,
          current_version: 1,
          created_at: s.createdAt,
        })),
      )
      .execute();
    const docs: SearchDocument[] = sources.map((s) => buildSearchDocument(s, dimensions));
    const rows = docs.map(
      (d) => sql`(${d.assetId}::uuid, ${d.name},
        setweight(array_to_tsvector(${d.words.A}::text[]), 'A') || setweight(array_to_tsvector(${d.words.B}::text[]), 'B')
          || setweight(array_to_tsvector(${d.words.C}::text[]), 'C'),
        ${d.facets}::text[], ${d.madeOn}::date, ${d.lastUsedAt}::timestamptz, ${d.createdAt}::timestamptz)`,
    );
    await sql`INSERT INTO search_documents (asset_id, name, words, facets, made_on, last_used_at, created_at)
              VALUES ${sql.join(rows)}`.execute(database.db);
  }
}

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

async function main() {
  if (!process.env.DATABASE_URL)
    throw new Error('Set DATABASE_URL: this benchmark measures a PostgreSQL server.');
  const database = await openTestDatabase('postgres');
  try {
    await new RuleSetService(new RuleSetRepository(database.db)).publishExamples();
    const ruleSets = new RuleSetRepository(database.db);
    const dimensions = (await ruleSets.latest('ecommerce'))!.plan.store;
    const service = new SearchService({
      search: new SearchRepository(database.db),
      assets: new AssetRepository(database.db),
      ruleSets,
    });
    const queries: [string, Record<string, string[]>, (i: number) => string][] = [
      // 促销 (sale) is not a dimension label, so it is searched as a word (春季 would be the season).
      ['common word (促销 with its synonyms)', {}, () => '促销'],
      ['rare word (limited-edition, 0.01 %)', {}, () => 'limited-edition'],
      ['natural language: 去年春节的红色主题海报', {}, () => '去年春节的红色主题海报'],
      [
        'dimensions + last use: images for Amazon US not used since June',
        {},
        () => 'images for Amazon US not used since June',
      ],
      ['typo in a name (MuseDAN)', {}, () => 'MuseDAN'],
    ];
    const ilike: [string, string][] = [
      ['common word (促销 with its synonyms)', '%促销%'],
      ['rare word (limited-edition, 0.01 %)', '%limited-edition%'],
    ];
    console.log(
      `\nSearch on PostgreSQL, ${os.cpus().length} cores, ${RUNS} runs per query (first page of 20 and all facet counts)\n`,
    );
    console.log('| assets | query | search p50 | search p95 | ILIKE scan p50 | ILIKE p95 |');
    console.log('|---|---|---|---|---|---|');
    let filled = 0;
    for (const size of SIZES) {
      say(`Building the index to ${size} assets…`);
      const t0 = performance.now();
      await fill(database, filled, size, dimensions);
      await sql`ANALYZE`.execute(database.db);
      const buildSeconds = (performance.now() - t0) / 1000;
      say(
        `  ${size - filled} documents in ${buildSeconds.toFixed(0)} s (${((size - filled) / buildSeconds) | 0} /s)`,
      );
      filled = size;
      for (const [label, filters, q] of queries) {
        // Every generated name shares "MuseDAM": the typo matches all of them, so its cost is the
        // whole catalogue's; measured where that stays within the run's time.
        if (label.startsWith('typo') && size > 100_000) continue;
        const searchTime = await timeRuns((i) =>
          service.search({ q: q(i), filters, limit: 20, today: '2026-11-28', visibleProjects: 'all' }),
        );
        const sample = await service.search({
          q: q(0),
          filters,
          limit: 20,
          today: '2026-11-28',
          visibleProjects: 'all',
        });
        const matches = Object.values(sample.facets.state ?? {}).reduce((a, b) => a + b, 0);
        say(`  ${label}: ${matches} matches`);
        const baseline = ilike.find(([l]) => l === label)?.[1];
        const scanTime = baseline
          ? await timeRuns(() =>
              sql`SELECT id FROM assets WHERE display_name ILIKE ${baseline} OR array_to_string(tags, ' ') ILIKE ${baseline}
                  ORDER BY created_at DESC LIMIT 20`.execute(database.db),
            )
          : null;
        console.log(
          `| ${size.toLocaleString('en')} | ${label} | ${searchTime.p50.toFixed(1)} ms | ${searchTime.p95.toFixed(1)} ms | ${scanTime ? `${scanTime.p50.toFixed(1)} ms` : '—'} | ${scanTime ? `${scanTime.p95.toFixed(1)} ms` : '—'} |`,
        );
      }
      console.log(
        `| ${size.toLocaleString('en')} | index build (documents built in Node and inserted in batches of 1 000) | ${buildSeconds.toFixed(0)} s | | | |`,
      );
    }
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
