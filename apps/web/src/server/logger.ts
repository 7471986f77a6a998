import pino, { type Logger } from 'pino';
import type { ServerEnv } from './env';

export type { Logger } from 'pino';

/** One structured logger for the server side of the app. */
export function createLogger(env: Pick<ServerEnv, 'LOG_LEVEL'>): Logger {
  return pino({
    name: 'event-monitor',
    level: env.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
  });
}
