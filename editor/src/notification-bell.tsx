import { Button, Group, Popover, Text } from '@mantine/core';
import { useCallback, useRef, useState } from 'react';
import { call, client, messageOf, type Notification } from './api';
import { ErrorAlert } from './feedback';
import { useT } from './i18n';
import { useNotificationStream } from './notification-stream';

/** Where a notification leads: its asset, the approvals inbox, or the library. */
function whereTo(n: Notification): string {
  if (n.assetId) return `#/assets/${n.assetId}`;
  return n.kind.startsWith('approval.') ? '#/inbox' : '#/library';
}

/**
 * The bell in the top bar: the unread count and the newest notifications in a panel it opens, read
 * from the server when the page's notification stream connects and whenever it announces a new
 * one (the list's answer is the count's one source: a notification is never counted twice).
 * Opening one that names an asset goes to its page and marks it read.
 */
export function NotificationBell() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<Notification[]>([]);
  const [error, setError] = useState('');

  // Only the latest read may show: an older answer arriving late is dropped.
  const latestRead = useRef(0);
  const [live, setLive] = useState(false);
  const load = useCallback(async () => {
    const read = ++latestRead.current;
    try {
      const answer = await call(client.GET('/api/notifications'));
      if (read !== latestRead.current) return;
      setItems(answer.notifications);
      setUnread(answer.unread);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  const onHello = useCallback(() => {
    setLive(true);
    void load();
  }, [load]);
  const onNotification = useCallback(() => void load(), [load]);
  useNotificationStream({ onHello, onNotification });

  const markRead = async (n: Notification) => {
    if (n.readAt) return;
    const read = await call(
      client.POST('/api/notifications/{notificationId}/read', { params: { path: { notificationId: n.id } } }),
    );
    setItems((before) => before.map((m) => (m.id === n.id ? read : m)));
    setUnread((count) => Math.max(0, count - 1));
  };
  const markAllRead = async () => {
    setError('');
    try {
      await call(client.POST('/api/notifications/read-all'));
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    // data-live: the stream has connected (a test waits for it before raising a notification).
    <div className="bell" data-live={live}>
      {/* Escape or a click elsewhere closes the panel; it opens at once (no fade), so it can be read at once. */}
      <Popover
        opened={open}
        onChange={setOpen}
        position="bottom-end"
        shadow="md"
        transitionProps={{ duration: 0 }}
        // Focus moves into the panel, where Escape closes it and gives focus back to the bell.
        trapFocus
        returnFocus
      >
        <Popover.Target>
          <button
            type="button"
            className="link"
            // The shown count is a word of the name, as screen-reader users hear it: "Notifications, 1 unread".
            aria-label={`${t('notifications')}, ${unread} ${t('unread')}`}
            onClick={() => {
              if (!open) void load();
              setOpen(!open);
            }}
          >
            <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" className="bell-icon">
              <path
                fill="currentColor"
                d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
              />
            </svg>
            {unread > 0 && (
              <span className="badge" data-testid="unread-count">
                {unread}
              </span>
            )}
          </button>
        </Popover.Target>
        {/* A dialog (Mantine's role) named by its heading, not by the bell's name with its count. */}
        <Popover.Dropdown className="bell-panel" aria-labelledby="notification-heading">
          <Group justify="space-between" wrap="nowrap" className="bell-head">
            <Text id="notification-heading" fw={700}>
              {t('notifications')}
            </Text>
            <Button variant="subtle" size="compact-sm" disabled={unread === 0} onClick={markAllRead}>
              {t('markAllRead')}
            </Button>
          </Group>
          <ErrorAlert message={error} />
          {items.length === 0 ? (
            <p>{t('noNotifications')}</p>
          ) : (
            <ul>
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-testid="notification">
                  <a
                    href={whereTo(n)}
                    onClick={() => {
                      setOpen(false);
                      void markRead(n).catch((err) => setError(messageOf(err)));
                    }}
                  >
                    {n.message}
                  </a>
                  <time dateTime={n.createdAt}>{new Date(n.createdAt).toLocaleString()}</time>
                </li>
              ))}
            </ul>
          )}
        </Popover.Dropdown>
      </Popover>
    </div>
  );
}
