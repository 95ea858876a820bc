import { type SchemaOptions, type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The building blocks of the API contract: TypeBox, so that one declaration is the JSON Schema
 * ajv enforces, the schema the OpenAPI document publishes, and the TypeScript type the route
 * handler receives.
 */
export { type Static, type TSchema, Type };

/** Schemas published under `components/schemas`: the document names them instead of repeating. */
const componentNames = new WeakMap<object, string>();

const componentsByName = new Map<string, object>();

/** A schema the OpenAPI document lists once under `components/schemas/<name>` and refers to. */
export function component<T extends TSchema>(name: string, schema: T): T {
  // Two different shapes under one name would be published as one: refuse at start-up.
  if (componentsByName.has(name)) throw new Error(`Two schemas are named components/schemas/${name}`);
  componentsByName.set(name, schema);
  componentNames.set(schema, name);
  return schema;
}

export function componentNameOf(schema: object): string | undefined {
  return componentNames.get(schema);
}

/** A string from a fixed list, published as `enum` (TypeBox's unions would be `anyOf` of consts). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A UUID in its plain hyphenated form. ajv's `uuid` format also admits `urn:uuid:…`, which
 * PostgreSQL's uuid type refuses: the pattern keeps that from reaching the database.
 */
export const uuid = (options: SchemaOptions = {}) =>
  Type.String({
    format: 'uuid',
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    ...options,
  });
export const Uuid = uuid();
/** A sha256 digest as Assetflow writes it: 64 lower-case hex digits. */
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** A version number as a request names it: PostgreSQL integers, so at most nine digits. */
export const versionNumber = (description = 'A version: 1, 2, …') =>
  Type.Integer({ minimum: 1, maximum: 999_999_999, description });

/** A calendar day that exists, `YYYY-MM-DD` (ajv's `date` format refuses 2024-13-45). */
export const calendarDay = (description = 'YYYY-MM-DD') =>
  Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

/** Timestamps travel as ISO-8601 strings (JSON has no dates). */
export const Timestamp = Type.String({ format: 'date-time' });
/** A JSON object whose keys are the caller's (metadata, rule-set values). */
export const FreeObject = Type.Record(Type.String(), Type.Unknown());

/** The one error body every endpoint answers with. */
export const ErrorBody = component(
  'Error',
  Type.Object(
    {
      error: Type.Object(
        {
          code: Type.String({ description: 'Stable, machine-readable, e.g. ASSET_FROZEN' }),
          message: Type.String({ description: 'For people; may change between releases' }),
          details: FreeObject,
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
);
export type ErrorBody = Static<typeof ErrorBody>;

/** An object with exactly these properties: a field the contract does not name is a violation. */
export function Closed<T extends Parameters<typeof Type.Object>[0]>(
  properties: T,
  options: SchemaOptions = {},
) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** The JSON form of a rule set (`POST /api/rule-sets`, `…/validate`): the YAML as a string. */
export const RuleSetSourceJson = component(
  'RuleSetSourceJson',
  Closed({
    source: Type.String({
      description: 'The YAML; at most 64 Ki characters (422 RULE_SET_INVALID with problem TOO_LARGE)',
    }),
  }),
);

/** The content types a rule set's YAML text may be sent as (server/routes/rule-sets.routes.ts). */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'] as const;
