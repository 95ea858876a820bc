/**
 * Duplicate detection benchmark:
 *  1. quality on the 14 test photographs: recall of edited copies and false duplicates among
 *     different photos and sibling designs — the whole-frame pHash alone (before) against the
 *     upload rule (pHash, or a region match; services/near-duplicates.ts);
 *  2. lookup latency (p50/p95/p99) at N assets, with the statistics on `assets` missing and
 *     then present: the former join query (baseline), `findNear` as shipped, the crop-robust
 *     region lookup at the upload distance and at the find-similar distance, and a linear scan
 *     of the hashes computing every distance in SQL, all in the same run.
 *
 *   npx tsx bench/duplicates.bench.ts [sizes=100000,1000000]
 *
 * Uses DATABASE_URL (a fresh database is created and dropped) or an embedded PostgreSQL started for the run.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../catalogue/database';
import { DuplicateRepository, neighbours } from '../catalogue/duplicate.repository';
import { regionDistance, VisualFeatureRepository } from '../catalogue/visual-feature.repository';
import { bandsOf, hammingDistance, maxDistanceFor, perceptualHash } from '../imaging/perceptual-hash';
import { type RegionHash, regionHashes } from '../imaging/visual-features';
import { CROP_MAX_DISTANCE, cropDistanceFor } from '../services/near-duplicates';
import { SIMILAR_MAX_DISTANCE } from '../services/similar.service';
import { ATTACKS, sameStyleDesigns } from '../test/support/image-attacks';
import { openBenchDatabase } from './bench-database';

const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const QUERIES = 200;
const PHOTOS_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
const say = (line: string) => process.stderr.write(`${line}\n`);
const PIXELS = 1e8;

interface Features {
  hash: string;
  regions: RegionHash[];
}
const featuresOf = async (image: Buffer): Promise<Features> => ({
  hash: await perceptualHash(image, PIXELS),
  regions: await regionHashes(image, PIXELS),
});

async function quality() {
  const photos = readdirSync(PHOTOS_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => readFileSync(path.join(PHOTOS_DIR, f)));
  const originals = await Promise.all(photos.map(featuresOf));
  const d95 = maxDistanceFor(0.95);
  const crop = cropDistanceFor(0.95);
  /** The upload rule at 95 %: pHash within d ≤ 3, or a region pair within d ≤ 4. */
  const isDuplicate = (q: Features, s: Features) =>
    hammingDistance(q.hash, s.hash) <= d95 || regionDistance(q.regions, s.regions) <= crop;
  console.log(
    `\nNear-duplicate recall on ${photos.length} photographs at 95 % (edited copy is a duplicate)\n`,
  );
  console.log(
    `| edit | pHash alone (d ≤ ${d95}) | pHash or region (d ≤ ${crop}) | largest pHash distance | largest best-region distance |`,
  );
  console.log('|---|---|---|---|---|');
  for (const [name, attack] of Object.entries(ATTACKS)) {
    const edited = await Promise.all(photos.map(async (p) => featuresOf(await attack(p))));
    const whole = edited.map((e, i) => hammingDistance(e.hash, originals[i]!.hash));
    const region = edited.map((e, i) => regionDistance(e.regions, originals[i]!.regions));
    const before = whole.filter((d) => d <= d95).length;
    const after = edited.filter((e, i) => isDuplicate(e, originals[i]!)).length;
    console.log(
      `| ${name} | ${before}/${photos.length} | ${after}/${photos.length} | ${Math.max(...whole)} | ${Math.max(...region)} |`,
    );
  }
  const pairs = (list: Features[]) => {
    const out: { whole: number; region: number; dup: boolean; dupBefore: boolean }[] = [];
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!, list[j]!];
        const whole = hammingDistance(a.hash, b.hash);
        // Both directions: either may be the upload.
        const region = Math.min(regionDistance(a.regions, b.regions), regionDistance(b.regions, a.regions));
        out.push({ whole, region, dup: isDuplicate(a, b) || isDuplicate(b, a), dupBefore: whole <= d95 });
      }
    return out;
  };
  const designs: Features[][] = [];
  for (const style of [
    { background: '#c8102e', accent: '#ffffff' },
    { background: '#f4f1ea', accent: '#0abab5' },
  ]) {
    designs.push(await Promise.all((await sameStyleDesigns(photos.slice(0, 6), style)).map(featuresOf)));
  }
  console.log(`\nFalse duplicates (pairs of different pictures judged duplicates at 95 %)\n`);
  console.log(
    '| pairs | pHash alone | pHash or region | smallest pHash distance | smallest region distance |',
  );
  console.log('|---|---|---|---|---|');
  for (const [label, list] of [
    [`pairs of different photographs`, pairs(originals)],
    [`pairs of sibling designs (same style, other photo and headline)`, designs.flatMap(pairs)],
  ] as const) {
    console.log(
      `| ${list.length} ${label} | ${list.filter((p) => p.dupBefore).length} | ${list.filter((p) => p.dup).length} | ${Math.min(...list.map((p) => p.whole))} | ${Math.min(...list.map((p) => p.region))} |`,
    );
  }
  console.log(`\n(region matches count at d ≤ ${crop}, never beyond ${CROP_MAX_DISTANCE})`);
}

