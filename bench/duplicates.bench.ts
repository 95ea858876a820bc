/**
 * Duplicate detection benchmark:
 *  1. quality on the 14 test photographs: recall of edited copies and false duplicates among
 *     different photos and sibling designs, at 95 % (d ≤ 3) and 90 % (d ≤ 6) similarity;
 *  2. lookup latency of the multi-index-hashing query at N hashes against a linear scan of the
 *     same table computing every Hamming distance in SQL, measured in the same run.
 *
 *   npx tsx bench/duplicates.bench.ts [sizes=100000,1000000]
 *
 * Uses DATABASE_URL (a fresh database is created and dropped) or an embedded PostgreSQL started for the run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../catalogue/database';
import { DuplicateRepository } from '../catalogue/duplicate.repository';
import { hammingDistance, maxDistanceFor, perceptualHash } from '../imaging/perceptual-hash';
import { ATTACKS, sameStyleDesigns } from '../test/support/image-attacks';
import { openBenchDatabase } from './bench-database';

const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const QUERIES = 200;
const PHOTOS_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
const say = (line: string) => process.stderr.write(`${line}\n`);

async function quality() {
  const photos = readdirSync(PHOTOS_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => readFileSync(path.join(PHOTOS_DIR, f)));
  const hashes = await Promise.all(photos.map((p) => perceptualHash(p, 1e8)));
  console.log(
    `\nNear-duplicate recall on ${photos.length} photographs (edited copy found as the top match)\n`,
  );
  console.log('| edit | at 95 % (d ≤ 3) | at 90 % (d ≤ 6) | largest distance |');
  console.log('|---|---|---|---|');
  for (const [name, attack] of Object.entries(ATTACKS)) {
    const distances = await Promise.all(
      photos.map(async (p, i) => hammingDistance(hashes[i]!, await perceptualHash(await attack(p), 1e8))),
    );
    const within = (d: number) => distances.filter((x) => x <= d).length;
    console.log(
      `| ${name} | ${within(3)}/${photos.length} | ${within(6)}/${photos.length} | ${Math.max(...distances)} |`,
    );
  }
  const between: number[] = [];
  for (let i = 0; i < hashes.length; i++)
    for (let j = i + 1; j < hashes.length; j++) between.push(hammingDistance(hashes[i]!, hashes[j]!));
  const designDistances: number[] = [];
  for (const style of [
    { background: '#c8102e', accent: '#ffffff' },
    { background: '#f4f1ea', accent: '#0abab5' },
  ]) {
    const designs = await Promise.all(
      (await sameStyleDesigns(photos.slice(0, 6), style)).map((d) => perceptualHash(d, 1e8)),
    );
    for (let i = 0; i < designs.length; i++)
      for (let j = i + 1; j < designs.length; j++)
        designDistances.push(hammingDistance(designs[i]!, designs[j]!));
  }
  const falseAt = (list: number[], d: number) => list.filter((x) => x <= d).length;
  console.log(`\nFalse duplicates (pairs of different pictures within the threshold)\n`);
  console.log('| pairs | at 95 % | at 90 % | smallest distance |');
  console.log('|---|---|---|---|');
  console.log(
    `| ${between.length} pairs of different photographs | ${falseAt(between, 3)} | ${falseAt(between, 6)} | ${Math.min(...between)} |`,
  );
  console.log(
    `| ${designDistances.length} pairs of sibling designs (same style, other photo and headline) | ${falseAt(designDistances, 3)} | ${falseAt(designDistances, 6)} | ${Math.min(...designDistances)} |`,
  );
}

/** Fills the index with `count` random hashes spread over 1 000 assets (FK dropped for the bench). */
async function fill(database: Database, from: number, to: number, assetIds: string[]) {
  const batch = 5_000; // 7 parameters a row, under PostgreSQL's 65 535
  for (let start = from; start < to; start += batch) {
    const rows = Array.from({ length: Math.min(batch, to - start) }, (_, k) => {
      const hash = randomBytes(8).toString('hex');
      return {
        asset_id: assetIds[(start + k) % assetIds.length]!,
        version: start + k + 1,
        hash,
        band0: Number.parseInt(hash.slice(0, 4), 16),
        band1: Number.parseInt(hash.slice(4, 8), 16),
        band2: Number.parseInt(hash.slice(8, 12), 16),
        band3: Number.parseInt(hash.slice(12, 16), 16),
      };
    });
    await database.db.insertInto('perceptual_hashes').values(rows).execute();
  }
  await sql`ANALYZE perceptual_hashes`.execute(database.db);
}

async function latency(database: Database & { label: string }) {
  await sql`ALTER TABLE perceptual_hashes DROP CONSTRAINT IF EXISTS perceptual_hashes_asset_id_version_fkey`.execute(
    database.db,
  );
  const assetIds = Array.from({ length: 1000 }, () => randomUUID());
  for (const id of assetIds) {
    await sql`INSERT INTO assets (id, workflow_id, display_name, rule_set, state, state_seq, kind, metadata, current_version)
              VALUES (${id}, ${`asset-${id}`}, 'bench', 'default', 'stored', 2, 'image', '{}'::jsonb, 1)`.execute(
      database.db,
    );
  }
  const index = new DuplicateRepository(database.db);
  console.log(
    `\nDuplicate lookup at 95 % (d ≤ 3), ${database.label}, ${os.cpus().length} cores, mean of ${QUERIES} queries\n`,
  );
  console.log('| hashes | index (multi-index hashing) | linear scan (SQL, every distance) | speed-up |');
  console.log('|---|---|---|---|');
  let filled = 0;
  for (const size of SIZES) {
    say(`Filling the index to ${size} hashes…`);
    await fill(database, filled, size, assetIds);
    filled = size;
    const queries = Array.from({ length: QUERIES }, () => randomBytes(8).toString('hex'));
    // Half the queries are near an indexed hash (2 bits flipped), half random: both outcomes cost.
    const { rows: sample } = await sql<{
      hash: string;
    }>`SELECT hash FROM perceptual_hashes ORDER BY random() LIMIT ${QUERIES / 2}`.execute(database.db);
    sample.forEach((row, i) => {
      const flipped = BigInt(`0x${row.hash}`) ^ 0b101n;
      queries[i] = flipped.toString(16).padStart(16, '0');
    });
    const distance = maxDistanceFor(0.95);
    await index.findNear(queries[0]!, distance); // warm-up
    let t0 = performance.now();
    let found = 0;
    for (const q of queries) found += (await index.findNear(q, distance)).length;
    const indexed = (performance.now() - t0) / QUERIES;
    const scanQueries = queries.slice(0, Math.max(5, Math.round(QUERIES / (size / 20_000))));
    t0 = performance.now();
    let scanned = 0;
    for (const q of scanQueries) {
      const { rows } = await sql`SELECT asset_id, version FROM perceptual_hashes
         WHERE bit_count(('x' || hash)::bit(64) # ('x' || ${q})::bit(64)) <= ${distance}`.execute(
        database.db,
      );
      scanned += rows.length;
    }
    const linear = (performance.now() - t0) / scanQueries.length;
    say(
      `  ${size}: index found ${found} matches for ${QUERIES} queries; scan found ${scanned} for ${scanQueries.length}`,
    );
    console.log(
      `| ${size.toLocaleString('en')} | ${indexed.toFixed(2)} ms | ${linear.toFixed(1)} ms | ${(linear / indexed).toFixed(0)}× |`,
    );
  }
}

async function main() {
  await quality();
  // A fresh database of its own (created and dropped), on DATABASE_URL or an embedded server.
  const database = await openBenchDatabase();
  try {
    await latency(database);
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
