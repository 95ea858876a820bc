import type { Operation } from '../contract/operation';

export const analyticsOperations: Operation[] = [];
