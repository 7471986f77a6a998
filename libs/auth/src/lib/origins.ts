/**
 * Which origins are the app's own, and the cross-site request check of both API doors.
 *
 * Trusted: APP_URL's origin, the loopback names of the app's port over plain HTTP (localhost, 127.0.0.1, [::1]:
 * `npm start` prints one, people open another) and TRUSTED_ORIGINS. better-auth gets the same list
 * for its own origin check of the sign-in routes.
 *
 * An unsafe request (POST, PUT, PATCH, DELETE) authenticated by something the browser sends by
 * itself (the session cookie; a proxy's user header) must come from a trusted origin:
 *
 *   Origin present          it must be trusted ("null", sent by sandboxed frames and after
 *                           cross-origin redirects, is not)
 *   only Sec-Fetch-Site     it must be `same-origin` or `none` (typed in / bookmarked by the user);
 *                           `same-site` (another port, a sibling subdomain) and `cross-site` are refused
 *   neither header          allowed: every browser that can be made to send a cross-site form post
 *                           or fetch sends one of them; a client with neither is a script (curl
 *                           with a cookie), which no other site can drive
 *
 * Token requests (Authorization, x-api-key) carry no ambient credential and are not checked.
 */

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export interface AppOriginsInput {
  /** APP_URL, or undefined for http://localhost:<port>. */
  appUrl: string | undefined;
  /** The port the server listens on. */
  port: number;
  /** TRUSTED_ORIGINS, already parsed. */
  extra?: readonly string[];
}

/** The app's own origins, in a stable order (APP_URL's first). */
export function appOrigins({ appUrl, port, extra = [] }: AppOriginsInput): string[] {
  const origins = new Set<string>();
  const app = new URL(appUrl ?? `http://localhost:${port}`);
  origins.add(app.origin);
  const ports = new Set([String(port)]);
  if (LOOPBACK_HOSTS.includes(app.hostname)) ports.add(app.port || (app.protocol === 'https:' ? '443' : '80'));
  // The server itself speaks plain HTTP: on loopback it is opened without a TLS proxy.
  for (const loopbackPort of ports) {
    for (const host of LOOPBACK_HOSTS) origins.add(new URL(`http://${host}:${loopbackPort}`).origin);
  }
  for (const origin of extra) origins.add(new URL(origin).origin);
  return [...origins];
}

/**
 * Why an unsafe request carrying the user's ambient credential is refused as cross-site, or
 * null when it may go on. `trusted` holds origins as `URL.origin` spells them.
 */
export function crossSiteRefusal(method: string, headers: Headers, trusted: ReadonlySet<string>): string | null {
  if (!UNSAFE_METHODS.has(method.toUpperCase())) return null;
  const origin = headers.get('origin');
  if (origin !== null) {
    return trusted.has(origin.trim().toLowerCase())
      ? null
      : `Cross-site request refused: origin ${JSON.stringify(origin.slice(0, 200))} is not this app's (see TRUSTED_ORIGINS)`;
  }
  const site = headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none') return null;
  return `Cross-site request refused: Sec-Fetch-Site is ${JSON.stringify(site.slice(0, 40))}`;
}
