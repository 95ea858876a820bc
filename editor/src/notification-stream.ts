import { useEffect } from 'react';

type Listener = { onHello?(unread: number): void; onNotification?(): void };

/**
 * One `GET /api/notifications/stream` for the whole page, however many parts listen (the bell, the
 * approvals inbox): the server allows a user 5 streams, and a browser 6 connections per origin.
 * Opened with the first listener and closed with the last. EventSource reconnects by itself after
 * a dropped connection (each reconnection starts with a new `hello`), not after an HTTP error
 * such as a 401 when the session has ended.
 */
const listeners = new Set<Listener>();
let stream: EventSource | null = null;

function open(): EventSource {
  const source = new EventSource('/api/notifications/stream');
  source.addEventListener('hello', (e) => {
    const { unread } = JSON.parse(e.data) as { unread: number };
    for (const l of listeners) l.onHello?.(unread);
  });
  source.addEventListener('notification', () => {
    for (const l of listeners) l.onNotification?.();
  });
  return source;
}

/** Calls `onHello` on each (re)connection and `onNotification` on each new notification. */
export function useNotificationStream(listener: Listener): void {
  const { onHello, onNotification } = listener;
  useEffect(() => {
    const entry = { onHello, onNotification };
    listeners.add(entry);
    stream ??= open();
    return () => {
      listeners.delete(entry);
      if (listeners.size === 0) {
        stream?.close();
        stream = null;
      }
    };
  }, [onHello, onNotification]);
}
