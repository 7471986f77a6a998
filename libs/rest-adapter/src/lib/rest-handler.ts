import type { Principal } from '@event-monitor/auth';
import { traced, type DomainDeps } from '@event-monitor/domain';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from './body';
import { HttpError, HttpErrorCode, successResponse, toErrorResponse, type Logger } from './http-errors';
import {
  API_PREFIX,
  compileRoute,
  matchRoute,
  type CompiledRoute,
  type RouteContext,
  type RouteDef,
  type WorkerOutcome,
} from './route';
import { ROUTES } from './routes';

export interface RestAdapterOptions {
  /** The domain's dependencies; may throw an error named 'DatabaseUnavailableError' (-> 503). */
  getDomain: () => Promise<DomainDeps>;
  /** Who is calling (session cookie, Bearer token, x-api-key), or null. */
  authenticate: (request: Request) => Promise<Principal | null>;
  /** EVENT_FILES_DIR; undefined turns the files route off (404 with a clear message). */
  filesRoot: string | undefined;
  /** Largest accepted JSON body; default 16 MiB. */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Told what each worker call did (claims, completions, failures), e.g. for metrics. */
  onWorkerOutcome?: (outcome: WorkerOutcome) => void;
  /** Return false to answer 429; called once per request after authentication. */
  rateLimit?: (principal: Principal | null, request: Request) => boolean;
  /**
   * Told about every answer with the documented pattern of the route it matched (null: none),
   * e.g. for metrics labels that never carry raw ids, without matching the table a second time.
   */
  onAnswer?: (answer: { route: string | null; method: string; status: number; durationMs: number }) => void;
}

/** `url`: the request's URL when the caller has parsed it already (parsed here otherwise). */
export type RestHandler = (request: Request, url?: URL) => Promise<Response>;

/** The HTTP scope a principal needs, checked without loading the auth lib (types only). */
function hasScope(principal: Principal, scope: string): boolean {
  return (principal.scopes as readonly string[]).includes(scope);
}

function rawSegments(pathname: string): string[] | null {
  if (pathname !== API_PREFIX && !pathname.startsWith(`${API_PREFIX}/`)) return null;
  const rest = pathname.slice(API_PREFIX.length + 1).replace(/\/+$/, '');
  return rest === '' ? [] : rest.split('/');
}

let compiledRoutes: CompiledRoute[] | undefined;

/**
 * The documented pattern (`/api/event-job/batches/{batchId}`) of the route a request would be
 * handled by, or null: for metrics labels that never carry raw ids. Same table, same matcher.
 */
export function routePatternOf(method: string, pathname: string): string | null {
  const segments = rawSegments(pathname);
  if (!segments) return null;
  compiledRoutes ??= ROUTES.map(compileRoute);
  try {
    return `${API_PREFIX}/${find(compiledRoutes, method.toUpperCase(), segments).def.path}`;
  } catch {
    return null;
  }
}

function queryObject(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return query;
}

function find(
  routes: CompiledRoute[],
  method: string,
  segments: string[],
): { def: RouteDef; params: Record<string, string> } {
  const allowed = new Set<string>();
  for (const route of routes) {
    const params = matchRoute(route, segments);
    if (!params) continue;
    if (route.def.method === method || (method === 'HEAD' && route.def.method === 'GET'))
      return { def: route.def, params };
    allowed.add(route.def.method);
  }
  if (allowed.size === 0) throw new HttpError(404, HttpErrorCode.ROUTE_NOT_FOUND, 'No such route');
  const allow = [...allowed].sort().join(', ');
  throw new HttpError(
    405,
    HttpErrorCode.METHOD_NOT_ALLOWED,
    `Method ${method} not allowed here; use ${allow}`,
    {
      headers: { allow },
    },
  );
}

/**
 * A framework-agnostic handler for everything under /api/event-job: Web Request in, Response out.
 * Per request: route (404/405) -> authenticate -> rate limit (429) -> 401 -> scope (403) ->
 * body (415/413/400) -> domain (503) -> one domain call; errors are mapped in one place.
 */
export function createRestHandler(options: RestAdapterOptions): RestHandler {
  const routes = ROUTES.map(compileRoute);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const handle = async (request: Request, url: URL, matched: { route: string | null }): Promise<Response> => {
    try {
      const segments = rawSegments(url.pathname);
      if (!segments) throw new HttpError(404, HttpErrorCode.ROUTE_NOT_FOUND, 'No such route');
      const { def, params } = find(routes, request.method.toUpperCase(), segments);
      matched.route = `${API_PREFIX}/${def.path}`;

      let principal: Principal | null = null;
      if (def.scope !== 'public') principal = await options.authenticate(request);
      if (options.rateLimit && !options.rateLimit(principal, request)) {
        throw new HttpError(429, HttpErrorCode.RATE_LIMITED, 'Too many requests; slow down', {
          headers: { 'retry-after': '1' },
        });
      }
      if (def.scope === 'public') {
        return await answer(def, { request, params, query: queryObject(url) } as RouteContext);
      }
      if (!principal) {
        throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in or send Authorization: Bearer <token>', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      if (!hasScope(principal, def.scope)) {
        throw new HttpError(403, 'FORBIDDEN', `This call needs a token with the '${def.scope}' scope`);
      }
      const body = def.body ? await readJsonBody(request, maxBodyBytes) : undefined;
      const deps = await options.getDomain();
      const context: RouteContext = {
        request,
        params,
        query: queryObject(url),
        body,
        principal,
        actor: { ...principal.actor, via: principal.via },
        deps,
        filesRoot: options.filesRoot,
        logger: options.logger,
        onWorkerOutcome: options.onWorkerOutcome,
      };
      return await answer(def, context);
    } catch (err) {
      return toErrorResponse(err, options.logger);
    }
  };

  const { onAnswer } = options;
  if (!onAnswer) return (request, url = new URL(request.url)) => handle(request, url, { route: null });
  return async (request, url = new URL(request.url)) => {
    const started = performance.now();
    const matched: { route: string | null } = { route: null };
    const response = await handle(request, url, matched);
    onAnswer({ route: matched.route, method: request.method, status: response.status, durationMs: performance.now() - started });
    return response;
  };
}

async function answer(def: RouteDef, context: RouteContext): Promise<Response> {
  // The worker protocol's calls (claim, heartbeat, progress, logs, complete, fail) get a span of
  // their own; the operation routes' domain calls are traced where they are bound (domain bind.ts).
  const jobId = context.params['jobId'];
  const result =
    def.scope === 'worker'
      ? await traced(`worker.${def.operationId}`, () => def.handle(context), jobId ? { 'event_monitor.job_id': jobId } : undefined)
      : await def.handle(context);
  if (result instanceof Response) return result;
  // Every success answer carries a message (the concept's clients show it); most routes say no more than "OK".
  return successResponse(result.data, result.status ?? def.successStatus ?? 200, result.message ?? 'OK');
}
