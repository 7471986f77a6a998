import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, createContextInner } from '@event-monitor/api';
import { RateLimitedError } from '@event-monitor/auth';
import { isDatabaseUnavailable } from '@event-monitor/db';
import { authenticateRequest, getAuth } from '../../../../src/server/auth';
import { withBodyLimit } from '../../../../src/server/body-limit';
import { getChangeFeed } from '../../../../src/server/change-feed';
import { getDomain } from '../../../../src/server/domain';
import { logger } from '../../../../src/server/logger';
import { withTrpcMetrics } from '../../../../src/server/metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Who-is-calling failed before any procedure ran: say why, without internals. */
function contextError(error: unknown): TRPCError {
  if (error instanceof RateLimitedError)
    return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
  if (isDatabaseUnavailable(error)) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The database is not reachable right now' });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause: error });
}

function handler(request: Request): Promise<Response> {
  return withTrpcMetrics(request, async (req) => {
    const bounded = await withBodyLimit(req);
    return bounded instanceof Response ? bounded : handleTrpc(bounded);
  });
}

function handleTrpc(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    allowMethodOverride: false,
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

export { handler as GET, handler as POST };
