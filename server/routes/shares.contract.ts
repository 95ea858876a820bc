import type { Operation } from '../contract/operation';

export const sharesOperations: Operation[] = [];
