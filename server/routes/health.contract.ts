import { operation } from '../contract/operation';
import { Closed, component, ErrorBody, StringEnum, Type } from '../contract/schema';

const Status = StringEnum(['ok', 'degraded'], { description: '`ok` when every dependency answers' });

/** What anyone sees: each dependency up or down. */
const HealthSummary = Closed(
  {
    status: Status,
    dependencies: Closed({
      database: Closed({ status: StringEnum(['up', 'down']) }),
      temporal: Closed({ status: StringEnum(['up', 'down']) }),
    }),
  },
  { title: 'Anyone', description: 'Each dependency up or down' },
);

/** What an administrator sees: how fast each answered, or why it did not (names hosts and ports). */
const DependencyDetails = Type.Union([
  Closed({ status: Type.Literal('up'), latencyMs: Type.Integer({ minimum: 0 }) }),
  Closed({
    status: Type.Literal('down'),
    error: Type.String({ description: 'Why: internal hosts and ports' }),
  }),
]);
const HealthDetails = Closed(
  { status: Status, dependencies: Closed({ database: DependencyDetails, temporal: DependencyDetails }) },
  { title: 'Administrators', description: 'How fast each dependency answered, or why it did not' },
);

export const Health = component('Health', Type.Union([HealthSummary, HealthDetails]));

export const getHealth = operation({
  method: 'get',
  path: '/api/health',
  operationId: 'getHealth',
  tag: 'Health',
  summary: 'Whether the database and Temporal answer',
  description:
    'Anyone may ask (load balancers do, unsigned); only an administrator sees why a dependency is ' +
    'down and how fast each answered, since the error text names internal hosts and ports.',
  responses: {
    200: { description: 'Every dependency answers', json: Health },
    503: {
      description:
        'A dependency does not answer, named in the report; or the error body when the caller\u2019s ' +
        'credential cannot be checked without the database',
      json: Type.Union([Health, ErrorBody]),
    },
  },
  // Public, but the authentication before every route refuses an API token that is not valid.
  errors: { 401: 'NOT_SIGNED_IN: an API token (Authorization: Bearer) that is not valid' },
});

export const healthOperations = [getHealth];
