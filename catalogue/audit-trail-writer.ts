import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import { type AuditEvent, type AuditEventInput, auditHash, GENESIS_HASH } from './audit-event';
import type { CatalogueDb } from './database';
import { jsonb } from './json';

/** Any constant works: it names the lock that serialises appends to the chain. */
const CHAIN_LOCK = 0x61756469;
/** Rows per INSERT statement: 12 bind parameters each stays under PostgreSQL's 65 535. */
const INSERT_ROWS = 1000;
/** Callers per transaction: bounds how long one commit (their actions, then the lock) takes. */
const MAX_BATCH = 256;

/** Statements run in the trail's transaction before its events are appended (see `record`). */
export type TrailAction<T> = (tx: CatalogueDb) => Promise<{ value: T; events: AuditEventInput[] }>;

interface Pending {
  /** Absent for a plain append: no statements of its own, so no savepoint either. */
  action?: TrailAction<unknown>;
  events?: AuditEventInput[];
  at: Date;
  resolve(result: { value: unknown; events: AuditEvent[] }): void;
  reject(error: unknown): void;
}

type Outcome =
  | { ok: true; value: unknown; events: AuditEventInput[] }
  | { ok: false; error: unknown; again?: true };

/** Set while a caller's action runs: an action that appended to the trail itself would wait on its own batch. */
const insideAction = new AsyncLocalStorage<true>();

/**
 * Appends to the hash-chained trail with group commit. Each append must follow the head it read,
 * so appends take turns at a lock; one transaction per caller would cap the whole installation at
 * one commit per turn (≈ 240 events/s measured). Instead, callers queue here and one transaction
 * at a time takes everyone waiting: their actions (each in a savepoint, so one that fails is
 * undone alone), then one turn at the lock, one read of the head and one insert for all their
 * events. A lone caller is committed at once; batches form only while a commit is in flight.
 *
 * Several processes on one catalogue each have a writer; the lock still orders their batches.
 * When a batch fails for any reason but a lost connection (a row the server refuses, an event
 * that cannot be hashed), each caller is retried in a transaction of its own, so one caller's bad
 * event costs the others nothing; an action that lost a deadlock or a serialization conflict is
 * retried alone too. A lost connection is not retried: the commit may have happened.
 */
export class TrailWriter {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(private readonly db: CatalogueDb) {}

  /** Appends `events` after the head, in order and contiguous. */
  append(events: AuditEventInput[], at: Date): Promise<AuditEvent[]> {
    return this.enqueue({ events, at }).then((done) => done.events);
  }

  /** Runs `action` and appends its events after the head, together or not at all. */
  write<T>(action: TrailAction<T>, at: Date): Promise<{ value: T; events: AuditEvent[] }> {
    return this.enqueue({ action, at }) as Promise<{ value: T; events: AuditEvent[] }>;
  }

  private enqueue(item: Omit<Pending, 'resolve' | 'reject'>) {
    if (insideAction.getStore())
      return Promise.reject(new Error('an action recorded in the trail cannot append to the trail itself'));
    return new Promise<{ value: unknown; events: AuditEvent[] }>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        await this.commit(this.queue.splice(0, MAX_BATCH));
        // Let the callers just resolved run on: those that append again join the next batch,
        // instead of batches alternating between one caller and all the others.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction().execute(async (tx) => {
        const done = batch.length === 1 ? [await runAlone(tx, batch[0]!)] : await runEach(tx, batch);
        const appended = await appendWithin(
          tx,
          batch.flatMap((item, i) => {
            const outcome = done[i]!;
            return outcome.ok ? outcome.events.map((input) => ({ input, at: item.at })) : [];
          }),
        );
        let next = 0;
        return done.map((outcome) => {
          if (!outcome.ok) return outcome;
          const events = appended.slice(next, next + outcome.events.length);
          next += outcome.events.length;
          return { ...outcome, events };
        });
      });
    } catch (error) {
      if (batch.length > 1 && !commitMayHaveHappened(error)) {
        for (const item of batch) await this.commit([item]);
      } else for (const item of batch) item.reject(error);
      return;
    }
    for (const [i, item] of batch.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve({ value: outcome.value, events: outcome.events as AuditEvent[] });
      else if (outcome.again) await this.commit([item]);
      else item.reject(outcome.error);
    }
  }
}

