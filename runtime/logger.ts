import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/config.schema';

/**
 * Secrets never reach the log: request lines carry no headers (server/request-logging.ts), and
 * any object logged with one of these keys has it censored, wherever it is logged from.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function createLogger(config: AppConfig): Logger {
  return pino({ level: config.log.level, base: { service: 'assetflow' }, redact: REDACTED_PATHS });
}
