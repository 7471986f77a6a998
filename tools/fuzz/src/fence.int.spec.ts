// The fence: every path the running server answers, read from the server itself, and a table of
// what each one is. Next.js's route manifest (the build output), better-auth's endpoint list (the
// auth instance), the REST route table and the tRPC router: a path that is in none of the tables
// below fails the suite, so a new library route cannot go live untested. Each path is then probed
// over HTTP: unserved auth endpoints answer 404, pages answer as their table entry says, and
// hostile requests (odd methods, broken JSON, wrong content types, long queries) get no 5xx.
// The cross-site (CSRF) and trusted-origin rules are checked at both doors here too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRouter } from '@event-monitor/api';
import { SERVED_AUTH_ENDPOINTS, authEndpoints } from '@event-monitor/auth';
import { ROUTES } from '@event-monitor/rest-adapter';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { expectNoLeaks, SECURITY_HEADERS } from './support/hardening';
import { rest, signIn, trpc } from './support/http';

/** What a Next.js route is, and so which suite covers it. */
type NextRoute =
  /** 200, or where the page redirects to (`-> /path`). */
  | { kind: 'page'; anonymous: 200 | `-> ${string}`; signedIn: 200 | `-> ${string}` }
  | { kind: 'door'; coveredBy: string }
  | { kind: 'api'; anonymous: number; admin: number }
  | { kind: 'framework' };

/** Every route of the Next.js build (app-path-routes-manifest.json and pages-manifest.json). */
const NEXT_ROUTES: Record<string, NextRoute> = {
  '/': { kind: 'page', anonymous: '-> /event-monitor', signedIn: '-> /event-monitor' },
  '/sign-in': { kind: 'page', anonymous: 200, signedIn: '-> /event-monitor' },
  '/status': { kind: 'page', anonymous: 200, signedIn: 200 },
  '/api-docs': { kind: 'page', anonymous: 200, signedIn: 200 },
  '/api-docs/static': { kind: 'page', anonymous: 200, signedIn: 200 },
  // Scalar's prebuilt browser script, served from node_modules for /api-docs (public, as the page).
  '/api-docs/scalar.js': { kind: 'page', anonymous: 200, signedIn: 200 },
  '/jobs': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/event-monitor': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/event-monitor/create-batch': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/event-monitor/[batchId]': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/metrics': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/workers': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/workers/flow': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/failures': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/notifications': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/admin': { kind: 'page', anonymous: '-> /sign-in', signedIn: '-> /admin/users' },
  '/admin/users': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/admin/tokens': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/admin/audit': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  '/admin/retention': { kind: 'page', anonymous: '-> /sign-in', signedIn: 200 },
  // Next.js's own: the not-found and error pages it renders for other paths (never routed to by name).
  '/_not-found': { kind: 'framework' },
  '/_global-error': { kind: 'framework' },
  '/500': { kind: 'framework' },
};

/**
 * The doors server.mjs answers itself before Next.js (apps/web/src/server/doors.ts, `doorOf`):
 * everything under /api. They are not in Next.js's manifest since issue 17's host object.
 */
const HOST_ROUTES: Record<string, NextRoute> = {
  '/api/event-job/[...path]': { kind: 'door', coveredBy: 'ROUTES (authz-matrix, schemathesis, hostile-input)' },
  '/api/trpc/[trpc]': { kind: 'door', coveredBy: 'appRouter (authz-matrix, hostile-input)' },
  '/api/auth/[...all]': { kind: 'door', coveredBy: 'AUTH_ENDPOINTS below' },
  '/api/health': { kind: 'api', anonymous: 200, admin: 200 },
  '/api/metrics': { kind: 'api', anonymous: 401, admin: 200 },
};

/** Every path the server answers by name: Next.js's routes and the host's doors. */
const ALL_ROUTES: Record<string, NextRoute> = { ...NEXT_ROUTES, ...HOST_ROUTES };

/**
 * Every endpoint better-auth 1.7.5 and its api-key plugin define (auth.api), and whether the app
 * serves it over HTTP. 'server only' endpoints have no path; the rest is refused with 404.
 */