/** A caller's events, checked so that a malformed one fails its own caller, not the batch. */
async function eventsOf(
  tx: CatalogueDb,
  item: Pending,
): Promise<{ value: unknown; events: AuditEventInput[] }> {
  const { value, events } = item.action
    ? await insideAction.run(true, () => item.action!(tx))
    : { value: undefined, events: item.events ?? [] };
  if (!Array.isArray(events)) throw new TypeError('a trail action must answer its events as an array');
  if (Number.isNaN(item.at.getTime())) throw new RangeError('a trail event needs a valid time');
  // Details that cannot be hashed fail the batch's hashing; the batch is then retried caller by caller.
  return { value, events };
}

/** A caller alone in its transaction: if its action fails, the transaction is its own to fail. */
async function runAlone(tx: CatalogueDb, item: Pending): Promise<Outcome> {
  return { ok: true, ...(await eventsOf(tx, item)) };
}

/** Each caller's action in a savepoint: a failure rolls back that caller's statements only. */
async function runEach(tx: CatalogueDb, batch: Pending[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const item of batch) {
    if (!item.action) {
      // A plain append runs no statements: nothing to roll back, no savepoint to pay for.
      try {
        outcomes.push({ ok: true, ...(await eventsOf(tx, item)) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
      continue;
    }
    await sql`SAVEPOINT trail_caller`.execute(tx);
    try {
      const found = await eventsOf(tx, item);
      await sql`RELEASE SAVEPOINT trail_caller`.execute(tx);
      outcomes.push({ ok: true, ...found });
    } catch (error) {
      await sql`ROLLBACK TO SAVEPOINT trail_caller`.execute(tx);
      // Locks taken in another order by another process's batch: alone, it goes through.
      outcomes.push({ ok: false, error, ...(lostAConflict(error) ? { again: true as const } : {}) });
    }
  }
  return outcomes;
}

/** SQLSTATE of a serialization failure or a deadlock. */
function lostAConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '40001' || code === '40P01';
}

/**
 * Whether a failed transaction may still have committed: the connection broke (the driver's
 * CONNECTION_* codes, a socket's E* codes, SQLSTATE class 08, or the server shutting down, 57P0x).
 * Anything else — the server refusing a statement, an error thrown here before COMMIT — rolled the
 * whole transaction back.
 */
function commitMayHaveHappened(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('CONNECT') || /^E[A-Z]+$/.test(code) || code.startsWith('08') || code.startsWith('57P0')
  );
}

/** Appends `events` after the head on `tx`, which must be a transaction (the lock is transaction-scoped). */
export async function appendWithin(
  tx: CatalogueDb,
  timed: Array<{ input: AuditEventInput; at: Date }>,
): Promise<AuditEvent[]> {
  if (timed.length === 0) return [];
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
  // A statement of its own, after the lock: its snapshot then sees the previous holder's commit.
  const head = await tx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let prevHash = head?.hash ?? GENESIS_HASH;
  let seq = head ? Number(head.seq) : 0;
  const events: AuditEvent[] = [];
  for (const { input, at } of timed) {
    seq += 1;
    const unhashed = {
      seq,
      at: at.toISOString(),
      actor: input.actor,
      action: input.action,
      assetId: input.assetId ?? null,
      version: input.version ?? null,
      rendition: input.rendition ?? null,
      shareId: input.shareId ?? null,
      address: input.address ?? null,
      details: input.details ?? {},
    };
    const hash = auditHash(prevHash, unhashed);
    events.push({ ...unhashed, prevHash, hash });
    prevHash = hash;
  }
  for (let i = 0; i < events.length; i += INSERT_ROWS) {
    await tx
      .insertInto('audit_events')
      .values(
        events.slice(i, i + INSERT_ROWS).map((event) => ({
          seq: event.seq,
          at: event.at,
          actor: event.actor,
          action: event.action,
          asset_id: event.assetId,
          version: event.version,
          rendition: event.rendition,
          share_id: event.shareId,
          address: event.address,
          details: jsonb(event.details),
          prev_hash: event.prevHash,
          hash: event.hash,
        })),
      )
      .execute();
  }
  return events;
}
