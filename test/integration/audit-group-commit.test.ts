import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AuditRepository } from '../../catalogue/audit.repository';
import type { AuditEvent, AuditEventInput } from '../../catalogue/audit-event';
import { type Database, openDatabase } from '../../catalogue/database';
import { databaseKinds, openTestDatabase } from '../support/test-databases';

/**
 * Issue 22 item 3: the trail commits concurrent appends together (group commit) and loses
 * nothing doing it: every append is in the chain, each caller's events contiguous and as
 * returned, a caller whose event or action fails costs the others nothing, two processes on one
 * catalogue interleave whole batches, and verification still finds a reordered event.
 */
describe.each(databaseKinds)('the trail under concurrent writers on %s', (kind) => {
  let database: Database & { url: string };
  let audit: AuditRepository;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    audit = new AuditRepository(database.db);
  });
  afterEach(async () => {
    await database?.close();
  });

  const event = (writer: number, i: number): AuditEventInput => ({
    actor: `writer${writer}@example.test`,
    action: 'download',
    assetId: randomUUID(),
    version: 1,
    rendition: 'preview',
    address: '198.51.100.7',
    details: { writer, i },
  });

  /** What is stored, keyed by sequence number. */
  const stored = async () => {
    const { rows } = await sql<{ seq: string; hash: string; details: { writer: number; i: number } }>`
      SELECT seq, hash, details FROM audit_events ORDER BY seq`.execute(database.db);
    return rows.map((row) => ({ seq: Number(row.seq), hash: row.hash, details: row.details }));
  };
  const transactions = async () => {
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(DISTINCT xmin::text)::int AS n FROM audit_events`.execute(database.db);
    return rows[0]!.n;
  };

  it('commits 8 concurrent writers in shared transactions, every event chained and as returned', async () => {
    const returned: AuditEvent[][] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; i < 40; i++) {
          // Every fifth call appends three events at once: they must stay together.
          const batch =
            i % 5 === 0
              ? [event(writer, i), event(writer, i + 0.1), event(writer, i + 0.2)]
              : [event(writer, i)];
          returned.push(await audit.appendMany(batch));
        }
      }),
    );
    const rows = await stored();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 8 * (40 + 8 * 2) }, (_, i) => i + 1));
    for (const events of returned) {
      // Contiguous, and stored exactly as the caller was told.
      expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => events[0]!.seq + k));
      for (const e of events)
        expect(rows[e.seq - 1]).toEqual({ seq: e.seq, hash: e.hash, details: e.details });
    }
    // Each writer's own events in the order it appended them.
    for (let writer = 0; writer < 8; writer++) {
      const mine = rows.filter((r) => r.details.writer === writer).map((r) => r.details.i);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    // 320 calls; group commit makes far fewer transactions (one per caller without it).
    expect(await transactions()).toBeLessThan(320 / 2);
    expect(await audit.verify()).toEqual({ intact: true, events: rows.length, headHash: rows.at(-1)!.hash });
  });

  it('one caller whose event the server refuses fails alone; the rest of its batch is stored', async () => {
    // PostgreSQL's jsonb cannot hold U+0000: the insert of this one event fails.
    const poisoned = { ...event(9, 0), details: { note: 'nul \u0000 here' } };
    const calls = Array.from({ length: 10 }, (_, i) => (i === 3 ? poisoned : event(1, i)));
    const settled = await Promise.allSettled(calls.map((input) => audit.append(input)));
    expect(settled.map((s) => s.status)).toEqual(calls.map((_, i) => (i === 3 ? 'rejected' : 'fulfilled')));
    const rows = await stored();
    expect(rows.map((r) => r.details.i)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(await audit.verify()).toMatchObject({ intact: true, events: 9 });
  });

  it('an event that cannot even be hashed (a BigInt in its details) fails its caller alone', async () => {
    const calls = Array.from({ length: 6 }, (_, i) =>
      i === 2 ? { ...event(9, 0), details: { amount: 10n } } : event(1, i),
    );
    const settled = await Promise.allSettled(calls.map((input) => audit.append(input)));
    expect(settled.map((s) => s.status)).toEqual(calls.map((_, i) => (i === 2 ? 'rejected' : 'fulfilled')));
    expect((await stored()).map((r) => r.details.i)).toEqual([0, 1, 3, 4, 5]);
  });

  it('refuses an action that appends to the trail itself, instead of waiting on its own batch forever', async () => {
    const nested = audit.record(async () => {
      await audit.append(event(1, 0));
      return { value: undefined, events: [event(1, 1)] };
    });
    await expect(nested).rejects.toThrow('cannot append to the trail itself');
    // The writer goes on.
    await audit.append(event(2, 0));
    expect((await stored()).map((r) => r.details.writer)).toEqual([2]);
  });

  it('a recorded action that fails in a batch is undone alone, and its events are not appended', async () => {
    await sql`CREATE TABLE counted (caller int PRIMARY KEY)`.execute(database.db);
    const settled = await Promise.allSettled(
      Array.from({ length: 6 }, (_, caller) =>
        audit.record(async (tx) => {
          await sql`INSERT INTO counted VALUES (${caller})`.execute(tx);
          if (caller === 2) throw new Error('refused after writing');
          return { value: caller, events: [event(caller, 0)] };
        }),
      ),
    );
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      0,
      1,
      'refused after writing',
      3,
      4,
      5,
    ]);
    const { rows } = await sql<{ caller: number }>`SELECT caller FROM counted ORDER BY caller`.execute(
      database.db,
    );
    expect(rows.map((r) => r.caller)).toEqual([0, 1, 3, 4, 5]);
    expect((await stored()).map((r) => r.details.writer)).toEqual([0, 1, 3, 4, 5]);
    // More than one caller shared a transaction (else this test proves nothing about batches).
    expect(await transactions()).toBeLessThan(5);
  });

  it('two processes on one catalogue interleave whole batches into one chain', async () => {
    const other: Database = await openDatabase({ url: database.url, migrate: false });
    try {
      const elsewhere = new AuditRepository(other.db);
      await Promise.all(
        [audit, elsewhere].flatMap((repository, process) =>
          Array.from({ length: 4 }, async (_, w) => {
            for (let i = 0; i < 25; i++) await repository.append(event(process * 4 + w, i));
          }),
        ),
      );
    } finally {
      await other.close();
    }
    const rows = await stored();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await audit.verify()).toMatchObject({ intact: true, events: 200 });
  });

  it('verification names a reordered event', async () => {
    for (let i = 0; i < 6; i++) await audit.append(event(0, i));
    await sql`ALTER TABLE audit_events DISABLE TRIGGER USER`.execute(database.db);
    // Events 3 and 4 swap places, each keeping its own hashes.
    await sql`UPDATE audit_events SET seq = -seq WHERE seq IN (3, 4)`.execute(database.db);
    await sql`UPDATE audit_events SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq < 0`.execute(
      database.db,
    );
    await sql`ALTER TABLE audit_events ENABLE TRIGGER USER`.execute(database.db);
    expect(await audit.verify()).toEqual({
      intact: false,
      events: 2,
      firstBroken: { seq: 3, reason: 'its previous-hash does not match the event before it' },
    });
  });
});
