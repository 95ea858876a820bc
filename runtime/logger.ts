import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/config.schema';

/**
 * Secrets never reach the log: request lines carry no headers (server/request-logging.ts), and
 * an object logged with one of these keys, at its top level or one level down, has it censored
 * (pino's paths go no deeper; nothing logs secrets deeper than that).
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.passwordHash',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

export function createLogger(config: AppConfig): Logger {
  return pino({ level: config.log.level, base: { service: 'assetflow' }, redact: REDACTED_PATHS });
}
