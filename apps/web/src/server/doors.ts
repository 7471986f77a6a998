import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter, createContextInner } from '@event-monitor/api';
import { CrossSiteRequestError, handleAuthRequest, RateLimitedError } from '@event-monitor/auth';
import { TRPC_MAX_BATCH_SIZE } from '@event-monitor/contracts';
import {
  DATABASE_UNAVAILABLE,
  DATABASE_UNAVAILABLE_HEADERS,
  databaseUnavailableResponse,
  isDatabaseUnavailable,
} from '@event-monitor/db';
import { createRestHandler, type RestHandler } from '@event-monitor/rest-adapter';
import { withBodyLimit } from './body-limit';
import { appProcedures, metricsAccess, trpcProceduresOf } from './metrics';
import { APP_VERSION } from './version';
import type { EventMonitorAuth, Principal } from '@event-monitor/auth';
import type { ChangeFeed, DomainDeps } from '@event-monitor/domain';
import type { Database } from './database';
import type { ServerEnv } from './env';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/**
 * The HTTP doors the host answers itself, before Next.js (which renders the pages): everything
 * under /api. One door per path prefix, matched once per request from the URL parsed once.
 */
export type Door = 'rest' | 'trpc' | 'auth' | 'health' | 'metrics';

const REST = '/api/event-job';

/** The door a path belongs to, or undefined for Next.js (pages, static files). */
export function doorOf(pathname: string): Door | undefined {
  if (!pathname.startsWith('/api/')) return pathname === REST ? 'rest' : undefined;
  if (pathname.startsWith(`${REST}/`)) return 'rest';
  if (pathname.startsWith('/api/trpc/')) return 'trpc';
  if (pathname.startsWith('/api/auth/')) return 'auth';
  if (pathname === '/api/health') return 'health';
  if (pathname === '/api/metrics') return 'metrics';
  return undefined;
}

export type DoorHandler = (request: Request, url: URL) => Promise<Response>;

/** What the doors need of the host (declared here: host.ts builds the doors, so it cannot be imported). */
interface DoorParts {
  env: ServerEnv;
  logger: Logger;
  database: Database;
  auth(): Promise<EventMonitorAuth>;
  authenticate(request: Request): Promise<Principal | null>;
  domain(): Promise<DomainDeps>;
  changeFeed(): ChangeFeed;
  metrics: Metrics;
  /** True once SIGTERM arrived: health answers 503 so balancers take this process out. */
  isDraining(): boolean;
}

function methodNotAllowed(method: string, allow: string): Response {
  return Response.json(
    { status: 'error', code: 'METHOD_NOT_ALLOWED', message: `Method ${method} not allowed here; use ${allow}` },
    { status: 405, headers: { allow, 'cache-control': 'no-store' } },
  );
}

