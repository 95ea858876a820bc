import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/config.schema';

export function createLogger(config: AppConfig): Logger {
  return pino({ level: config.log.level, base: { service: 'assetflow' } });
}
