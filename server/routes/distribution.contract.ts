import type { Operation } from '../contract/operation';

export const distributionOperations: Operation[] = [];
