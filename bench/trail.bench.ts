/**
 * The distribution trail's cost: appending hash-chained events (advisory lock, read the head,
 * sha256, insert) against a plain insert of the same rows into an unchained copy of the table,
 * measured in the same run, sequentially and from 8 concurrent writers; and verifying the chain.
 *
 *   npx tsx bench/trail.bench.ts [events=5000]
 *
 * Uses DATABASE_URL (a fresh database is created and dropped) or an embedded PostgreSQL started for the run.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AuditRepository } from '../catalogue/audit.repository';
import { jsonb } from '../catalogue/json';
import { openBenchDatabase } from './bench-database';

const EVENTS = Number(process.argv[2] ?? 5000);
const say = (line: string) => process.stderr.write(`${line}\n`);

async function main() {
  const database = await openBenchDatabase();
  const { db } = database;
  try {
    await sql`CREATE TABLE plain_events (LIKE audit_events INCLUDING ALL)`.execute(db);
    await sql`ALTER TABLE plain_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY`.execute(db);
    const audit = new AuditRepository(db);
    const event = (i: number) => ({
      actor: `user${i % 50}@example.test`,
      action: 'download' as const,
      assetId: randomUUID(),
      version: 1,
      rendition: 'preview',
      shareId: null,
      address: '127.0.0.1',
      details: { audience: 'partners', i },
    });
    const plainInsert = async (i: number) => {
      const e = event(i);
      await sql`INSERT INTO plain_events (at, actor, action, asset_id, version, rendition, share_id, address, details, prev_hash, hash)
        VALUES (now(), ${e.actor}, ${e.action}, ${e.assetId}, ${e.version}, ${e.rendition}, ${e.shareId}, ${e.address}, ${jsonb(e.details)}, '', '')`.execute(
        db,
      );
    };
    const timed = async (
      label: string,
      n: number,
      concurrency: number,
      work: (i: number) => Promise<unknown>,
    ) => {
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) await work(next++);
        }),
      );
      const ms = performance.now() - started;
      say(`  ${label}: ${n} in ${(ms / 1000).toFixed(2)} s`);
      return n / (ms / 1000);
    };
    say(`Trail benchmark on ${database.label}, ${EVENTS} events per case`);
    const rows: string[] = [];
    for (const concurrency of [1, 8]) {
      const plain = await timed(`plain insert ×${concurrency}`, EVENTS, concurrency, plainInsert);
      const chained = await timed(`chained append ×${concurrency}`, EVENTS, concurrency, (i) =>
        audit.append(event(i)),
      );
      rows.push(
        `| ${concurrency} | ${plain.toFixed(0)} | ${chained.toFixed(0)} | ${(plain / chained).toFixed(2)}× |`,
      );
    }
    const started = performance.now();
    const verdict = await audit.verify();
    const verifyMs = performance.now() - started;
    console.log(`\nTrail on ${database.label}: appending ${EVENTS} events per case\n`);
    console.log('| writers | plain insert (events/s) | hash-chained append (events/s) | cost |');
    console.log('|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(
      `\nVerifying the chain of ${verdict.events} events: ${(verifyMs / 1000).toFixed(2)} s (${(verdict.events / (verifyMs / 1000)).toFixed(0)} events/s), intact: ${verdict.intact}`,
    );
  } finally {
    await database.close();
  }
}

void main();
