import type { Operation } from '../contract/operation';

export const collaborationOperations: Operation[] = [];
