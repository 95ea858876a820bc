import { BULK_CHANGE_MAX_BYTES, BULK_EDIT_MAX, BULK_OPERATIONS_MAX } from '../../domain/bulk-change';
import { MAX_TAG_EDITS, MAX_TAG_LENGTH } from '../../lifecycle/transition-table';
import { operation } from '../contract/operation';
import { Closed, component, Type, Uuid } from '../contract/schema';
import { Filters } from './saved-searches.contract';
import { AssetOutcome } from './trash.contract';

const Tag = 'Bulk edits';
const Tags = Type.Optional(
  Type.Array(Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH }), {
    maxItems: MAX_TAG_EDITS,
    uniqueItems: true,
  }),
);
const Reason = Type.String({ minLength: 1, maxLength: 500 });

/** domain/bulk-change.ts `BulkChange`: each kind the update a single request would send. */
const BulkChange = component(
  'BulkChange',
  Type.Union([
    Closed({
      kind: Type.Literal('metadata'),
      set: Type.Record(Type.String(), Type.Unknown(), { minProperties: 1 }),
    }),
    Closed({ kind: Type.Literal('tags'), add: Tags, remove: Tags }),
    Closed({
      kind: Type.Literal('dimensions'),
      set: Type.Record(Type.String(), Type.Array(Type.String(), { uniqueItems: true }), { minProperties: 1 }),
    }),
    Closed({ kind: Type.Literal('freeze'), reason: Reason }),
    Closed({ kind: Type.Literal('unfreeze') }),
    Closed({ kind: Type.Literal('archive') }),
    Closed({
      kind: Type.Literal('trash'),
      reason: Type.Optional(Reason),
      keepFor: Type.Optional(
        Type.String({ description: 'Set by the server from `trash.keepDays`; any value sent is replaced' }),
      ),
    }),
  ]),
);

const BulkProgress = component(
  'BulkProgress',
  Closed({
    batchId: Uuid,
    by: Type.String(),
    operations: Type.Array(BulkChange, { description: 'Applied to each asset in this order' }),
    total: Type.Integer({ minimum: 0 }),
    done: Type.Integer({ minimum: 0 }),
    succeeded: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0 }),
    finished: Type.Boolean(),
    results: Type.Array(AssetOutcome, { description: 'Per asset done so far, in the order they finished' }),
  }),
);

export const startBulkEdit = operation({
  method: 'post',
  path: '/api/bulk',
  operationId: 'startBulkEdit',
  tag: Tag,
  summary: `Operations on many assets (at most ${BULK_EDIT_MAX}), run as a durable batch`,
  description: `Set metadata fields, add or remove tags, set dimensions, freeze or unfreeze, archive, or delete (into the trash): up to ${BULK_OPERATIONS_MAX} operations, applied to each asset in order (an asset's first refusal ends its turn and is its result). The assets are listed (\`assetIds\`) or found by a search (\`query\`, as \`GET /api/search\` reads it, among the assets the caller can see, when the batch starts). Each asset needs edit access (refused ones are in the results from the start) and is changed by its own workflow, which refuses or records the change as for a single request. The batch is a Temporal workflow: it survives restarts of the server and the worker and goes on where it was. Follow it with \`GET /api/bulk/{batchId}\`.`,
  body: {
    json: Closed(
      {
        assetIds: Type.Optional(
          Type.Array(Uuid, { minItems: 1, maxItems: BULK_EDIT_MAX, uniqueItems: true }),
        ),
        query: Type.Optional(
          Closed({
            q: Type.String({ maxLength: 500, description: 'The words, as typed (at most 500 characters)' }),
            filters: Type.Optional(Filters),
          }),
        ),
        operations: Type.Array(BulkChange, { minItems: 1, maxItems: BULK_OPERATIONS_MAX }),
      },
      {
        description: 'Either `assetIds` or `query`.',
        oneOf: [{ required: ['assetIds'] }, { required: ['query'] }],
      },
    ),
    required: true,
  },
  responses: { 202: { description: 'Started: the batch and its progress so far', json: BulkProgress } },
  errors: {
    400: `VALIDATION_FAILED: not 1–${BULK_EDIT_MAX} distinct asset ids, a search that finds none or more than ${BULK_EDIT_MAX}, not 1–${BULK_OPERATIONS_MAX} operations, an unknown operation, or operations over ${BULK_CHANGE_MAX_BYTES} bytes as JSON together; METADATA_INVALID: a value over the metadata size limits`,
  },
});

export const getBulkEdit = operation({
  method: 'get',
  path: '/api/bulk/{batchId}',
  operationId: 'getBulkEdit',
  tag: Tag,
  summary: 'A bulk edit’s progress and each asset’s outcome (its starter’s only)',
  params: Closed({ batchId: Uuid }),
  responses: { 200: { description: 'Progress; `finished` once every asset is done', json: BulkProgress } },
  errors: { 404: 'BATCH_NOT_FOUND (also for a batch someone else started)' },
});

export const batchOperations = [startBulkEdit, getBulkEdit];
