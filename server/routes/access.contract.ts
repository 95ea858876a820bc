import type { Operation } from '../contract/operation';

export const accessOperations: Operation[] = [];