const randomHex = sql`lpad(to_hex((random() * 4294967295)::bigint), 8, '0') || lpad(to_hex((random() * 4294967295)::bigint), 8, '0')`;
const band = (i: number) => sql.raw(`('x' || substr(h, ${i * 4 + 1}, 4))::bit(16)::int`);

/** Adds assets `from`…`to` − 1 with one version each, its pHash and four region hashes (random). */
async function fill(database: Database, from: number, to: number) {
  const batch = 100_000;
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    await sql`
      WITH new AS (
        INSERT INTO assets (id, workflow_id, display_name, rule_set, state, state_seq, kind, metadata, current_version)
        SELECT gen_random_uuid(), 'bench-' || g, 'bench', 'default', 'stored', 2, 'image', '{}'::jsonb, 1
          FROM generate_series(${start}::int, ${end - 1}::int) g
        RETURNING id),
      hashes AS (
        INSERT INTO perceptual_hashes (asset_id, version, hash, band0, band1, band2, band3)
        SELECT id, 1, h, ${band(0)}, ${band(1)}, ${band(2)}, ${band(3)}
          FROM (SELECT id, ${randomHex} AS h FROM new) x
        RETURNING asset_id)
      INSERT INTO visual_features (asset_id, version, scale, hash, band0, band1, band2, band3)
      SELECT id, 1, scale, h, ${band(0)}, ${band(1)}, ${band(2)}, ${band(3)}
        FROM (SELECT id, scale, ${randomHex} AS h
                FROM new CROSS JOIN (VALUES (100), (95), (90), (85)) s(scale)) x`.execute(database.db);
  }
  // Only the feature tables are vacuumed and analysed: VACUUM would give `assets` statistics too.
  await sql`VACUUM ANALYZE perceptual_hashes, visual_features`.execute(database.db);
}

/** The lookup as it was before this bench was changed (a join with `assets`): the baseline. */
async function joinedFindNear(database: Database, hash: string, distance: number) {
  const probes = bandsOf(hash).map((b) => neighbours(b, Math.floor(distance / 4)));
  const rows = await database.db
    .selectFrom('perceptual_hashes as p')
    .innerJoin('assets as a', 'a.id', 'p.asset_id')
    .select(['p.asset_id', 'p.version', 'p.hash', 'a.rule_set'])
    .where('a.purged_at', 'is', null)
    .where((eb) => eb.or(probes.map((values, i) => eb(`p.band${i}` as 'p.band0', 'in', values))))
    .execute();
  return rows.filter((r) => hammingDistance(r.hash, hash) <= distance);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function timed(queries: number, run: (i: number) => Promise<unknown>): Promise<string> {
  await run(0); // warm-up
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));
  return `${f(percentile(times, 50))} | ${f(percentile(times, 95))} | ${f(percentile(times, 99))}`;
}

/** One fresh database per size, so `assets` has never had statistics when the first round runs. */
async function latency(size: number) {
  const database = await openBenchDatabase();
  try {
    await measure(database, size);
  } finally {
    await database.close();
  }
}

