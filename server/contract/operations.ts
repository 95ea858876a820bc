import { ruleSetOperations } from '../routes/rule-sets.contract';
import { operationKey } from './document';
import type { Operation } from './operation';

/** Every operation of the API, by area: what the OpenAPI document is generated from. */
export const allOperations: readonly Operation[] = [...ruleSetOperations];

export const operationsByKey: ReadonlyMap<string, Operation> = new Map(
  allOperations.map((op) => [operationKey(op), op]),
);
