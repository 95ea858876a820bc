import type { Operation } from '../contract/operation';

export const traceOperations: Operation[] = [];
