// A live stream re-checks its caller at every heartbeat (ctx.revalidate, the door's authentication
// on the request's headers): it ends once the user is deactivated, signs out or the token is
// revoked. Real better-auth sessions and tokens on the test database, a short injected heartbeat.
import { TRPCError } from '@trpc/server';
import { authenticate, createAuth, createUser, handleAuthRequest, revokeApiToken, type EventMonitorAuth, type Principal } from '@event-monitor/auth';
import { createBatch, createChangeFeed, createDomainModels, ensureIndexes, type ChangeFeed, type DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from '../root';
import { createContextInner } from '../trpc';

const BASE = 'http://localhost:3999';
const HEARTBEAT_MS = 200;
/** One heartbeat plus the check's round trips and the loaded machine's slack. */
const ENDS_WITHIN_MS = HEARTBEAT_MS + 1_300;
const job = { job_type: 'live', parameters: { event: 'E', session: 'S' } };
let addresses = 0;

describe('live.changes ends when its caller is gone (revalidated at every heartbeat)', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  let feed: ChangeFeed;
  let admin: Principal;
  let users = 0;

  const asAdmin = () => createCaller(createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal: admin }));

  function authRequest(method: string, path: string, init: { cookie?: string; body?: unknown } = {}) {
    const headers = new Headers({ origin: BASE, 'x-forwarded-for': `10.8.0.${++addresses}`, 'content-type': 'application/json' });
    if (init.cookie) headers.set('cookie', init.cookie);
    return handleAuthRequest(auth, new Request(`${BASE}/api/auth${path}`, { method, headers, body: JSON.stringify(init.body ?? {}) }));
  }

  /** A new operator, signed in: their id and session cookie. */
  async function signedInUser(): Promise<{ id: string; cookie: string }> {
    const n = ++users;
    const user = await createUser(auth, { email: `live${n}@example.org`, name: `Live ${n}`, password: 'live-password-1', role: 'operator' });
    const response = await authRequest('POST', '/sign-in/email', { body: { email: user.email, password: 'live-password-1' } });
    expect(response.status).toBe(200);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { id: user.id, cookie };
  }

  /** Opens the stream as the door does: the principal of `headers`, and the same check again on demand. */
  async function open(headers: Headers) {
    const principal = await authenticate(auth, headers);
    expect(principal).not.toBeNull();
    const controller = new AbortController();
    const caller = createCaller(
      createContextInner({
        getDomain: async () => domain,
        getAuth: async () => auth,
        getChangeFeed: () => feed,
        principal,
        revalidate: () => authenticate(auth, headers),
        liveHeartbeatMs: HEARTBEAT_MS,
      }),
      { signal: controller.signal },
    );
    const iterable = (await caller.live.changes({})) as AsyncIterable<unknown>;
    let count = 0;
    const done = (async () => {
      const iterator = iterable[Symbol.asyncIterator]();
      while (!(await iterator.next()).done) count++;
    })();
    const outcome = done.then(
      () => 'ended' as const,
      (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
    );
    /** How the stream ended within `ms`, or 'running'. */
    const endedWithin = async (ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      const running = new Promise<'running'>((resolve) => (timer = setTimeout(() => resolve('running'), ms)));
      try {
        return await Promise.race([outcome, running]);
      } finally {
        clearTimeout(timer);
      }
    };
    return { controller, endedWithin, received: () => count };
  }

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    const mongoDb = db.current.connection.getClient().db(db.current.dbName);
    auth = createAuth({ db: mongoDb, secret: 's'.repeat(40), baseURL: BASE, secureCookies: false, quiet: true });
    feed = createChangeFeed(domain, { mode: 'polling', pollIntervalMs: 100 });
    const adminUser = await createUser(auth, { email: 'live-admin@example.org', name: 'Admin', password: 'admin-password-1', role: 'admin' });
    admin = { actor: { userId: adminUser.id, role: 'admin' }, via: 'session', scopes: ['read', 'write'] };
  });
  afterAll(async () => {
    await feed.close();
  });

  it("keeps an active user's stream running, with heartbeats", async () => {
    const user = await signedInUser();
    const live = await open(new Headers({ cookie: user.cookie }));
    try {
      expect(await live.endedWithin(HEARTBEAT_MS * 6)).toBe('running');
      expect(live.received()).toBeGreaterThanOrEqual(3);
    } finally {
      live.controller.abort();
    }
  });

  it('ends with UNAUTHORIZED within a heartbeat after the user is deactivated', async () => {
    const user = await signedInUser();
    const live = await open(new Headers({ cookie: user.cookie }));
    try {
      expect(await live.endedWithin(HEARTBEAT_MS * 2)).toBe('running');
      await asAdmin().user.setActive({ user_id: user.id, active: false });
      expect(await live.endedWithin(ENDS_WITHIN_MS)).toBe('UNAUTHORIZED');
    } finally {
      live.controller.abort();
    }
  });

  it('ends after sign-out (the session is deleted)', async () => {
    const user = await signedInUser();
    const live = await open(new Headers({ cookie: user.cookie }));
    try {
      expect(await live.endedWithin(HEARTBEAT_MS * 2)).toBe('running');
      expect((await authRequest('POST', '/sign-out', { cookie: user.cookie })).status).toBe(200);
      expect(await live.endedWithin(ENDS_WITHIN_MS)).toBe('UNAUTHORIZED');
    } finally {
      live.controller.abort();
    }
  });

  it('ends a token stream after the token is revoked', async () => {
    const user = await signedInUser();
    const { token } = await asAdmin().token.create({ name: 'live ci', scopes: ['read'], user_id: user.id });
    const headers = new Headers({ authorization: `Bearer ${token}` });
    const live = await open(headers);
    try {
      expect(await live.endedWithin(HEARTBEAT_MS * 2)).toBe('running');
      const tokenId = (await authenticate(auth, headers))?.tokenId as string;
      await revokeApiToken(auth, tokenId);
      expect(await live.endedWithin(ENDS_WITHIN_MS)).toBe('UNAUTHORIZED');
    } finally {
      live.controller.abort();
    }
  });

  it('ends a busy stream too (changes come faster than heartbeats: checked before sending)', async () => {
    const user = await signedInUser();
    const live = await open(new Headers({ cookie: user.cookie }));
    const stop = new AbortController();
    // The user's own batches, one every 50 ms: the stream is never quiet long enough for a heartbeat.
    const writer = (async () => {
      while (!stop.signal.aborted) {
        await createBatch(domain, { userId: user.id, role: 'operator' }, { jobs: [job] });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      expect(await live.endedWithin(HEARTBEAT_MS * 3)).toBe('running');
      await asAdmin().user.setActive({ user_id: user.id, active: false });
      const receivedAtDeactivation = live.received();
      expect(await live.endedWithin(ENDS_WITHIN_MS)).toBe('UNAUTHORIZED');
      expect(receivedAtDeactivation).toBeGreaterThan(0);
    } finally {
      stop.abort();
      live.controller.abort();
      await writer;
    }
  });
});
