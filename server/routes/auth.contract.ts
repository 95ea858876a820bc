import type { Operation } from '../contract/operation';

export const authOperations: Operation[] = [];
