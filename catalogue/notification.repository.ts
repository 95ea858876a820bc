import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { CatalogueDb } from './database';
import { jsonb } from './json';
import type { NotificationsTable } from './schema';

/** The channel servers LISTEN on; the payload is `{"userId", "id"}` of the new notification. */
export const NOTIFICATION_CHANNEL = 'assetflow_notifications';

export type NotificationKind =
  | 'mention'
  | 'approval.requested'
  | 'approval.decided'
  | 'asset.frozen'
  | 'asset.unfrozen'
  | 'asset.taken-down'
  | 'asset.restored'
  | 'asset.rights-expiring'
  | 'asset.rights-expired'
  | 'flow.notify'
  | 'share.expiring';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  assetId: string | null;
  message: string;
  payload?: Record<string, unknown>;
  /** Unique per user: raising the same notification twice (a retried activity) stores it once. */
  dedupeKey: string;
}

export interface NotificationRecord {
  id: string;
  kind: NotificationKind;
  assetId: string | null;
  message: string;
  payload: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** Notifications per user, and the NOTIFY that lets every server push them live. */
export class NotificationRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** Stores each (skipping ones already raised) and announces the new ones at commit. */
  async raise(notifications: NewNotification[]): Promise<number> {
    if (notifications.length === 0) return 0;
    return this.db.transaction().execute(async (tx) => {
      let raised = 0;
      for (const n of notifications) {
        const id = randomUUID();
        const inserted = await tx
          .insertInto('notifications')
          .values({
            id,
            user_id: n.userId,
            kind: n.kind,
            asset_id: n.assetId,
            message: n.message,
            payload: jsonb(n.payload ?? {}),
            dedupe_key: n.dedupeKey,
          })
          .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) continue;
        raised += 1;
        const payload = JSON.stringify({ userId: n.userId, id });
        await sql`SELECT pg_notify(${NOTIFICATION_CHANNEL}, ${payload})`.execute(tx);
      }
      return raised;
    });
  }

  async forUser(
    userId: string,
    options: { unreadOnly?: boolean; limit?: number } = {},
  ): Promise<NotificationRecord[]> {
    let query = this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(Math.min(options.limit ?? 100, 500));
    if (options.unreadOnly) query = query.where('read_at', 'is', null);
    return (await query.execute()).map(toNotification);
  }

  async byId(userId: string, id: string): Promise<NotificationRecord | undefined> {
    const row = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toNotification(row) : undefined;
  }

  async unreadCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Marks one (or, without an id, all) of the user's notifications read. */
  /** Marks one of the user's notifications read (keeping an earlier read time) and returns it. */
  async markOneRead(userId: string, id: string): Promise<NotificationRecord | undefined> {
    const row = await this.db
      .updateTable('notifications')
      .set({ read_at: sql<Date>`coalesce(read_at, now())` })
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toNotification(row) : undefined;
  }

  async markRead(userId: string, id?: string): Promise<number> {
    let query = this.db
      .updateTable('notifications')
      .set({ read_at: new Date() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (id) query = query.where('id', '=', id);
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  }
}

function toNotification(row: Selectable<NotificationsTable>): NotificationRecord {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    assetId: row.asset_id,
    message: row.message,
    payload: (row.payload as Record<string, unknown>) ?? {},
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
  };
}
