import type { Operation } from '../contract/operation';

export const notificationsOperations: Operation[] = [];
