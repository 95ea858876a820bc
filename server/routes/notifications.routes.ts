import { Router } from 'express';
import type { NotificationRepository } from '../../catalogue/notification.repository';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import type { NotificationHub } from '../../services/notification-hub';
import { actorOf } from '../actor';

/** Keeps idle proxies from closing the stream; SSE comments are ignored by clients. */
const HEARTBEAT_MS = 25_000;

/** The caller's notifications: list, mark read, and a live Server-Sent Events stream. */
export function notificationsRouter(deps: {
  notifications: NotificationRepository;
  hub: NotificationHub;
}): Router {
  const router = Router();

  router.get('/api/notifications', async (req, res) => {
    const actor = actorOf(req);
    const unreadOnly = req.query.unread === 'true';
    res.json({
      unread: await deps.notifications.unreadCount(actor.id),
      notifications: await deps.notifications.forUser(actor.id, { unreadOnly }),
    });
  });

  router.post('/api/notifications/read-all', async (req, res) => {
    res.json({ marked: await deps.notifications.markRead(actorOf(req).id) });
  });

  router.post('/api/notifications/:notificationId/read', async (req, res) => {
    const actor = actorOf(req);
    const id = req.params.notificationId;
    const marked = isUuid(id) ? await deps.notifications.markOneRead(actor.id, id) : undefined;
    if (!marked) throw new AssetflowError(ErrorCodes.NOTIFICATION_NOT_FOUND, `No notification ${id}.`, 404);
    res.json(marked);
  });

  /**
   * `text/event-stream`: first `event: hello` with the unread count, then one
   * `event: notification` per new notification for the caller, as it is raised anywhere.
   */
  router.get('/api/notifications/stream', async (req, res) => {
    const actor = actorOf(req);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // Listen for the hang-up first: a client may leave while we are still subscribing.
    let closed = false;
    let stop = () => {};
    res.on('close', () => {
      closed = true;
      stop();
    });
    const unsubscribe = await deps.hub.subscribe(actor.id, (n) => send('notification', n));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    if (closed) return stop();
    send('hello', { unread: await deps.notifications.unreadCount(actor.id) });
  });

  return router;
}
