import { type Selectable, sql } from 'kysely';
import { type AuditEvent, type AuditEventInput, auditHash, GENESIS_HASH } from './audit-event';
import { type TrailAction, TrailWriter } from './audit-trail-writer';
import type { CatalogueDb } from './database';
import type { AuditEventsTable } from './schema';

/** Names the lock that makes processes sharing an anchor file write it one at a time. */
const ANCHOR_LOCK = 0x616e6368;

export interface TrailFilter {
  assetId?: string;
  actor?: string;
  shareId?: string;
  /** Events after this sequence number (keyset paging). */
  after?: number;
  limit?: number;
}

export interface WatermarkedRendition {
  assetId: string;
  version: number;
  rendition: string;
  perceptualHash: string | null;
}

export type ChainVerdict =
  | { intact: true; events: number; headHash: string }
  | { intact: false; events: number; firstBroken: { seq: number; reason: string } };

/**
 * The append-only, hash-chained distribution trail. Nothing here updates or deletes (and the
 * database refuses it: migration 0014).
 */
export class AuditRepository {
  private readonly writer: TrailWriter;

  constructor(private readonly db: CatalogueDb) {
    this.writer = new TrailWriter(db);
  }

  /** Appends one event after the current head (see `appendMany`). */
  async append(input: AuditEventInput, at = new Date()): Promise<AuditEvent> {
    const [event] = await this.appendMany([input], at);
    return event!;
  }

  /**
   * Appends events after the current head, in order and contiguous, in one transaction: what a
   * link open of 500 assets records is one append, not 500. Concurrent appends are committed
   * together (group commit, see `TrailWriter`); each resolves once its events are committed.
   */
  async appendMany(inputs: AuditEventInput[], at = new Date()): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    return this.writer.append(inputs, at);
  }

  /**
   * Runs `action` and appends the events it returns in the same transaction, so the action and
   * its record happen together or not at all (no gap when one of the two fails). `action` gets the
   * transaction to run its own statements on, possibly alongside other callers' (each in a
   * savepoint) and, when that shared transaction fails, once more on its own: it must do nothing
   * but database statements on `tx`, and must not append to the trail itself (that is refused).
   */
  async record<T>(action: TrailAction<T>, at = new Date()): Promise<T> {
    return (await this.writer.write(action, at)).value;
  }

  /**
   * Runs `work` while holding the anchor lock: two processes on one catalogue (and one anchor
   * file) then never read the same last anchor and both append after it.
   */
  async withAnchorLock<T>(work: () => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${ANCHOR_LOCK})`.execute(tx);
      return work();
    });
  }

  /** The last event's sequence number and hash; null while the trail is empty. */
  async head(): Promise<{ seq: number; hash: string } | null> {
    const row = await this.db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash.trim() } : null;
  }

  /** The stored hash of event `seq`, or null when there is no such event. */
  async hashAt(seq: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('audit_events')
      .select('hash')
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? row.hash.trim() : null;
  }

  async list(filter: TrailFilter): Promise<AuditEvent[]> {
    let query = this.db
      .selectFrom('audit_events')
      .selectAll()
      .orderBy('seq')
      .limit(Math.min(filter.limit ?? 500, 5000));
    if (filter.assetId) query = query.where('asset_id', '=', filter.assetId);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.shareId) query = query.where('share_id', '=', filter.shareId);
    if (filter.after !== undefined) query = query.where('seq', '>', filter.after);
    return (await query.execute()).map(toEvent);
  }

  /** The events that sent a file marked with this watermark payload (hex). */
  async byWatermark(payload: string): Promise<AuditEvent[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where(sql<string>`details->>'watermark'`, '=', payload)
      .where(sql<boolean>`details ? 'watermark'`)
      .orderBy('seq')
      .execute();
    return rows.map(toEvent);
  }

  /**
   * The renditions marked copies were made of — each asset version and rendition name once, with
   * its perceptual hash when indexed — most recently sent first: what a cropped leak may have
   * been cut from.
   */
  async watermarkedRenditions(filter: { assetId?: string; limit: number }): Promise<WatermarkedRendition[]> {
    let query = this.db
      .selectFrom('audit_events as e')
      .leftJoin('perceptual_hashes as p', (join) =>
        join.onRef('p.asset_id', '=', 'e.asset_id').onRef('p.version', '=', 'e.version'),
      )
      .select(['e.asset_id', 'e.version', 'e.rendition', 'p.hash'])
      .select((eb) => eb.fn.max('e.seq').as('latest'))
      .where(sql<boolean>`e.details ? 'watermark'`)
      .where('e.asset_id', 'is not', null)
      .where('e.version', 'is not', null)
      .where('e.rendition', 'is not', null)
      .groupBy(['e.asset_id', 'e.version', 'e.rendition', 'p.hash'])
      .orderBy('latest', 'desc')
      .limit(filter.limit);
    if (filter.assetId) query = query.where('e.asset_id', '=', filter.assetId);
    return (await query.execute()).map((row) => ({
      assetId: row.asset_id!,
      version: row.version!,
      rendition: row.rendition!,
      perceptualHash: row.hash,
    }));
  }

  /**
   * Recomputes the chain from the first event: every sequence number follows the one before,
   * every `prevHash` is the previous event's hash and every hash matches the content. Names the
   * first event where that fails. On its own this cannot see events cut off the end, nor a chain
   * whose hashes were all recomputed; `anchored` (sequence number → hash, from the signed anchors
   * kept outside the database) makes any event whose hash differs from its anchor broken too.
   * Whether anchored events lie beyond the end is for the caller to compare with `events`.
   */
  async verify(
    options: { pageSize?: number; anchored?: ReadonlyMap<number, string> } = {},
  ): Promise<ChainVerdict> {
    const pageSize = options.pageSize ?? 2000;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let events = 0;
    for (;;) {
      const page = await this.db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      for (const row of page) {
        const event = toEvent(row);
        const broken = (reason: string): ChainVerdict => ({
          intact: false,
          events,
          firstBroken: { seq: expectedSeq, reason },
        });
        if (event.seq !== expectedSeq)
          return broken(`event ${expectedSeq} is missing (next is ${event.seq})`);
        if (event.prevHash !== prevHash)
          return broken('its previous-hash does not match the event before it');
        const { hash, prevHash: _prev, ...content } = event;
        if (auditHash(prevHash, content) !== hash) return broken('its content does not match its hash');
        const anchoredHash = options.anchored?.get(event.seq);
        if (anchoredHash !== undefined && anchoredHash !== hash)
          return broken('its hash differs from the signed anchor (the chain was rewritten)');
        prevHash = hash;
        expectedSeq += 1;
        events += 1;
      }
      if (page.length < pageSize) return { intact: true, events, headHash: prevHash };
    }
  }
}

function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action as AuditEvent['action'],
    assetId: row.asset_id,
    version: row.version,
    rendition: row.rendition,
    shareId: row.share_id,
    address: row.address,
    details: (row.details ?? {}) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