const AUTH_ENDPOINTS: Record<string, 'served' | 'not served' | 'server only'> = {
  signInEmail: 'served',
  signOut: 'served',
  getSession: 'served',
  signInSocial: 'not served',
  callbackOAuth: 'not served',
  signUpEmail: 'not served',
  resetPassword: 'not served',
  verifyPassword: 'not served',
  verifyEmail: 'not served',
  sendVerificationEmail: 'not served',
  changeEmail: 'not served',
  changePassword: 'not served',
  setPassword: 'server only',
  updateSession: 'not served',
  updateUser: 'not served',
  deleteUser: 'not served',
  requestPasswordReset: 'not served',
  requestPasswordResetCallback: 'not served',
  listSessions: 'not served',
  revokeSession: 'not served',
  revokeSessions: 'not served',
  revokeOtherSessions: 'not served',
  linkSocialAccount: 'not served',
  listUserAccounts: 'not served',
  deleteUserCallback: 'not served',
  unlinkAccount: 'not served',
  refreshToken: 'not served',
  getAccessToken: 'not served',
  accountInfo: 'not served',
  createApiKey: 'not served',
  verifyApiKey: 'server only',
  getApiKey: 'not served',
  updateApiKey: 'not served',
  deleteApiKey: 'not served',
  listApiKeys: 'not served',
  deleteAllExpiredApiKeys: 'server only',
  ok: 'not served',
  error: 'not served',
};