/** The five doors over one host's parts. */
export function createDoors(parts: DoorParts): Record<Door, DoorHandler> {
  const { env, logger, metrics } = parts;

  const rest: RestHandler = createRestHandler({
    getDomain: parts.domain,
    authenticate: parts.authenticate,
    filesRoot: env.EVENT_FILES_DIR,
    logger,
    onWorkerOutcome: (outcome) => metrics.countWorkerOutcome(outcome),
    onAnswer: ({ route, ...sample }) => metrics.observeRequest({ door: 'rest', route: route ?? 'unmatched', ...sample }),
  });

  /** Who-is-calling failed before any procedure ran: say why, without internals. */
  function contextError(error: unknown): TRPCError {
    if (error instanceof RateLimitedError) return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
    if (error instanceof CrossSiteRequestError) return new TRPCError({ code: 'FORBIDDEN', message: error.message });
    if (isDatabaseUnavailable(error)) {
      return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE.message, cause: error });
    }
    return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', cause: error });
  }

  async function trpc(request: Request, url: URL): Promise<Response> {
    const started = performance.now();
    const bounded = await withBodyLimit(request, url.pathname);
    const response =
      bounded instanceof Response
        ? bounded
        : await fetchRequestHandler({
            endpoint: '/api/trpc',
            req: bounded,
            router: appRouter,
            // A query whose input does not fit a URL comes as a POST (the links' isLongQueryInput);
            // as a POST it passes the same origin check as every unsafe request.
            allowMethodOverride: true,
            // One request, one bounded amount of work: 300 mutations in one POST ran before this cap.
            maxBatchSize: TRPC_MAX_BATCH_SIZE,
            createContext: async () => {
              try {
                return createContextInner({
                  getDomain: parts.domain,
                  getAuth: parts.auth,
                  getChangeFeed: parts.changeFeed,
                  principal: await parts.authenticate(bounded),
                  // A live stream asks again at every heartbeat: it ends once the caller is gone.
                  revalidate: () => parts.authenticate(bounded),
                });
              } catch (error) {
                throw contextError(error);
              }
            },
            // The outage answer's Retry-After; tRPC's own envelope carries its status and message.
            responseMeta: ({ errors }) =>
              errors.some((error) => error.code === 'SERVICE_UNAVAILABLE')
                ? { headers: { 'retry-after': DATABASE_UNAVAILABLE_HEADERS['retry-after'] as string } }
                : {},
            onError: ({ error, path }) => {
              if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error.cause ?? error, path }, 'tRPC error');
            },
          });
    // A subscription is timed until its stream opens; a batch once per procedure it carried.
    const durationMs = performance.now() - started;
    for (const route of trpcProceduresOf(url.pathname, appProcedures())) {
      metrics.observeRequest({ door: 'trpc', route, method: request.method, status: response.status, durationMs });
    }
    return response;
  }

  /** Only the better-auth routes the app uses are served (SERVED_AUTH_ENDPOINTS); the rest is 404. */
  async function auth(request: Request): Promise<Response> {
    let response: Response;
    try {
      response = await handleAuthRequest(await parts.auth(), request);
    } catch (error) {
      if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
      throw error;
    }
    // better-auth answers an error of its own (a query on a closed socket) with an empty 500: while
    // the database does not answer a ping, that is the outage, and gets the outage's answer.
    if (response.status >= 500 && !(await parts.database.isUp(1_000))) return databaseUnavailableResponse();
    return response;
  }

  /** Liveness and database readiness, for load balancers, the start script and people. */
  async function health(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(request.method, 'GET');
    if (parts.isDraining()) {
      return Response.json(
        { status: 'draining', version: APP_VERSION },
        { status: 503, headers: { 'cache-control': 'no-store' } },
      );
    }
    if (!(await parts.database.isUp())) return databaseUnavailableResponse({ db: 'down', version: APP_VERSION });
    return Response.json({ status: 'ok', db: 'up', version: APP_VERSION }, { headers: { 'cache-control': 'no-store' } });
  }

  /** Prometheus scrape endpoint: METRICS_TOKEN as a Bearer token, or an admin's read token. */
  async function scrape(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(request.method, 'GET');
    let access;
    try {
      access = await metricsAccess(request, { metricsToken: env.METRICS_TOKEN, authenticate: parts.authenticate });
    } catch (error) {
      if (error instanceof RateLimitedError) return Response.json({ error: error.message }, { status: 429 });
      // Checking an API token needs the database.
      if (isDatabaseUnavailable(error)) return databaseUnavailableResponse();
      throw error;
    }
    if (access === 'unauthenticated') {
      return Response.json(
        { error: 'Send Authorization: Bearer <token>' },
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    if (access === 'forbidden') return Response.json({ error: 'Admins only' }, { status: 403 });
    return new Response(await metrics.registry.metrics(), {
      headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
    });
  }

  return { rest, trpc, auth, health, metrics: scrape };
}

/**
 * The outage answer for a page: the same status, Retry-After and message as at the API doors; a
 * browser gets them as a small HTML page (no script, no style: the static CSP holds), anything
 * else the JSON body.
 */
export function databaseUnavailablePage(accept: string | null | undefined): Response {
  if (!/\btext\/html\b/.test(accept ?? '')) return databaseUnavailableResponse();
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Event Monitor: database unavailable</title></head><body><h1>Event Monitor</h1><p>${DATABASE_UNAVAILABLE.message}.</p><p><a href="/status">System status</a></p></body></html>`;
  return new Response(html, {
    status: DATABASE_UNAVAILABLE.httpStatus,
    headers: { ...DATABASE_UNAVAILABLE_HEADERS, 'content-type': 'text/html; charset=utf-8' },
  });
}
