import type { Operation } from '../contract/operation';

export const lifecycleOperations: Operation[] = [];
