import { createRestHandler, type RestHandler } from '@event-monitor/rest-adapter';
import { authenticateRequest } from './auth';
import { getDomain } from './domain';
import { serverEnv } from './env';
import { logger } from './logger';
import { processMetrics } from './metrics';

let handler: RestHandler | undefined;

/** The REST door (/api/event-job/...), created once per process. */
export function restHandler(): RestHandler {
  handler ??= createRestHandler({
    getDomain,
    authenticate: authenticateRequest,
    filesRoot: serverEnv().EVENT_FILES_DIR,
    logger,
    onWorkerOutcome: (outcome) => processMetrics().countWorkerOutcome(outcome),
  });
  return handler;
}
