/**
 * The distribution trail's cost: appending hash-chained events (group commit: a batch of callers
 * per transaction, one turn at the lock, one read of the head, sha256, one insert) against a
 * plain insert of the same rows into an unchained copy of the table, each its own transaction,
 * measured in the same run, sequentially and from 8 concurrent writers. A third column records
 * each event together with an update of a counter row, as a link download counts itself
 * (`record`, a savepoint per caller in a batch). Then the chain is verified and counted: every
 * append must be in it.
 *
 *   npm run bench -- trail [events=5000]
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
    await sql`CREATE TABLE bench_counters (id int PRIMARY KEY, n int NOT NULL)`.execute(db);
    await sql`INSERT INTO bench_counters SELECT g, 0 FROM generate_series(0, 63) g`.execute(db);
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
      const recorded = await timed(
        `chained with a counter update ×${concurrency}`,
        EVENTS,
        concurrency,
        (i) =>
          audit.record(async (tx) => {
            await sql`UPDATE bench_counters SET n = n + 1 WHERE id = ${i % 64}`.execute(tx);
            return { value: undefined, events: [event(i)] };
          }),
      );
      rows.push(
        `| ${concurrency} | ${plain.toFixed(0)} | ${chained.toFixed(0)} (${(plain / chained).toFixed(2)}×) | ${recorded.toFixed(0)} (${(plain / recorded).toFixed(2)}×) |`,
      );
    }
    const counted = await sql<{ n: number }>`SELECT sum(n)::int AS n FROM bench_counters`.execute(db);
    const started = performance.now();
    const verdict = await audit.verify();
    const verifyMs = performance.now() - started;
    console.log(`\nTrail on ${database.label}: appending ${EVENTS} events per case\n`);
    console.log(
      '| writers | plain insert (events/s) | hash-chained append (events/s, cost) | chained with a counter update (events/s, cost) |',
    );
    console.log('|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(
      `\nVerifying the chain of ${verdict.events} events: ${(verifyMs / 1000).toFixed(2)} s (${(verdict.events / (verifyMs / 1000)).toFixed(0)} events/s), intact: ${verdict.intact}`,
    );
    const expected = EVENTS * 4;
    const counters = counted.rows[0]?.n ?? 0;
    // Each compared on its own: a missing event and a duplicated one must not cancel out.
    const whole = verdict.events === expected && counters === EVENTS * 2;
    console.log(
      `Appended ${expected} events, ${verdict.events} in the chain; counters ${counters}/${EVENTS * 2}; ${whole ? 'all there' : 'MISMATCH'}`,
    );
  } finally {
    await database.close();
  }
}

void main();
