import type { Operation } from '../contract/operation';

export const searchOperations: Operation[] = [];
