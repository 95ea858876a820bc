import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describeAjvError } from '../domain/describe-ajv-error';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import { GRANT_PRINCIPAL_PATTERN, PROJECT_ID_PATTERN } from '../policy/access';

/** A position as a fraction of the image's width or height. */
const UNIT = { type: 'number', minimum: 0, maximum: 1 } as const;

const GRANTS = {
  type: 'array',
  maxItems: 200,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['principal', 'level'],
    properties: {
      principal: { type: 'string', pattern: GRANT_PRINCIPAL_PATTERN },
      level: { enum: ['view', 'edit', 'manage'] },
    },
  },
} as const;

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
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      expiresInDays: { type: 'number', exclusiveMinimum: 0, maximum: 3650 },
    },
  },
  passwordChange: {
    type: 'object',
    additionalProperties: false,
    required: ['currentPassword', 'newPassword'],
    properties: {
      currentPassword: { type: 'string', minLength: 1, maxLength: 1024 },
      newPassword: { type: 'string', minLength: 1, maxLength: 1024 },
    },
  },
  rolesAndTeams: {
    type: 'object',
    additionalProperties: false,
    required: ['roles', 'teams'],
    properties: {
      roles: { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^[\\w.-]{1,64}$' } },
      teams: { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^[\\w.-]{1,64}$' } },
    },
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
    properties: {
      event: { enum: ['delisting', 'end-of-production', 'relisting', 'production-resumed'] },
    },
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
  share: {
    type: 'object',
    additionalProperties: false,
    required: ['permission', 'rendition'],
    properties: {
      assetIds: {
        type: 'array',
        minItems: 1,
        maxItems: 500,
        items: { type: 'string', format: 'uuid' },
      },
      project: { type: 'string', pattern: PROJECT_ID_PATTERN },
      permission: { enum: ['view', 'download'] },
      rendition: { type: 'string', minLength: 1, maxLength: 100 },
      audience: { type: 'string', minLength: 1, maxLength: 100 },
      password: { type: 'string', minLength: 8, maxLength: 1024 },
      expiresInDays: { type: 'number', exclusiveMinimum: 0, maximum: 3650 },
      expiresAt: { type: 'string', format: 'date-time' },
      allowedEmails: {
        type: 'array',
        maxItems: 200,
        // Dot-separated parts that cannot overlap: matched in linear time (no backtracking blow-up).
        items: {
          type: 'string',
          maxLength: 320,
          pattern: '^([^@\\s.]+(\\.[^@\\s.]+)*@|@)[^@\\s.]+(\\.[^@\\s.]+)+$',
        },
      },
      maxDownloads: { type: 'integer', minimum: 1, maximum: 1000000 },
    },
    oneOf: [{ required: ['assetIds'] }, { required: ['project'] }],
    not: { required: ['expiresInDays', 'expiresAt'] },
  },
  project: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name'],
    properties: {
      id: { type: 'string', pattern: PROJECT_ID_PATTERN },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      grants: GRANTS,
    },
  },
  grants: {
    type: 'object',
    additionalProperties: false,
    required: ['grants'],
    properties: { grants: GRANTS },
  },
  user: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'name', 'password'],
    properties: {
      email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320 },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      password: { type: 'string', minLength: 12, maxLength: 1024 },
      roles: { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^[\\w.-]{1,64}$' } },
      teams: { type: 'array', maxItems: 50, items: { type: 'string', pattern: '^[\\w.-]{1,64}$' } },
    },
  },
  export: {
    type: 'object',
    additionalProperties: false,
    required: ['assetIds', 'channel'],
    properties: {
      assetIds: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'string', format: 'uuid' } },
      channel: { type: 'string', minLength: 1, maxLength: 100 },
    },
  },
  restore: {
    type: 'object',
    additionalProperties: false,
    properties: { note: { type: 'string', minLength: 1, maxLength: 2000 } },
  },
  comment: {
    type: 'object',
    additionalProperties: false,
    required: ['body'],
    properties: {
      body: { type: 'string', minLength: 1, maxLength: 10000 },
      version: { type: 'integer', minimum: 1 },
      parentId: { type: 'string', format: 'uuid' },
      region: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'x', 'y'],
            properties: { kind: { const: 'point' }, x: UNIT, y: UNIT },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'x', 'y', 'width', 'height'],
            properties: {
              kind: { const: 'rect' },
              x: UNIT,
              y: UNIT,
              width: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
              height: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
            },
          },
        ],
      },
    },
  },
} as const;

export type RequestSchema = keyof typeof schemas;

// The first problem only: with `allErrors` ajv would still run `pattern` on a string that already
// failed `maxLength`, handing any regex the whole 1 MB body (security review H2).
const ajv = new Ajv2020({ allErrors: false });
addFormats(ajv);
const validators = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, ajv.compile(schema)]),
) as Record<RequestSchema, ValidateFunction>;

/** The body, checked against its schema; a 400 naming the first problem otherwise. */
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
