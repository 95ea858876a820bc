import type { TObject, TSchema } from '@sinclair/typebox';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * A successful answer: a JSON body, a file, an HTML page, an event stream, or nothing (204). A JSON
 * answer may also be served as files of the types in `file` when asked (`?format=csv`).
 */
export type Success =
  | { description: string; json: TSchema; file?: readonly string[] }
  | { description: string; file: readonly string[] }
  | { description: string; html: true }
  /** Server-Sent Events; the schema is that of each event (`{event, data}`, data as text). */
  | { description: string; eventStream: TSchema }
  | { description: string; redirect: true }
  | { description: string; empty: true };

/** What the request carries besides its path and query. */
export type RequestBody =
  | { json: TSchema; required?: boolean }
  /** A rule set: the YAML as text, or JSON `{source}`. */
  | { yaml: true }
  /** The bytes of one file as the whole body (a leaked image to trace), of these types. */
  | { raw: readonly string[] }
  /** Files and form fields; the parser (server/multipart-upload.ts) enforces the limits. */
  | { multipart: TSchema }
  /** An HTML form (share-link pages). */
  | { form: TSchema };

/**
 * One endpoint, declared once: the server validates requests against it (server/contract/route.ts),
 * tests check every response against it, and the OpenAPI document is generated from it
 * (server/contract/document.ts). Errors are `{error: {code, message, details}}`; `errors` lists
 * each status this operation can answer besides those every operation of its kind can
 * (see `commonErrors` in document.ts).
 */
export interface Operation<
  P extends TObject | undefined = TObject | undefined,
  Q extends TObject | undefined = TObject | undefined,
  B extends RequestBody | undefined = RequestBody | undefined,
> {
  method: HttpMethod;
  /** OpenAPI style: `/api/assets/{id}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Extra request headers the operation reads. */
  headers?: TObject;
  /**
   * Success statuses (200, 201, 204, 303…) and what each carries; a 503 listed here answers with
   * its own JSON body (a health report) instead of the error body.
   */
  responses: Partial<Record<200 | 201 | 202 | 204 | 303 | 503, Success>>;
  /** Answers its own refusals as HTML pages (the public share-link pages) besides JSON errors. */
  htmlErrors?: boolean;
  /** Error statuses particular to this operation, each with the codes it may carry. */
  errors?: Partial<Record<400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 503, string>>;
}

/** Declares an operation, keeping the exact schema types for the handler's input. */
export function operation<
  P extends TObject | undefined = undefined,
  Q extends TObject | undefined = undefined,
  B extends RequestBody | undefined = undefined,
>(op: Operation<P, Q, B>): Operation<P, Q, B> {
  return op;
}
