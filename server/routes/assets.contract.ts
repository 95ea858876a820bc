import type { Operation } from '../contract/operation';

export const assetsOperations: Operation[] = [];
