import type { Operation } from '../contract/operation';

export const healthOperations: Operation[] = [];