const HOSTILE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The paths of the Next.js build, read from its manifests. */
function nextRoutes(root: string): string[] {
  const distDir = join(root, 'apps/web', process.env['EVENT_MONITOR_NEXT_DIST_DIR'] || '.next');
  const app = JSON.parse(readFileSync(join(distDir, 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>;
  const pages = JSON.parse(readFileSync(join(distDir, 'server/pages-manifest.json'), 'utf8')) as Record<string, string>;
  return [...new Set([...Object.values(app), ...Object.keys(pages)])].sort();
}

/** A concrete URL path for a route pattern (dynamic segments filled in). */
function concrete(route: string, batchId: string): string {
  return route.replace('[batchId]', batchId).replace('[...path]', 'batches').replace('[trpc]', 'batch.list').replace('[...all]', 'get-session');
}

let server: LiveServer;
let output = '';
let adminCookie: string;
let batchId: string;
const answers: string[] = [];
const probes: { path: string; method: string; status: number }[] = [];

beforeAll(async () => {
  server = await startLiveServer({ onOutput: (chunk) => (output += chunk) });
  adminCookie = await signIn(server, server.admin.email, server.admin.password);
  const created = await rest(server.url, 'POST', 'batches', {
    headers: { cookie: adminCookie, origin: server.url },
    body: { jobs: [{ parameters: { session: 'fence' } }] },
  });
  expect(created.status).toBe(201);
  batchId = created.json.data.batch.batch_id as string;
  expect(batchId).toEqual(expect.any(String));
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

async function probe(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  const response = await fetch(`${server.url}${url}`, { redirect: 'manual', ...init });
  const path = url.length > 120 ? `${url.slice(0, 120)}...` : url;
  const text = init.method === 'HEAD' ? '' : await response.text();
  answers.push(text);
  probes.push({ path, method: init.method ?? 'GET', status: response.status });
  for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
    // The image optimizer sets its own, stricter-for-scripts policy (sandbox, script-src 'none')
    // without frame-ancestors; X-Frame-Options: DENY still applies (docs/reliability.md, the fence).
    if (header === 'content-security-policy' && url.startsWith('/_next/image')) {
      expect(response.headers.get(header)).toMatch(/sandbox|frame-ancestors 'none'/);
      continue;
    }
    expect({ path, method: init.method, [header]: response.headers.get(header) }).toEqual({
      path,
      method: init.method,
      [header]: expect.stringContaining(value),
    });
  }
  return response;
}

describe('every path the server answers is in a table', () => {
  it("Next.js's route manifest: every route has an entry, every entry is a route", () => {
    expect(nextRoutes(join(__dirname, '../../..'))).toEqual(Object.keys(NEXT_ROUTES).sort());
  });

  it("better-auth's endpoints, read from the auth instance: every one has an entry, and only the entries marked served are", () => {
    const endpoints = authEndpoints(server.auth);
    expect(endpoints.map((e) => e.name).sort()).toEqual(Object.keys(AUTH_ENDPOINTS).sort());
    for (const endpoint of endpoints) {
      const kind = AUTH_ENDPOINTS[endpoint.name];
      expect({ name: endpoint.name, kind }).toEqual({
        name: endpoint.name,
        kind: !endpoint.path ? 'server only' : Object.hasOwn(SERVED_AUTH_ENDPOINTS, endpoint.path) ? 'served' : 'not served',
      });
    }
  });

  it('the REST table and the tRPC router are the ones the authorization matrix enumerates', () => {
    // authz-matrix.int.spec.ts fails for a route or procedure without an entry; here: both are non-empty
    // and every REST route sits under the one door Next.js routes to it.
    expect(ROUTES.length).toBeGreaterThan(20);
    expect(Object.keys((appRouter as unknown as { _def: { procedures: object } })._def.procedures).length).toBeGreaterThan(30);
  });
});

describe("Next.js's own endpoints, outside its route manifest", () => {
  it('the image optimizer, server actions, RSC requests and static files answer without 5xx, and fetch nothing remote', async () => {
    const cases: [string, RequestInit & { headers?: Record<string, string> }, number[]][] = [
      ['/_next/image?url=%2Ffavicon.ico&w=64&q=75', {}, [200, 400]],
      // Not a configured remote pattern: refused, nothing fetched (no SSRF through the optimizer).
      ['/_next/image?url=http%3A%2F%2F169.254.169.254%2Flatest&w=64&q=75', {}, [400]],
      ['/_next/image?url=%2Fapi%2Fevent-job%2Fbatches&w=64&q=75', { headers: { cookie: adminCookie } }, [400, 404]],
      // A server action id the app never defined (it defines none).
      ['/sign-in', { method: 'POST', headers: { 'next-action': 'f'.repeat(42), 'content-type': 'text/plain;charset=UTF-8' }, body: '[]' }, [400, 404]],
      ['/event-monitor?_rsc=fence', { headers: { rsc: '1', cookie: adminCookie } }, [200]],
      ['/_next/static/no-such-chunk.js', {}, [404]],
      ['/favicon.ico', {}, [200]],
    ];
    const seen: string[] = [];
    for (const [url, init, statuses] of cases) {
      const response = await probe(url, init);
      seen.push(`${init.method ?? 'GET'} ${url.slice(0, 40)} ${response.status}`);
      expect({ url, status: statuses.includes(response.status) ? 'as expected' : response.status }).toEqual({ url, status: 'as expected' });
    }
    console.log(`[fence] Next.js internals: ${seen.join('; ')}`);
  });
});

describe('auth endpoints over HTTP', () => {
  it('every endpoint not served answers 404 to each of its methods, signed in or not; nothing reaches better-auth', async () => {
    const before = await server.connection.collection('apikey').countDocuments();
    for (const endpoint of authEndpoints(server.auth)) {
      if (AUTH_ENDPOINTS[endpoint.name] !== 'not served') continue;
      const path = `/api/auth${(endpoint.path as string).replace(/:(\w+)/g, 'x')}`;
      for (const method of endpoint.methods) {
        for (const headers of [{}, { cookie: adminCookie, origin: server.url }] as Record<string, string>[]) {
          const body = method === 'GET' ? undefined : JSON.stringify({ name: 'fence', keyId: 'x', enabled: true });
          const response = await probe(path, { method, headers: { ...headers, 'content-type': 'application/json' }, body });
          expect({ name: endpoint.name, method, status: response.status }).toEqual({ name: endpoint.name, method, status: 404 });
        }
      }
    }
    expect(await server.connection.collection('apikey').countDocuments()).toBe(before);
  });

  it('served endpoints answer only their own method', async () => {
    for (const [path, method] of Object.entries(SERVED_AUTH_ENDPOINTS)) {
      const other = method === 'GET' ? 'POST' : 'GET';
      const response = await probe(`/api/auth${path}`, { method: other, headers: { origin: server.url } });
      expect({ path, other, status: response.status }).toEqual({ path, other, status: 405 });
    }
    const session = await probe('/api/auth/get-session', { headers: { cookie: adminCookie } });
    expect(session.status).toBe(200);
  });
});

describe('pages and small API routes over HTTP', () => {
  it('each page answers anonymous visitors and the admin as its table entry says', async () => {
    for (const [route, entry] of Object.entries(ALL_ROUTES)) {
      if (entry.kind !== 'page') continue;
      const path = concrete(route, batchId);
      for (const [who, headers, expected] of [
        ['anonymous', {}, entry.anonymous],
        ['admin', { cookie: adminCookie }, entry.signedIn],
      ] as const) {
        const response = await probe(path, { headers });
        expect({ path, who, status: response.status, location: response.headers.get('location')?.replace(/^https?:\/\/[^/]+/, '') ?? null }).toEqual(
          typeof expected === 'number'
            ? { path, who, status: expected, location: null }
            : { path, who, status: 307, location: expected.slice(3) },
        );
      }
    }
  });

  it('the small API routes answer anonymous visitors and the admin as their entries say', async () => {
    const adminToken = await server.createToken(['read'], 'admin');
    for (const [route, entry] of Object.entries(ALL_ROUTES)) {
      if (entry.kind !== 'api') continue;
      expect({ route, status: (await probe(route)).status }).toEqual({ route, status: entry.anonymous });
      const admin = await probe(route, { headers: { authorization: `Bearer ${adminToken}` } });
      expect({ route, status: admin.status }).toEqual({ route, status: entry.admin });
    }
  });
});

describe('cross-site requests (CSRF) at both doors', () => {
  const otherPort = () => `http://127.0.0.1:${Number(new URL(server.url).port) + 1}`;

  it("a cookie POST from another port of the same host is refused with 403 at both doors; nothing changes", async () => {
    const before = await server.connection.collection('event_batches').countDocuments();
    for (const origin of [otherPort(), 'https://evil.example', 'null']) {
      const restAnswer = await rest(server.url, 'POST', 'batches', {
        headers: { cookie: adminCookie, origin },
        body: { jobs: [{ parameters: { session: 'fence' } }] },
      });
      answers.push(restAnswer.text);
      expect({ origin, status: restAnswer.status, code: restAnswer.json?.code }).toEqual({ origin, status: 403, code: 'FORBIDDEN' });
      expect(restAnswer.json.message).toMatch(/Cross-site request refused/);
      const archive = await rest(server.url, 'POST', `batches/${batchId}/archive`, { headers: { cookie: adminCookie, origin } });
      expect({ origin, status: archive.status }).toEqual({ origin, status: 403 });
      const trpcAnswer = await trpc(server.url, 'mutation', 'batch.archive', { batch_id: batchId }, { cookie: adminCookie, origin });
      answers.push(trpcAnswer.text);
      expect({ origin, status: trpcAnswer.status }).toEqual({ origin, status: 403 });
      expect(trpcAnswer.text).toMatch(/Cross-site request refused/);
    }
    // A form post from a sibling site without Origin but with Sec-Fetch-Site: refused too.
    const setAllPending = await rest(server.url, 'POST', 'batches/set-all-pending', {
      headers: { cookie: adminCookie, 'sec-fetch-site': 'same-site' },
    });
    expect(setAllPending.status).toBe(403);
    expect(await server.connection.collection('event_batches').countDocuments()).toBe(before);
    expect((await server.connection.collection('event_batches').findOne({ batch_id: batchId }))?.['archived']).toBeFalsy();
  });

  it("the app's own origins, tokens from anywhere and header-less scripts go through", async () => {
    for (const origin of [server.url, server.url.replace('127.0.0.1', 'localhost'), server.url.replace('127.0.0.1', '[::1]')]) {
      const answer = await trpc(server.url, 'mutation', 'batch.archive', { batch_id: batchId }, { cookie: adminCookie, origin });
      expect({ origin, status: answer.status, body: answer.status === 200 ? "" : answer.text }).toEqual({ origin, status: 200, body: "" });
      const back = await rest(server.url, 'POST', `batches/${batchId}/unarchive`, { headers: { cookie: adminCookie, origin } });
      expect({ origin, status: back.status }).toEqual({ origin, status: 200 });
    }
    const token = await server.createToken(['read', 'write'], 'admin');
    const withToken = await rest(server.url, 'POST', 'batches', {
      headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
      body: { jobs: [{ parameters: { session: 'fence' } }] },
    });
    expect(withToken.status).toBe(201);
    const script = await rest(server.url, 'POST', `batches/${batchId}/archive`, { headers: { cookie: adminCookie } });
    expect(script.status).toBe(200);
    expect((await rest(server.url, 'POST', `batches/${batchId}/unarchive`, { headers: { cookie: adminCookie } })).status).toBe(200);
  });

  it('sign-in works from every loopback name of the app port, not from another port', async () => {
    const port = new URL(server.url).port;
    for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]) {
      const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: server.admin.email, password: server.admin.password }),
      });
      answers.push(await response.text());
      expect({ origin, status: response.status }).toEqual({ origin, status: 200 });
    }
    const foreign = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: otherPort() },
      body: JSON.stringify({ email: server.admin.email, password: server.admin.password }),
    });
    const body = (await foreign.json()) as { code?: string };
    expect({ status: foreign.status, code: body.code }).toEqual({ status: 403, code: 'INVALID_ORIGIN' });
    expect(foreign.headers.getSetCookie().filter((c) => c.includes('session_token'))).toEqual([]);
  });
});

