import type { Database } from '../catalogue/database';
import {
  NOTIFICATION_CHANNEL,
  type NotificationRecord,
  type NotificationRepository,
} from '../catalogue/notification.repository';

type Listener = (notification: NotificationRecord) => void;

/**
 * Live delivery: one LISTEN per server process on the notifications channel, fanned out to the
 * open streams of the user each notification is for. Whatever process raised it (a server route,
 * a worker's activity) NOTIFY reaches every server at commit; a user with no open stream simply
 * finds it in their list later.
 */
export class NotificationHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private starting: Promise<void> | undefined;

  constructor(private readonly deps: { database: Database; notifications: NotificationRepository }) {}

  /** Starts listening on first use; the listening connection ends when the database is closed. */
  private start(): Promise<void> {
    this.starting ??= this.deps.database
      .listen(NOTIFICATION_CHANNEL, (payload) => void this.deliver(payload))
      .then(() => undefined);
    return this.starting;
  }

  async subscribe(userId: string, listener: Listener): Promise<() => void> {
    await this.start();
    const set = this.listeners.get(userId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  private async deliver(payload: string): Promise<void> {
    let message: { userId?: string; id?: string };
    try {
      message = JSON.parse(payload) as { userId?: string; id?: string };
    } catch {
      return;
    }
    const listeners = message.userId ? this.listeners.get(message.userId) : undefined;
    if (!listeners || !message.id) return;
    const notification = await this.deps.notifications
      .byId(message.userId!, message.id)
      .catch(() => undefined);
    if (!notification) return;
    for (const listener of listeners) listener(notification);
  }
}
