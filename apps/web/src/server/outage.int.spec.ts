import { createApiToken, createUser } from '@event-monitor/auth';
import { DATABASE_UNAVAILABLE, startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { readServerEnv } from './env';
import { createHost, type Host } from './host';

const APP_URL = 'http://127.0.0.1:3999';

function hostOn(uri: string, dbName: string): Host {
  return createHost(
    readServerEnv({
      MONGODB_URI: uri,
      MONGODB_DB: dbName,
      BETTER_AUTH_SECRET: 'outage-secret-outage-secret-outage-secret',
      APP_URL,
      LOG_LEVEL: 'silent',
      MAINTENANCE_INTERVAL_SECONDS: '0',
      NODE_ENV: 'test',
    }),
  );
}

/** One request at the door its path belongs to, as server.mjs makes it. */
function ask(host: Host, path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(path, APP_URL);
  const door = host.doorOf(url.pathname);
  if (!door) throw new Error(`no door for ${path}`);
  return host.answer(door, new Request(url, init), url);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const signIn = (email: string, password: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: APP_URL },
  body: JSON.stringify({ email, password }),
});

/** Every door's request, with the tokens and the user made while the database was up. */
function doorRequests(tokens: { worker: string; operator: string; admin: string }): Array<[string, string, RequestInit]> {
  return [
    ['REST', '/api/event-job/batches', { headers: bearer(tokens.operator) }],
    ['REST worker claim', '/api/event-job/worker/claim', { method: 'POST', headers: { ...bearer(tokens.worker), 'content-type': 'application/json' }, body: '{"worker_id":"w-1"}' }],
    ['tRPC', '/api/trpc/batch.list', { headers: bearer(tokens.operator) }],
    ['auth', '/api/auth/sign-in/email', signIn('operator-read-write@outage.test', 'operator-password')],
    ['health', '/api/health', {}],
    ['metrics', '/api/metrics', { headers: bearer(tokens.admin) }],
  ];
}

/** The one outage answer: 503, Retry-After, the code and message (tRPC in its own envelope). */
async function expectOutageAnswer(door: string, response: Response): Promise<void> {
  const body = (await response.json()) as { error?: { json: unknown } };
  const seen = { door, status: response.status, retryAfter: response.headers.get('retry-after') };
  expect(seen).toEqual({ door, status: 503, retryAfter: String(DATABASE_UNAVAILABLE.retryAfterSeconds) });
  if (door === 'tRPC') {
    expect(body.error?.json).toMatchObject({ message: DATABASE_UNAVAILABLE.message, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } });
  } else {
    expect({ door, ...body }).toMatchObject({ door, status: 'error', code: 'DATABASE_UNAVAILABLE', message: DATABASE_UNAVAILABLE.message });
  }
  expect(JSON.stringify(body)).not.toMatch(/stack|Mongo|127\.0\.0\.1|ECONNREFUSED/);
}

/** Pages (server.mjs asks before Next.js renders): the same status and Retry-After, HTML for a browser. */
async function expectPageOutage(host: Host): Promise<void> {
  const page = await host.pageOutage('text/html,application/xhtml+xml;q=0.9,*/*;q=0.8');
  expect({ status: page?.status, retryAfter: page?.headers.get('retry-after'), type: page?.headers.get('content-type') }).toEqual({
    status: 503,
    retryAfter: String(DATABASE_UNAVAILABLE.retryAfterSeconds),
    type: 'text/html; charset=utf-8',
  });
  expect(await page?.text()).toContain(DATABASE_UNAVAILABLE.message);
  await expectOutageAnswer('page, not a browser', (await host.pageOutage('*/*')) as Response);
}

