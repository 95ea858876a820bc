import type { Static, TObject, TSchema } from '@sinclair/typebox';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { AssetflowError, ErrorCodes } from '../../domain/errors';
import { UNSTORABLE_TEXT, unstorableTextAt } from '../../domain/unstorable-text';
import type { Operation, RequestBody } from './operation';
import { checked } from './validation';

type StaticOr<T, Default> = T extends TSchema ? Static<T> : Default;
type BodyOf<B> = B extends { json: infer S } ? StaticOr<S, undefined> : unknown;

/** What a handler receives: the request's path, query and JSON body, validated and typed. */
export interface Input<P, Q, B> {
  params: StaticOr<P, Record<string, never>>;
  query: StaticOr<Q, Record<string, never>>;
  body: BodyOf<B>;
}

type Handler<P, Q, B> = (input: Input<P, Q, B>, req: Request, res: Response) => unknown;

/** `/api/assets/{id}` → `/api/assets/:id` (Express's syntax). */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Mounts one operation on a router: its path, query and JSON body are validated against the
 * operation's schemas before the handler runs (400 VALIDATION_FAILED naming the first problem),
 * and the handler receives them typed. Only an operation that takes JSON parses it (up to 1 MB):
 * a body sent to any other is not read. `before` runs first: a body parser other than JSON.
 */
export function mount<
  P extends TObject | undefined,
  Q extends TObject | undefined,
  B extends RequestBody | undefined,
>(router: Router, op: Operation<P, Q, B>, handler: Handler<P, Q, B>, before: RequestHandler[] = []): void {
  const run: RequestHandler = async (req, res) => {
    const { params, query, body } = op as Operation;
    const input: unknown = {
      params: params ? checked<unknown>('strings', params, { ...req.params }, 'path') : {},
      query: query ? checked<unknown>('strings', query, { ...req.query }, 'query') : {},
      body: body && 'json' in body ? jsonBodyOf(body, req.body) : req.body,
    };
    // Text PostgreSQL cannot store (NUL, lone surrogates): refused here, once, for every operation.
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

const jsonBody = express.json({ limit: '1mb' });

function jsonBodyOf(body: { json: TSchema; required?: boolean }, value: unknown): unknown {
  // No body at all is an empty object: operations whose fields are all optional accept it.
  return checked('body', body.json, value ?? {}, 'body');
}
