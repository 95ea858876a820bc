import { Router } from 'express';
import type { NotificationRepository } from '../../catalogue/notification.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import type { IdentityService } from '../../services/identity.service';
import type { NotificationHub } from '../../services/notification-hub';
import { actorOf } from '../actor';
import { mount } from '../contract/route';
import { EventStreams } from '../event-streams';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  streamNotifications,
} from './notifications.contract';

/** Keeps idle proxies from closing the stream; SSE comments are ignored by clients. */
const HEARTBEAT_MS = 25_000;

/** The caller's notifications: list, mark read, and a live Server-Sent Events stream. */
export function notificationsRouter(deps: {
  notifications: NotificationRepository;
  hub: NotificationHub;
  identity: IdentityService;
  eventStreamHeartbeatMs?: number | undefined;
}): Router {
  const router = Router();
  const streams = new EventStreams(deps.identity, deps.eventStreamHeartbeatMs ?? HEARTBEAT_MS);

  mount(router, listNotifications, async ({ query }, req, res) => {
    const actor = actorOf(req);
    const unreadOnly = query.unread === true;
    res.json({
      unread: await deps.notifications.unreadCount(actor.id),
      notifications: await deps.notifications.forUser(actor.id, { unreadOnly }),
    });
  });

  mount(router, markAllNotificationsRead, async (_input, req, res) => {
    res.json({ marked: await deps.notifications.markRead(actorOf(req).id) });
  });

  mount(router, markNotificationRead, async ({ params }, req, res) => {
    const actor = actorOf(req);
    const id = params.notificationId;
    const marked = isUuid(id) ? await deps.notifications.markOneRead(actor.id, id) : undefined;
    if (!marked) throw new AssetflowError(ErrorCodes.NOTIFICATION_NOT_FOUND, `No notification ${id}.`, 404);
    res.json(marked);
  });

  /**
   * `text/event-stream`: first `event: hello` with the unread count, then one
   * `event: notification` per new notification for the caller, as it is raised anywhere.
   */
  mount(router, streamNotifications, async (_input, req, res) => {
    const actor = actorOf(req);
    const { send, closed } = streams.start(req, res, actor.id);
    // Listen for the hang-up first: a client may leave while we are still subscribing.
    let gone = false;
    void closed.then(() => {
      gone = true;
    });
    const unsubscribe = await deps.hub.subscribe(actor.id, (n) => send('notification', n));
    void closed.then(unsubscribe);
    if (gone) return;
    send('hello', { unread: await deps.notifications.unreadCount(actor.id) });
  });

  return router;
}
