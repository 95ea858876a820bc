import { accessOperations } from '../routes/access.contract';
import { analyticsOperations } from '../routes/analytics.contract';
import { approvalsOperations } from '../routes/approvals.contract';
import { assetsOperations } from '../routes/assets.contract';
import { authOperations } from '../routes/auth.contract';
import { batchOperations } from '../routes/batches.contract';
import { collaborationOperations } from '../routes/collaboration.contract';
import { collectionsOperations } from '../routes/collections.contract';
import { contentLookupOperations } from '../routes/content-lookup.contract';
import { correctionOperations } from '../routes/corrections.contract';
import { distributionOperations } from '../routes/distribution.contract';
import { docsOperations } from '../routes/docs.contract';
import { healthOperations } from '../routes/health.contract';
import { lifecycleOperations } from '../routes/lifecycle.contract';
import { notificationsOperations } from '../routes/notifications.contract';
import { ruleSetOperations } from '../routes/rule-sets.contract';
import { savedSearchesOperations } from '../routes/saved-searches.contract';
import { searchOperations } from '../routes/search.contract';
import { sharesOperations } from '../routes/shares.contract';
import { similarOperations } from '../routes/similar.contract';
import { traceOperations } from '../routes/trace.contract';
import { trashOperations } from '../routes/trash.contract';
import { usersOperations } from '../routes/users.contract';
import { operationKey } from './document';
import type { Operation } from './operation';

/** Every operation of the API, by area: what the OpenAPI document is generated from. */
export const allOperations: readonly Operation[] = [
  ...docsOperations,
  ...healthOperations,
  ...authOperations,
  ...usersOperations,
  ...accessOperations,
  ...assetsOperations,
  ...similarOperations,
  ...contentLookupOperations,
  ...lifecycleOperations,
  ...trashOperations,
  ...correctionOperations,
  ...batchOperations,
  ...approvalsOperations,
  ...collaborationOperations,
  ...searchOperations,
  ...savedSearchesOperations,
  ...collectionsOperations,
  ...distributionOperations,
  ...sharesOperations,
  ...traceOperations,
  ...analyticsOperations,
  ...notificationsOperations,
  ...ruleSetOperations,
];

export const operationsByKey: ReadonlyMap<string, Operation> = new Map(
  allOperations.map((op) => [operationKey(op), op]),
);
