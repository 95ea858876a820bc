import type { NotificationKind } from '../../catalogue/notification.repository';
import { operation } from '../contract/operation';
import {
  Closed,
  component,
  FreeObject,
  Nullable,
  StringEnum,
  Timestamp,
  Type,
  Uuid,
} from '../contract/schema';

const Tag = 'Notifications';

const KINDS = [
  'mention',
  'approval.requested',
  'approval.decided',
  'asset.frozen',
  'asset.unfrozen',
  'asset.taken-down',
  'asset.restored',
  'asset.rights-expiring',
  'asset.rights-expired',
  'flow.notify',
  'share.expiring',
] as const satisfies readonly NotificationKind[];
// A kind added to NotificationKind without being listed here does not compile.
const everyKind: Record<Exclude<NotificationKind, (typeof KINDS)[number]>, never> = {};
void everyKind;

export const Notification = component(
  'Notification',
  Closed({
    id: Uuid,
    kind: StringEnum(KINDS),
    assetId: Nullable(Uuid),
    message: Type.String(),
    payload: FreeObject,
    createdAt: Timestamp,
    readAt: Nullable(Timestamp),
  }),
);

export const listNotifications = operation({
  method: 'get',
  path: '/api/notifications',
  operationId: 'listNotifications',
  tag: Tag,
  summary: 'The caller\u2019s notifications, newest first (100), with the unread count',
  query: Type.Object({ unread: Type.Optional(Type.Boolean({ description: 'Only unread ones' })) }),
  responses: {
    200: {
      description: 'The notifications',
      json: Closed({ unread: Type.Integer({ minimum: 0 }), notifications: Type.Array(Notification) }),
    },
  },
});

export const markAllNotificationsRead = operation({
  method: 'post',
  path: '/api/notifications/read-all',
  operationId: 'markAllNotificationsRead',
  tag: Tag,
  summary: 'Mark all the caller\u2019s notifications read',
  responses: {
    200: {
      description: 'How many were unread',
      json: Closed({ marked: Type.Integer({ minimum: 0 }) }),
    },
  },
});

export const markNotificationRead = operation({
  method: 'post',
  path: '/api/notifications/{notificationId}/read',
  operationId: 'markNotificationRead',
  tag: Tag,
  summary: 'Mark one of the caller\u2019s notifications read',
  // Any string: what is not one of the caller's notification ids is a 404, as an unknown id is.
  params: Closed({ notificationId: Type.String({ description: 'A notification id (a UUID)' }) }),
  responses: { 200: { description: 'The notification, read', json: Notification } },
  errors: { 404: 'NOTIFICATION_NOT_FOUND' },
});

export const streamNotifications = operation({
  method: 'get',
  path: '/api/notifications/stream',
  operationId: 'streamNotifications',
  tag: Tag,
  summary: 'Server-Sent Events: the caller\u2019s notifications as they are raised',
  description:
    '`event: hello` with `{unread}` first, then one `event: notification` (a Notification) per new ' +
    'notification, as it is raised on any server; a comment every heartbeat. At most 5 streams per ' +
    'user (1000 in all); a stream ends when its session or token does (checked on each heartbeat and ' +
    'at sign-out or disablement).',
  responses: {
    200: {
      description: 'text/event-stream',
      eventStream: Closed({
        event: StringEnum(['hello', 'notification']),
        data: Type.String({
          contentMediaType: 'application/json',
          description: '`hello`: `{"unread": <count>}`; `notification`: a Notification',
        }),
      }),
    },
  },
  errors: { 429: 'TOO_MANY_STREAMS' },
});

export const notificationsOperations = [
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  streamNotifications,
];
