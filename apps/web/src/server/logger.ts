import pino from 'pino';
import { serverEnv } from './env';

/** One structured logger for the server side of the app. */
export const logger = pino({
  name: 'event-monitor',
  level: serverEnv().LOG_LEVEL,
  redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
});
