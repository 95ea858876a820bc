import type { Operation } from '../contract/operation';

export const usersOperations: Operation[] = [];
