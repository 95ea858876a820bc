import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type Options, pinoHttp } from 'pino-http';

/**
 * What a request log line says: method, path, status and time — never a header. Cookies, the
 * `Authorization` header and `Set-Cookie` carry sessions and API tokens; share links carry their
 * token in the path (`/s/<token>/…`), so that segment is replaced before the URL is written.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^\/s\/[^/?#]+/i, '/s/[token]')
    .replace(/([?&](?:token|password)=)[^&#]*/gi, '$1[redacted]');
}

const serializers: Options['serializers'] = {
  req: (req: IncomingMessage & { id?: unknown }) => ({
    id: req.id,
    method: req.method,
    url: redactUrl(req.url ?? ''),
  }),
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
};

export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    serializers,
    autoLogging: { ignore: (req) => req.url === '/api/health' },
  });
}
