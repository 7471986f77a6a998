import { connectMongoose, isDatabaseUnavailable, startEmbeddedMongo } from '@event-monitor/db';
import { useTestDatabase } from '@event-monitor/testing';
import { createAuth, type EventMonitorAuth } from './auth';
import { createUser, ensureFirstAdmin, listUsers, setUserActive, setUserRole } from './accounts';
import { authenticate, verifyToken, type KeyVerifier } from './authenticate';
import { SERVED_AUTH_ENDPOINTS, authEndpoints, handleAuthRequest } from './served-endpoints';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens';

const BASE = 'http://localhost:3999';

async function signIn(
  auth: EventMonitorAuth,
  email: string,
  password: string,
  ip = '10.0.0.1',
  base = BASE,
): Promise<Response> {
  return auth.handler(
    new Request(`${base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function cookieHeaders(response: Response): Headers {
  const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
  return new Headers({ cookie: cookies.join('; ') });
}


/**
 * The limits count in fixed windows (shared-counters.ts): a test whose attempts must share one
 * window waits, when the current window ends within `needMs`, for the next one to begin.
 */
async function awayFromWindowEdge(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
// A test may wait up to a minute for the next window, on top of its own time.
jest.setTimeout(120_000);

describe('authentication (better-auth on the real database)', () => {
  const db = useTestDatabase();
  let auth: EventMonitorAuth;

  beforeAll(() => {
    const mongoDb = db.current.connection.getClient().db(db.current.dbName);
    auth = createAuth({
      db: mongoDb,
      secret: 'x'.repeat(40),
      baseURL: BASE,
      secureCookies: false,
      signInAttemptsPerMinute: 5,
      quiet: true,
    });
  });

  it('creates the first admin once, with a generated password that signs in', async () => {
    const first = await ensureFirstAdmin(auth);
    expect(first).toMatchObject({ created: true, email: 'admin@event-monitor.local' });
    expect(first.generatedPassword).toEqual(expect.any(String));
    expect(await ensureFirstAdmin(auth)).toEqual({ created: false });

    const response = await signIn(auth, 'admin@event-monitor.local', first.generatedPassword as string);
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const principal = await authenticate(auth, cookieHeaders(response));
    expect(principal).toMatchObject({ via: 'session', actor: { role: 'admin' }, scopes: ['read', 'write'] });
  });

  it('refuses a wrong password and signs in nobody', async () => {
    await createUser(auth, {
      email: 'op@example.org',
      name: 'Op',
      password: 'operator-password',
      role: 'operator',
    });
    const response = await signIn(auth, 'op@example.org', 'wrong-password!', '10.0.0.2');
    expect(response.status).toBe(401);
    expect(await authenticate(auth, cookieHeaders(response))).toBeNull();
  });

  it('rate-limits sign-in attempts per client and account, not the account for everybody', async () => {
    await awayFromWindowEdge(60_000, 20_000);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await signIn(auth, 'target@example.org', 'wrong-password!', '10.0.0.3')).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // The same account from another client, and another account from this client: not refused.
    expect((await signIn(auth, 'target@example.org', 'wrong-password!', '10.0.0.4')).status).toBe(401);
    expect((await signIn(auth, 'other@example.org', 'wrong-password!', '10.0.0.3')).status).toBe(401);
  });

  it('wrong passwords from rotating addresses are no lockout switch: the owner signs in, strangers wait growing turns', async () => {
    const limited = createAuth({
      db: db.current.connection.getClient().db(db.current.dbName),
      secret: 'y'.repeat(40),
      baseURL: BASE,
      secureCookies: false,
      quiet: true,
      signInLimits: { freeFailures: 10, firstDelayMs: 2_000, maxDelayMs: 4_000, maxWaitMs: 10_000 },
    });
    await createUser(limited, { email: 'boss@example.org', name: 'Boss', password: 'boss-password', role: 'admin' });
    await awayFromWindowEdge(15 * 60_000, 30_000);
    // The owner's browser signed in before: it holds the device cookie.
    const earlier = await signIn(limited, 'boss@example.org', 'boss-password', '10.2.0.1');
    expect(earlier.status).toBe(200);
    const device = earlier.headers.getSetCookie().find((c) => c.startsWith('better-auth.device='));
    expect(device).toBeDefined();

    for (let i = 0; i < 10; i += 1) {
      expect((await signIn(limited, 'boss@example.org', 'wrong-password!', `10.3.0.${i}`)).status).toBe(401);
    }
    // New clients queue for turns 0, 2 and 4 s; the owner's browser, asking at the same time, does not.
    const stranger = async (i: number, password: string) => {
      const started = Date.now();
      const response = await signIn(limited, 'boss@example.org', password, `10.4.0.${i}`);
      return { status: response.status, ms: Date.now() - started };
    };
    const owner = async () => {
      const started = Date.now();
      const response = await limited.handler(
        new Request(`${BASE}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: BASE,
            'x-forwarded-for': '10.2.0.9',
            cookie: (device as string).split(';')[0] as string,
          },
          body: JSON.stringify({ email: 'boss@example.org', password: 'boss-password' }),
        }),
      );
      return { status: response.status, ms: Date.now() - started };
    };
    const [first, second, third, ownerAnswer] = await Promise.all([
      stranger(0, 'wrong-password!'),
      stranger(1, 'wrong-password!'),
      stranger(2, 'boss-password'),
      owner(),
    ]);
    expect(ownerAnswer?.status).toBe(200);
    expect(ownerAnswer?.ms).toBeLessThan(2_500);
    // The right password from a new client is held for its turn, then signed in: never a 429.
    expect([first?.status, second?.status, third?.status]).toEqual([401, 401, 200]);
    // The turns are taken in the database, in the order the requests reach it (not the order sent).
    expect(Math.max(first?.ms ?? 0, second?.ms ?? 0, third?.ms ?? 0)).toBeGreaterThanOrEqual(3_900);
  });

  it('reads the role on every request, so a role change applies at once', async () => {
    const viewer = await createUser(auth, {
      email: 'v@example.org',
      name: 'V',
      password: 'viewer-password',
      role: 'viewer',
    });
    const headers = cookieHeaders(await signIn(auth, 'v@example.org', 'viewer-password', '10.0.0.4'));
    expect(await authenticate(auth, headers)).toMatchObject({ actor: { role: 'viewer' }, scopes: ['read'] });
    await setUserRole(auth, viewer.id, 'operator');
    expect(await authenticate(auth, headers)).toMatchObject({ actor: { role: 'operator' } });
    expect((await listUsers(auth)).map((u) => u.email)).toContain('v@example.org');
  });

  it('rejects a duplicate email with CONFLICT', async () => {
    await expect(
      createUser(auth, {
        email: 'OP@example.org',
        name: 'Again',
        password: 'operator-password',
        role: 'viewer',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('API tokens: shown once, stored hashed, scoped, last use recorded, revoked at once', async () => {
    const owner = await createUser(auth, {
      email: 'w@example.org',
      name: 'W',
      password: 'worker-password',
      role: 'operator',
    });
    const created = await createApiToken(auth, {
      userId: owner.id,
      name: 'gpu-worker',
      scopes: ['worker', 'read'],
    });
    expect(created.token).toMatch(/^em_/);

    const stored = await db.current.connection.collection('apikey').findOne({});
    expect(JSON.stringify(stored)).not.toContain(created.token);

    const bearer = new Headers({ authorization: `Bearer ${created.token}` });
    expect(await authenticate(auth, bearer)).toMatchObject({
      via: 'token',
      actor: { userId: owner.id, role: 'operator' },
      scopes: ['worker', 'read'],
      tokenId: created.id,
    });
    const [listed] = await listApiTokens(auth, { userId: owner.id });
    expect(listed).toMatchObject({ id: created.id, name: 'gpu-worker', enabled: true });
    expect(listed?.lastUsedAt).toBeInstanceOf(Date);

    await revokeApiToken(auth, created.id);
    expect(await authenticate(auth, bearer)).toBeNull();
    expect(await authenticate(auth, new Headers({ 'x-api-key': 'em_not-a-real-token' }))).toBeNull();
  });

  it('a reused token costs one read: no last-use write, yet a revocation by another process is refused at once', async () => {
    const owner = await createUser(auth, { email: 'c@example.org', name: 'C', password: 'cached-password', role: 'operator' });
    const created = await createApiToken(auth, { userId: owner.id, name: 'cached', scopes: ['worker'] });
    const bearer = new Headers({ authorization: `Bearer ${created.token}` });
    const keys = db.current.connection.collection('apikey');

    expect(await authenticate(auth, bearer)).toMatchObject({ tokenId: created.id, scopes: ['worker'] });
    const afterVerify = await keys.findOne({ name: 'cached' });
    expect(await authenticate(auth, bearer)).toMatchObject({ tokenId: created.id });
    const afterReuse = await keys.findOne({ name: 'cached' });
    expect(afterReuse?.['updatedAt']).toEqual(afterVerify?.['updatedAt']);
    expect(afterReuse?.['requestCount']).toEqual(afterVerify?.['requestCount']);

    // Another process (the CLI, a second server) disables the key straight in the database.
    await keys.updateOne({ name: 'cached' }, { $set: { enabled: false } });
    expect(await authenticate(auth, bearer)).toBeNull();
    await keys.updateOne({ name: 'cached' }, { $set: { enabled: true } });
    expect(await authenticate(auth, bearer)).toMatchObject({ tokenId: created.id });
    await setUserRole(auth, owner.id, 'viewer');
    expect(await authenticate(auth, bearer)).toMatchObject({ actor: { role: 'viewer' } });
    await keys.updateOne({ name: 'cached' }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await authenticate(auth, bearer)).toBeNull();
  });

  it('verifies every request when the token cache is off', async () => {
    const owner = await createUser(auth, { email: 'u@example.org', name: 'U', password: 'uncached-password', role: 'operator' });
    const created = await createApiToken(auth, { userId: owner.id, name: 'uncached', scopes: ['read'] });
    const bearer = new Headers({ authorization: `Bearer ${created.token}` });
    const keys = db.current.connection.collection('apikey');
    await authenticate(auth, bearer, { tokenCacheMs: 0 });
    const first = await keys.findOne({ name: 'uncached' });
    await authenticate(auth, bearer, { tokenCacheMs: 0 });
    const second = await keys.findOne({ name: 'uncached' });
    expect(second?.['requestCount']).toBe((first?.['requestCount'] as number) + 1);
  });

  it('a verification lost to a database that went away and came back is repeated, not answered 401', async () => {
    const owner = await createUser(auth, { email: 'lost@example.org', name: 'L', password: 'lost-read-password', role: 'operator' });
    const created = await createApiToken(auth, { userId: owner.id, name: 'lost-read', scopes: ['worker'] });
    // What better-auth answers when its read of the key fails (the server was killed mid-request):
    // INVALID_API_KEY, as for an unknown key. The database itself is real and answers the probe.
    const calls: string[] = [];
    const lostOnce: KeyVerifier = async (key) => {
      calls.push(key);
      if (calls.length === 1) return { valid: false, error: { code: 'INVALID_API_KEY', message: 'Invalid API key.' }, key: null };
      return auth.api.verifyApiKey({ body: { key } });
    };
    const verified = await verifyToken(auth, created.token, lostOnce);
    expect(verified?.principal).toMatchObject({ actor: { userId: owner.id }, via: 'token', scopes: ['worker'] });
    expect(calls).toHaveLength(2);

    // A key that really is unknown is still refused, after the one repeat.
    calls.length = 0;
    expect(await verifyToken(auth, 'em_unknown-key-unknown-key-unknown', lostOnce)).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it("a token never exceeds its user's role: a viewer's write token only reads", async () => {
    const viewer = await createUser(auth, {
      email: 'v2@example.org',
      name: 'V2',
      password: 'viewer-password',
      role: 'viewer',
    });
    const token = await createApiToken(auth, {
      userId: viewer.id,
      name: 'script',
      scopes: ['read', 'write'],
    });
    const principal = await authenticate(auth, new Headers({ authorization: `Bearer ${token.token}` }));
    expect(principal?.scopes).toEqual(['read']);
  });

  it("serves only the app's better-auth routes: a token's owner cannot re-enable, extend, mint or delete tokens", async () => {
    const owner = await createUser(auth, { email: 'keys@example.org', name: 'K', password: 'owner-password', role: 'viewer' });
    const revoked = await createApiToken(auth, { userId: owner.id, name: 'revoked', scopes: ['read'] });
    await revokeApiToken(auth, revoked.id);
    const expiring = await createApiToken(auth, { userId: owner.id, name: 'expiring', scopes: ['read'], expiresInDays: 1 });
    const session = cookieHeaders(await signIn(auth, 'keys@example.org', 'owner-password', '10.0.0.40'));
    const call = (path: string, body?: unknown) => {
      const headers = new Headers(session);
      headers.set('origin', BASE);
      if (body !== undefined) headers.set('content-type', 'application/json');
      return handleAuthRequest(
        auth,
        new Request(`${BASE}/api/auth${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
    };

    const answers = [
      await call('/api-key/update', { keyId: revoked.id, enabled: true }),
      await call('/api-key/update', { keyId: expiring.id, expiresIn: null }),
      await call('/api-key/create', { name: 'minted' }),
      await call('/api-key/delete', { keyId: expiring.id }),
      await call('/api-key/list'),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    const tokens = await listApiTokens(auth, { userId: owner.id });
    expect(tokens.map((t) => [t.name, t.enabled, t.expiresAt !== null])).toEqual([
      ['expiring', true, true],
      ['revoked', false, false],
    ]);
    expect(await authenticate(auth, new Headers({ authorization: `Bearer ${revoked.token}` }))).toBeNull();
    // verifyApiKey still works in process.
    expect(await authenticate(auth, new Headers({ authorization: `Bearer ${expiring.token}` }))).toMatchObject({ tokenId: expiring.id });
    // The session route the app uses is served.
    expect((await call('/get-session')).status).toBe(200);
  });

  it('lists every better-auth endpoint it knows, and answers 404 for each one it does not serve', async () => {
    const endpoints = authEndpoints(auth);
    expect(endpoints.map((e) => e.name)).toEqual(expect.arrayContaining(['signInEmail', 'createApiKey', 'updateApiKey', 'verifyApiKey']));
    const unserved = endpoints.filter((e) => e.path && !Object.hasOwn(SERVED_AUTH_ENDPOINTS, e.path));
    expect(unserved.length).toBeGreaterThan(25);
    for (const endpoint of unserved) {
      for (const method of endpoint.methods) {
        const path = (endpoint.path as string).replace(/:(\w+)/g, 'x');
        const response = await handleAuthRequest(auth, new Request(`${BASE}/api/auth${path}`, { method, headers: { origin: BASE } }));
        expect([endpoint.name, method, response.status]).toEqual([endpoint.name, method, 404]);
      }
    }
  });

  it('trusts X-User-ID only when the proxy mode is on', async () => {
    const headers = new Headers({ 'x-user-id': 'proxy-user', 'x-user-role': 'viewer' });
    expect(await authenticate(auth, headers)).toBeNull();
    expect(await authenticate(auth, headers, { trustProxyUserHeader: true })).toMatchObject({
      via: 'proxy',
      actor: { userId: 'proxy-user', role: 'viewer' },
    });
  });

  it('refuses a proxy user id whose user record is deactivated, and takes an unknown id as given', async () => {
    const known = await createUser(auth, { email: 'proxied@example.com', password: 'proxied-password-1', name: 'Proxied', role: 'operator' });
    const other = await createUser(auth, { email: 'proxy-admin@example.com', password: 'proxy-admin-password-1', name: 'Admin', role: 'admin' });
    const headers = new Headers({ 'x-user-id': known.id, 'x-user-role': 'viewer' });
    const options = { trustProxyUserHeader: true };
    expect(await authenticate(auth, headers, options)).toMatchObject({ via: 'proxy', actor: { userId: known.id } });
    await setUserActive(auth, other.id, known.id, false);
    expect(await authenticate(auth, headers, options)).toBeNull();
    await setUserActive(auth, other.id, known.id, true);
    expect(await authenticate(auth, headers, options)).toMatchObject({ via: 'proxy', actor: { userId: known.id } });
    // Not a user of ours (nor an ObjectId): the proxy's word is taken.
    const unknown = new Headers({ 'x-user-id': 'sso:someone@corp' });
    expect(await authenticate(auth, unknown, options)).toMatchObject({ via: 'proxy', actor: { userId: 'sso:someone@corp', role: 'operator' } });
  });
});

describe('authentication while the database is down', () => {
  const OUTAGE_BASE = 'http://127.0.0.1:1';
  it('throws a database error for a token or a session (the doors answer 503) instead of calling it invalid (401) or failing (500)', async () => {
    const server = await startEmbeddedMongo({});
    const connection = await connectMongoose({ uri: server.uri, dbName: 'auth_outage', serverSelectionTimeoutMS: 1_000 });
    try {
      const outageAuth = createAuth({
        db: connection.getClient().db('auth_outage'),
        secret: 'outage-secret-outage-secret-outage-secret',
        baseURL: OUTAGE_BASE,
        secureCookies: false,
        quiet: true,
      });
      const user = await createUser(outageAuth, { email: 'w@example.org', name: 'W', password: 'worker-password', role: 'operator' });
      const { token } = await createApiToken(outageAuth, { userId: user.id, name: 'w', scopes: ['worker'] });
      const headers = new Headers({ authorization: `Bearer ${token}` });
      expect((await authenticate(outageAuth, headers))?.via).toBe('token');
      const signedIn = await signIn(outageAuth, 'w@example.org', 'worker-password', '10.0.0.9', OUTAGE_BASE);
      expect(signedIn.status).toBe(200);
      const session = cookieHeaders(signedIn);
      expect((await authenticate(outageAuth, session))?.via).toBe('session');

      process.kill(server.pid, 'SIGKILL');
      await server.stop();
      const error = await authenticate(outageAuth, headers).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
      // better-auth answers a failed session read with a 500 of its own; the outage shows through.
      const sessionError = await authenticate(outageAuth, session).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(sessionError)).toBe(true);
    } finally {
      await connection.close();
      await server.stop();
    }
  });
});