describe('hostile requests on every path', () => {
  it('odd methods, broken JSON, wrong content types and long queries get no 5xx anywhere', async () => {
    const own = await rest(server.url, 'POST', 'batches', { headers: { cookie: adminCookie }, body: { jobs: [{ parameters: { session: 'hostile' } }] } });
    const hostileBatchId = own.json.data.batch.batch_id as string;
    const paths = [
      ...Object.keys(ALL_ROUTES)
        .filter((route) => ALL_ROUTES[route]?.kind !== 'framework')
        .map((route) => concrete(route, hostileBatchId)),
      ...authEndpoints(server.auth)
        .filter((e) => e.path)
        .map((e) => `/api/auth${(e.path as string).replace(/:(\w+)/g, 'x')}`),
      ...ROUTES.map((route) => `/api/event-job/${route.path.replace(/\{(\w+)\}/g, hostileBatchId)}`),
      ...Object.keys((appRouter as unknown as { _def: { procedures: object } })._def.procedures).map((p) => `/api/trpc/${p}`),
    ];
    const bodies: [string, string][] = [
      ['application/json', '{"jobs": [{"parameters": '],
      ['application/json', '[]'],
      ['text/plain', 'not json'],
      ['application/x-www-form-urlencoded', 'a=1&b=%ZZ'],
    ];
    let count = 0;
    for (const path of [...new Set(paths)]) {
      for (const method of HOSTILE_METHODS) {
        // Signed in: reads and broken bodies only (a well-formed write would act, which is not the point).
        const principals: Record<string, string>[] = method === 'GET' || method === 'POST' ? [{}, { cookie: adminCookie, origin: server.url }] : [{}];
        for (const headers of principals) {
          const sends =
            method === 'GET' || method === 'HEAD'
              ? [[undefined, undefined] as const]
              : 'cookie' in headers
                ? bodies.slice(0, 1)
                : bodies;
          for (const [type, body] of sends) {
            const response = await probe(`${path}${path.includes('?') ? '&' : '?'}q=${'%F0%9F%92%A5'.repeat(200)}`, {
              method,
              headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
              body,
            });
            count += 1;
            expect({ path, method, type, status: response.status < 500 ? 'no 5xx' : response.status }).toEqual({
              path,
              method,
              type,
              status: 'no 5xx',
            });
          }
        }
      }
    }
    console.log(`[fence] ${[...new Set(paths)].length} paths, ${count} hostile probes, ${probes.filter((p) => p.status >= 500).length} 5xx`);
  }, 600_000);
});

describe('what the fence leaves behind', () => {
  it('no token, secret, cookie value or stack frame in any answer or server log line', () => {
    const secrets = [server.admin.password, ...adminCookie.split('; ').map((pair) => pair.slice(pair.indexOf('=') + 1))];
    expectNoLeaks(output, secrets, answers.join('\n'));
  });
});
