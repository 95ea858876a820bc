import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AssetflowError, ErrorCodes, isAssetflowError } from '../domain/errors';
import type { ErrorBody } from './contract/schema';
import { redactUrl } from './request-logging';

/** Error codes of database drivers that mean "the database is not reachable", not "bad query". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P03',
]);

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AssetflowError(ErrorCodes.ROUTE_NOT_FOUND, `No route for ${req.method} ${req.path}.`, 404));
};

/**
 * Maps any error to `{error: {code, message, details}}`. Expected errors keep their status;
 * an unreachable database becomes 503; anything else is logged and answered as a plain 500
 * without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = toAssetflowError(error);
    if (res.headersSent) {
      // A file that failed mid-stream (the store went away): the client sees a cut-off response.
      // A client that went away is not an error of ours.
      if ((error as { code?: string })?.code !== 'ERR_STREAM_PREMATURE_CLOSE')
        logger.error({ err: error, path: redactUrl(req.path) }, 'a response failed after it had started');
      res.destroy();
      return;
    }
    // The path without a share link's token (it is a credential): see request-logging.ts.
    if (known.status >= 500) logger.error({ err: error, path: redactUrl(req.path) }, known.message);
    const body: ErrorBody = { error: { code: known.code, message: known.message, details: known.details } };
    res.status(known.status).json(body);
  };
}

/** Any error as the AssetflowError the API answers with (a body parser's errors included). */
export function toAssetflowError(error: unknown): AssetflowError {
  if (isAssetflowError(error)) return error;
  const err = error as { type?: string; status?: number; code?: string; message?: string };
  // express.json() rejects a malformed body with a 400 SyntaxError carrying `type`.
  if (err?.type === 'entity.parse.failed') {
    return new AssetflowError(
      ErrorCodes.VALIDATION_FAILED,
      `The request body is not valid JSON: ${err.message}`,
      400,
    );
  }
  if (err?.type === 'entity.too.large') {
    return new AssetflowError(ErrorCodes.VALIDATION_FAILED, 'The request body is too large.', 413);
  }
  if (err?.code && UNREACHABLE_CODES.has(err.code)) {
    return new AssetflowError(ErrorCodes.SERVICE_UNAVAILABLE, 'The database is not reachable.', 503, {
      dependency: 'database',
    });
  }
  return new AssetflowError(ErrorCodes.INTERNAL, 'Internal error; it has been logged.', 500);
}