describe('a database outage at every door', () => {
  let server: EmbeddedMongo | undefined;
  let host: Host | undefined;

  afterEach(async () => {
    await host?.close().catch(() => undefined);
    await server?.stop();
    host = undefined;
    server = undefined;
  });

  it('answers 503 with one shape and Retry-After at every door once the database server is gone', async () => {
    server = await startEmbeddedMongo({});
    host = hostOn(server.uri, 'host_outage');
    const auth = await host.auth();
    const newToken = async (role: 'operator' | 'admin', scopes: Array<'read' | 'write' | 'worker'>) => {
      const user = await createUser(auth, { email: `${role}-${scopes.join('-')}@outage.test`, name: role, password: `${role}-password`, role });
      return (await createApiToken(auth, { userId: user.id, name: role, scopes })).token;
    };
    const tokens = { operator: await newToken('operator', ['read', 'write']), worker: await newToken('operator', ['worker']), admin: await newToken('admin', ['read']) };

    // Up: every door answers (the metrics token is kept for the outage: not in the token cache).
    for (const [door, path, init] of doorRequests(tokens)) {
      if (door === 'metrics') continue;
      const response = await ask(host, path, init);
      expect({ door, status: response.status }).toEqual({ door, status: 200 });
    }

    expect(await host.pageOutage('text/html')).toBeUndefined();

    process.kill(server.pid, 'SIGKILL');
    await server.stop();
    for (const [door, path, init] of doorRequests(tokens)) {
      await expectOutageAnswer(door, await ask(host, path, init));
    }
    await expectPageOutage(host);
  }, 60_000);

  it('answers the same when nothing ever listened at MONGODB_URI', async () => {
    host = hostOn('mongodb://127.0.0.1:9/?connectTimeoutMS=500', 'host_never_up');
    const tokens = { operator: 'em_never-checked', worker: 'em_never-checked-2', admin: 'em_never-checked-3' };
    for (const [door, path, init] of doorRequests(tokens)) {
      const started = Date.now();
      await expectOutageAnswer(door, await ask(host, path, init));
      expect({ door, ms: Date.now() - started < 4_000 }).toEqual({ door, ms: true });
    }
    await expectPageOutage(host);
  }, 60_000);

  it('answers the same through server.mjs, pages included, and recovers when the database is back', async () => {
    server = await startEmbeddedMongo({});
    let live: LiveServer | undefined;
    try {
      live = await startLiveServer({ uri: server.uri, dbName: 'host_outage_live' });
      const token = await live.createToken(['read', 'write']);
      const url = live.url;
      const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers, redirect: 'manual' });
      expect((await get('/sign-in', { accept: 'text/html' })).status).toBe(200);

      process.kill(server.pid, 'SIGKILL');
      await server.stop();
      await expectOutageAnswer('REST', await get('/api/event-job/batches', bearer(token)));
      await expectOutageAnswer('tRPC', await get('/api/trpc/batch.list', bearer(token)));
      await expectOutageAnswer('health', await get('/api/health'));
      await expectOutageAnswer('auth', await fetch(`${url}/api/auth/sign-in/email`, signIn(live.admin.email, live.admin.password)));
      const page = await get('/event-monitor', { accept: 'text/html' });
      expect({ status: page.status, retryAfter: page.headers.get('retry-after'), csp: page.headers.get('content-security-policy') }).toEqual({
        status: 503,
        retryAfter: String(DATABASE_UNAVAILABLE.retryAfterSeconds),
        csp: "default-src 'none'; frame-ancestors 'none'",
      });
      expect(await page.text()).toContain(DATABASE_UNAVAILABLE.message);
      await expectOutageAnswer('page, not a browser', await get('/sign-in'));
      // What does not need the database still renders.
      expect((await get('/status', { accept: 'text/html' })).status).toBe(200);
      expect((await get('/api/no-such-door')).status).toBe(404);

      // Back on the same port (in memory, so empty): health and pages answer again by themselves.
      server = await startEmbeddedMongo({ port: server.port });
      const deadline = Date.now() + 20_000;
      while ((await get('/api/health')).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect((await get('/api/health')).status).toBe(200);
      expect((await get('/sign-in', { accept: 'text/html' })).status).toBe(200);
    } finally {
      await live?.stop();
    }
  }, 180_000);
});
