import type { EventMonitorAuth } from './auth';

/** Where better-auth's HTTP routes are mounted (createAuth's `basePath`). */
export const AUTH_BASE_PATH = '/api/auth';

/**
 * The better-auth routes the app serves over HTTP, and with which method. Everything else
 * better-auth (and its api-key plugin) would answer is refused with 404 before it runs:
 * token lifecycle goes only through the audited, role-checked `token.*` procedures, accounts
 * through `user.*`. The server still calls every endpoint in process (`auth.api.*`).
 *
 *   POST /sign-in/email   the sign-in form, the e2e setup, scripts
 *   POST /sign-out        the header's sign-out button
 *   GET  /get-session     the session as JSON (better-auth's client and curl users read it)
 */
export const SERVED_AUTH_ENDPOINTS: Readonly<Record<string, 'GET' | 'POST'>> = {
  '/sign-in/email': 'POST',
  '/sign-out': 'POST',
  '/get-session': 'GET',
};

export interface AuthEndpoint {
  /** The key on `auth.api`, e.g. `createApiKey`. */
  name: string;
  /** Path below AUTH_BASE_PATH, e.g. `/api-key/create`; undefined for server-only endpoints. */
  path: string | undefined;
  methods: string[];
}

/** Every endpoint of the auth instance as better-auth itself lists it (plugins included). */
export function authEndpoints(auth: EventMonitorAuth): AuthEndpoint[] {
  return Object.entries(auth.api as unknown as Record<string, { path?: string; options?: { method?: string | string[] } }>).map(
    ([name, endpoint]) => {
      const method = endpoint.options?.method ?? [];
      return { name, path: endpoint.path, methods: Array.isArray(method) ? [...method] : [method] };
    },
  );
}

/** The 404 of a better-auth route the app does not serve (same shape as better-auth's own). */
function notServed(): Response {
  return Response.json({ message: 'Not found', code: 'NOT_FOUND' }, { status: 404 });
}

/**
 * better-auth's HTTP handler behind the allow-list: a path or method not in
 * SERVED_AUTH_ENDPOINTS is answered 404 without reaching better-auth (405 for a served path
 * with another method). Paths are compared exactly as sent, so no spelling of a path better-auth
 * would route differently (a trailing slash, an encoded character) gets through.
 */
export function handleAuthRequest(auth: EventMonitorAuth, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const path = pathname.startsWith(`${AUTH_BASE_PATH}/`) ? pathname.slice(AUTH_BASE_PATH.length) : null;
  const method = path !== null && Object.hasOwn(SERVED_AUTH_ENDPOINTS, path) ? SERVED_AUTH_ENDPOINTS[path] : undefined;
  if (!method) return Promise.resolve(notServed());
  const asked = request.method.toUpperCase();
  if (asked !== method) {
    return Promise.resolve(
      Response.json(
        { message: `Method ${asked} not allowed here; use ${method}`, code: 'METHOD_NOT_ALLOWED' },
        { status: 405, headers: { allow: method } },
      ),
    );
  }
  return auth.handler(request);
}
