import type { Static, TObject, TSchema } from '@sinclair/typebox';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { UNSTORABLE_TEXT, unstorableTextAt } from '../../domain/unstorable-text';
import type { Operation, RequestBody } from './operation';
import { RuleSetSourceJson } from './schema';
import { checked } from './validation';

type StaticOr<T, Default> = T extends TSchema ? Static<T> : Default;
type BodyOf<B> = B extends { json: infer S }
  ? StaticOr<S, undefined>
  : B extends { form: infer S }
    ? StaticOr<S, undefined>
    : unknown;

/** What a handler receives: the request's path, query and JSON body, validated and typed. */
export interface Input<P, Q, B> {
  params: StaticOr<P, Record<string, never>>;
  query: StaticOr<Q, Record<string, never>>;
  /** The headers the operation declares, by the names it declares them with. */
  headers: Record<string, string | undefined>;
  body: BodyOf<B>;
}

type Handler<P, Q, B> = (input: Input<P, Q, B>, req: Request, res: Response) => unknown;

/** `/api/assets/{id}` → `/api/assets/:id` (Express's syntax). */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Mounts one operation on a router: its path, query, headers and body are validated against the
 * operation's schemas before the handler runs (400 VALIDATION_FAILED naming the first problem),
 * and the handler receives them typed. A JSON body is parsed only by an operation that takes one
 * (up to 1 MB): a body sent to any other is not read. `before` runs first: a body parser other
 * than JSON (YAML text, an HTML form, raw bytes), whose result is validated here as well.
 */
export function mount<
  P extends TObject | undefined,
  Q extends TObject | undefined,
  B extends RequestBody | undefined,
>(router: Router, op: Operation<P, Q, B>, handler: Handler<P, Q, B>, before: RequestHandler[] = []): void {
  const run: RequestHandler = async (req, res) => {
    const { params, query, headers } = op as Operation;
    const input = {
      params: params
        ? checked<unknown>('strings', params, digitsOnly(params, { ...req.params }, 'path'), 'path')
        : {},
      query: query
        ? checked<unknown>('strings', query, digitsOnly(query, { ...req.query }, 'query'), 'query')
        : {},
      headers: headers ? checked<unknown>('strings', headers, headersNamedIn(headers, req), 'headers') : {},
      body: bodyOf((op as Operation).body, req.body),
    };
    // Text PostgreSQL cannot store (NUL, lone surrogates): refused here, once, for every
    // operation. Raw bytes (an uploaded image) are not text and are not looked into.
    const unstorable = unstorableTextAt(input);
    if (unstorable !== undefined)
      throw new AssetflowError(
        ErrorCodes.VALIDATION_FAILED,
        `${unstorable} contains ${UNSTORABLE_TEXT}.`,
        400,
        {
          at: unstorable,
        },
      );
    await handler(input as Input<P, Q, B>, req, res);
  };
  const parsers = op.body && ('json' in op.body || 'yaml' in op.body) ? [jsonBody] : [];
  router[op.method](expressPath(op.path), ...parsers, ...before, run);
}

/**
 * Integers in a path or query are written as digits: ajv's coercion alone would also take `0x1`,
 * `1e0` or ` 1`, and one version would have several URLs.
 */
function digitsOnly(schema: TObject, raw: Record<string, unknown>, where: string): Record<string, unknown> {
  for (const [name, property] of Object.entries(schema.properties)) {
    if ((property as { type?: unknown }).type !== 'integer') continue;
    for (const value of [raw[name]].flat())
      if (typeof value === 'string' && !/^-?\d{1,16}$/.test(value))
        throw new AssetflowError(
          ErrorCodes.VALIDATION_FAILED,
          `Invalid request ${where}: ${name}: must be written as digits`,
          400,
          {
            problems: [`${name}: must be written as digits`],
          },
        );
  }
  return raw;
}

/** The body, checked against what the operation declares for its kind. */
function bodyOf(declared: RequestBody | undefined, value: unknown): unknown {
  if (!declared) return undefined;
  // No JSON body at all is an empty object: operations whose fields are all optional accept it.
  if ('json' in declared) return checked('body', declared.json, value ?? {}, 'body');
  if ('form' in declared) return checked('strings', declared.form, { ...(value as object) }, 'body');
  // A rule set: YAML text (its limits are the compiler's), or the JSON form `{source}`.
  if ('yaml' in declared && value && typeof value === 'object')
    return checked('body', RuleSetSourceJson, value, 'body');
  // Multipart is parsed and limited by its handler (server/multipart-upload.ts); raw bytes by
  // the `before` parser's size limit.
  return value;
}

/** The request headers a schema names (Node lower-cases header names). */
function headersNamedIn(schema: TObject, req: Request): Record<string, string> {
  const named: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = req.get(name);
    if (value !== undefined) named[name] = value;
  }
  return named;
}

const jsonBody = express.json({ limit: '1mb' });