async function measure(database: Database & { label: string }, size: number) {
  for (const table of ['perceptual_hashes', 'visual_features']) {
    await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT IF EXISTS ${sql.raw(`${table}_asset_id_version_fkey`)}`.execute(
      database.db,
    );
  }
  // Statistics on `assets` stay missing until the bench analyses it (autovacuum would analyse it).
  await sql`ALTER TABLE assets SET (autovacuum_enabled = false)`.execute(database.db);
  const duplicates = new DuplicateRepository(database.db);
  const visual = new VisualFeatureRepository(database.db);
  const d95 = maxDistanceFor(0.95);
  const crop = cropDistanceFor(0.95);
  if (size === SIZES[0]) {
    console.log(
      `\nDuplicate lookup latency, ${database.label}, ${os.cpus().length} cores; p50 | p95 | p99 in ms over ${QUERIES} queries (half near a stored hash, half random)\n`,
    );
    console.log('| assets | statistics on `assets` | lookup | p50 | p95 | p99 |\n|---|---|---|---|---|---|');
  }
  {
    say(`Filling to ${size} assets…`);
    await fill(database, 0, size);
    const { rows: sample } = await sql<{ asset_id: string; hash: string }>`
      SELECT asset_id, hash FROM perceptual_hashes TABLESAMPLE SYSTEM (1) LIMIT ${QUERIES / 2}`.execute(
      database.db,
    );
    const flip = (hash: string) => (BigInt(`0x${hash}`) ^ 0b101n).toString(16).padStart(16, '0');
    const random = () => randomBytes(8).toString('hex');
    const hashes = Array.from({ length: QUERIES }, (_, i) => (sample[i] ? flip(sample[i]!.hash) : random()));
    const regionQueries: RegionHash[][] = [];
    for (let i = 0; i < QUERIES; i++) {
      const stored = sample[i] ? await visual.regionsOf(sample[i]!.asset_id, 1) : [];
      const whole = stored.find((r) => r.scale === 90); // a "crop": the query's whole frame is a stored region
      regionQueries.push([
        { scale: 100, hash: whole ? flip(whole.hash) : random() },
        { scale: 95, hash: random() },
        { scale: 90, hash: random() },
        { scale: 85, hash: random() },
      ]);
    }
    for (const stats of ['missing', 'analysed'] as const) {
      if (stats === 'analysed') await sql`ANALYZE assets`.execute(database.db);
      const { rows: est } = await sql<{ reltuples: number }>`
        SELECT reltuples FROM pg_class WHERE relname = 'assets'`.execute(database.db);
      const label = `${stats} (reltuples ${est[0]?.reltuples})`;
      const row = async (name: string, run: (i: number) => Promise<unknown>, queries = QUERIES) =>
        console.log(`| ${size.toLocaleString('en')} | ${label} | ${name} | ${await timed(queries, run)} |`);
      await row(`before: pHash join with assets (d ≤ ${d95})`, (i) =>
        joinedFindNear(database, hashes[i]!, d95),
      );
      await row(`pHash findNear (d ≤ ${d95})`, (i) => duplicates.findNear(hashes[i]!, d95));
      await row(`regions findNear, upload (d ≤ ${crop})`, (i) => visual.findNear(regionQueries[i]!, crop));
      await row(`regions findNear, find similar (d ≤ ${SIMILAR_MAX_DISTANCE})`, (i) =>
        visual.findNear(regionQueries[i]!, SIMILAR_MAX_DISTANCE, { limit: 24 }),
      );
    }
    const scans = Math.min(QUERIES, Math.max(5, Math.round(QUERIES / (size / 20_000))));
    await sql`SET max_parallel_workers_per_gather = 0`.execute(database.db);
    console.log(
      `| ${size.toLocaleString('en')} | — | baseline: linear scan of pHashes, every distance in SQL (${scans} queries) | ${await timed(
        scans,
        (i) =>
          sql`SELECT asset_id, version FROM perceptual_hashes
                WHERE bit_count(('x' || hash)::bit(64) # ${`x${hashes[i]}`}::bit(64)) <= ${d95}`.execute(
            database.db,
          ),
      )} |`,
    );
    await sql`RESET max_parallel_workers_per_gather`.execute(database.db);
  }
}

async function main() {
  if (!process.argv.includes('--latency-only')) await quality();
  // A fresh database per size (created and dropped), on DATABASE_URL or an embedded server.
  for (const size of SIZES) await latency(size);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
