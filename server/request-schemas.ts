import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describeAjvError } from '../domain/describe-ajv-error';
import { AssetflowError, ErrorCodes } from '../domain/errors';

/** JSON bodies the API accepts, compiled once at start-up by one ajv instance. */
const schemas = {
  login: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: {
      email: { type: 'string', minLength: 3, maxLength: 320 },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
    },
  },
  token: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
  },
  freeze: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
  },
  empty: { type: 'object', additionalProperties: false, properties: {} },
  legalHold: {
    type: 'object',
    additionalProperties: false,
    required: ['on'],
    properties: { on: { type: 'boolean' }, reason: { type: 'string', minLength: 1, maxLength: 500 } },
  },
  event: {
    type: 'object',
    additionalProperties: false,
    required: ['event'],
    properties: { event: { enum: ['delisting', 'end-of-production'] } },
  },
  metadata: {
    type: 'object',
    additionalProperties: false,
    required: ['set'],
    properties: { set: { type: 'object', minProperties: 1 } },
  },
  downloadRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['audience', 'rendition'],
    properties: {
      audience: { type: 'string', minLength: 1 },
      rendition: { type: 'string', minLength: 1 },
      external: { type: 'boolean' },
    },
  },
  migration: {
    type: 'object',
    additionalProperties: false,
    required: ['toVersion'],
    properties: {
      toVersion: { type: 'integer', minimum: 1 },
      assetIds: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 10000 },
      dryRun: { type: 'boolean' },
    },
  },
  decision: {
    type: 'object',
    additionalProperties: false,
    required: ['node', 'decision'],
    properties: {
      node: { type: 'string', minLength: 1 },
      decision: { enum: ['approve', 'reject'] },
      reason: { type: 'string', maxLength: 2000 },
    },
  },
} as const;

export type RequestSchema = keyof typeof schemas;

const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const validators = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]),
) as Record<RequestSchema, ValidateFunction>;

/** The body, checked against its schema; a 400 naming every problem otherwise. */
export function validBody<T>(schema: RequestSchema, body: unknown): T {
  const validate = validators[schema];
  const value = body ?? {};
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(describeAjvError);
    throw new AssetflowError(
      ErrorCodes.VALIDATION_FAILED,
      `Invalid request body: ${problems.join('; ')}`,
      400,
      { problems },
    );
  }
  return value as T;
}
