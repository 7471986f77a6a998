import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, createContextInner } from '@event-monitor/api';
import { CrossSiteRequestError, RateLimitedError } from '@event-monitor/auth';
import { TRPC_MAX_BATCH_SIZE } from '@event-monitor/contracts';
import { isDatabaseUnavailable } from '@event-monitor/db';
import { authenticateRequest, getAuth } from './auth';
import { withBodyLimit } from './body-limit';
import { getChangeFeed } from './change-feed';
import { getDomain } from './domain';
import { logger } from './logger';
import { withRestMetrics, withTrpcMetrics } from './metrics';
import { restHandler } from './rest';

/**
 * The two API doors as plain `Request -> Response` functions. Next.js routes them
 * (app/api/event-job, app/api/trpc) in development; in production server.mjs calls them directly
 * (see direct-api.ts), so both ways run exactly this code.
 */

/** Everything under /api/event-job: the framework-agnostic REST adapter. */
export function handleRestRequest(request: Request): Promise<Response> {
  return withRestMetrics(request, restHandler());
}

/** Who-is-calling failed before any procedure ran: say why, without internals. */
function contextError(error: unknown): TRPCError {
  if (error instanceof RateLimitedError)
    return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
  if (error instanceof CrossSiteRequestError) return new TRPCError({ code: 'FORBIDDEN', message: error.message });
  if (isDatabaseUnavailable(error)) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is not reachable right now' });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause: error });
}

/** Everything under /api/trpc. */
export function handleTrpcRequest(request: Request): Promise<Response> {
  return withTrpcMetrics(request, async (req) => {
    const bounded = await withBodyLimit(req);
    return bounded instanceof Response ? bounded : trpc(bounded);
  });
}

function trpc(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    allowMethodOverride: false,
    // One request, one bounded amount of work: 300 mutations in one POST ran before this cap.
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: async () => {
      try {
        return createContextInner({
          getDomain,
          getAuth,
          getChangeFeed,
          principal: await authenticateRequest(request),
        });
      } catch (error) {
        throw contextError(error);
      }
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error({ err: error.cause ?? error, path }, 'tRPC error');
    },
  });
}
