import type { TSchema } from '@sinclair/typebox';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describeAjvError } from '../../domain/describe-ajv-error';
import { AssetflowError, ErrorCodes } from '../../domain/errors';

// The first problem only: with `allErrors` ajv would still run `pattern` on a string that already
// failed `maxLength`, handing any regex the whole 1 MB body (security review H2).
const bodies = new Ajv2020({ allErrors: false });
// Path and query values arrive as strings: `?limit=20` is the integer 20, `?tag=a` a list of one.
const strings = new Ajv2020({ allErrors: false, coerceTypes: 'array', useDefaults: true });
// Responses are checked with every problem listed: it is a report for the developer, not input.
const responses = new Ajv2020({ allErrors: true });
for (const ajv of [bodies, strings, responses]) addFormats(ajv);

type Kind = 'body' | 'strings' | 'response';
const AJV: Record<Kind, Ajv2020> = { body: bodies, strings, response: responses };
const cache: Record<Kind, WeakMap<TSchema, ValidateFunction>> = {
  body: new WeakMap(),
  strings: new WeakMap(),
  response: new WeakMap(),
};

/** The compiled validator of a schema, compiled once per kind. */
export function validatorOf(kind: Kind, schema: TSchema): ValidateFunction {
  let validate = cache[kind].get(schema);
  if (!validate) {
    validate = AJV[kind].compile(schema);
    cache[kind].set(schema, validate);
  }
  return validate;
}

/**
 * A value checked against its schema (coerced when it came from the path or query string), or a
 * 400 naming the first problem. `where` says which part of the request: "body", "query", "path".
 */
export function checked<T>(kind: 'body' | 'strings', schema: TSchema, value: unknown, where: string): T {
  const validate = validatorOf(kind, schema);
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map(describeAjvError);
    throw new AssetflowError(
      ErrorCodes.VALIDATION_FAILED,
      `Invalid request ${where}: ${problems.join('; ')}`,
      400,
      { problems },
    );
  }
  return value as T;
}

/** Every way a response body departs from its schema; empty when it conforms. */
export function responseProblems(schema: TSchema, body: unknown): string[] {
  const validate = validatorOf('response', schema);
  return validate(body) ? [] : (validate.errors ?? []).map(describeAjvError);
}
