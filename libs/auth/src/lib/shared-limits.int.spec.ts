import type { Db } from 'mongodb';
import { useTestDatabase } from '@event-monitor/testing';
import { createAuth, type EventMonitorAuth } from './auth';
import { createUser } from './accounts';
import { authenticate } from './authenticate';
import { RateLimitedError } from './errors';
import { createApiToken, revokeApiToken } from './tokens';

const BASE = 'http://localhost:3998';

async function signIn(auth: EventMonitorAuth, email: string, password: string, ip: string): Promise<Response> {
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: BASE, 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

// Two auth instances on one database stand for two app processes: each has its own memory (token
// cache, anything kept in process), and only the database is shared between them.

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

describe('limits shared by several app processes on one database', () => {
  const db = useTestDatabase();
  let mongoDb: Db;
  let first: EventMonitorAuth;
  let second: EventMonitorAuth;

  const instance = (options: Partial<Parameters<typeof createAuth>[0]> = {}) =>
    createAuth({ db: mongoDb, secret: 's'.repeat(40), baseURL: BASE, secureCookies: false, quiet: true, ...options });

  beforeAll(() => {
    mongoDb = db.current.connection.getClient().db(db.current.dbName);
    first = instance({ signInAttemptsPerMinute: 5 });
    second = instance({ signInAttemptsPerMinute: 5 });
  });

  it('a client gets the same number of sign-in attempts on an account whichever process answers', async () => {
    await awayFromWindowEdge(60_000, 20_000);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const auth = i % 2 === 0 ? first : second;
      statuses.push((await signIn(auth, 'target@example.org', 'wrong-password!', '10.1.0.1')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Another client on the same account is not refused, on either process.
    expect((await signIn(second, 'target@example.org', 'wrong-password!', '10.1.0.2')).status).toBe(401);
  });

  it('the per-client limit over all accounts holds across processes', async () => {
    const a = instance({ signInLimits: { perClient: 4 } });
    const b = instance({ signInLimits: { perClient: 4 } });
    await awayFromWindowEdge(60_000, 20_000);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await signIn(i % 2 === 0 ? a : b, `user-${i}@example.org`, 'wrong-password!', '10.1.1.1')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('failures counted on one process make new clients queue on the other', async () => {
    const limits = { freeFailures: 3, firstDelayMs: 1_500, maxDelayMs: 1_500, maxWaitMs: 10_000 };
    const a = instance({ signInLimits: limits });
    const b = instance({ signInLimits: limits });
    await createUser(a, { email: 'queued@example.org', name: 'Q', password: 'queued-password', role: 'operator' });
    await awayFromWindowEdge(15 * 60_000, 30_000);
    for (let i = 0; i < 3; i += 1) {
      expect((await signIn(a, 'queued@example.org', 'wrong-password!', `10.1.2.${i}`)).status).toBe(401);
    }
    // Two strangers at the same time, one on each process: turns 0 and 1.5 s, shared.
    const timed = async (auth: EventMonitorAuth, ip: string) => {
      const started = Date.now();
      const response = await signIn(auth, 'queued@example.org', 'wrong-password!', ip);
      return { status: response.status, ms: Date.now() - started };
    };
    const answers = await Promise.all([timed(a, '10.1.3.1'), timed(b, '10.1.3.2')]);
    expect(answers.map((x) => x.status)).toEqual([401, 401]);
    const [fast, slow] = answers.map((x) => x.ms).sort((x, y) => x - y);
    expect(slow).toBeGreaterThanOrEqual(1_400);
    expect((slow as number) - (fast as number)).toBeGreaterThanOrEqual(1_000);
  });

  it("a token's request limit counts its requests on every process", async () => {
    const owner = await createUser(first, { email: 'w@example.org', name: 'W', password: 'worker-password', role: 'operator' });
    const created = await createApiToken(first, { userId: owner.id, name: 'limited', scopes: ['worker'] });
    // The key's own limit, as better-auth stores it on the key: 6 requests a minute.
    await db.current.connection.collection('apikey').updateOne({ name: 'limited' }, { $set: { rateLimitMax: 6 } });
    const bearer = new Headers({ authorization: `Bearer ${created.token}` });
    await awayFromWindowEdge(60_000, 15_000);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      try {
        await authenticate(i % 2 === 0 ? first : second, bearer);
        outcomes.push('ok');
      } catch (error) {
        outcomes.push(error instanceof RateLimitedError ? 'limited' : String(error));
      }
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'limited', 'limited']);
  });

  it('a token revoked through one process is refused by the other at once, although that one has it cached', async () => {
    const owner = await createUser(first, { email: 'r@example.org', name: 'R', password: 'revoked-password', role: 'operator' });
    const created = await createApiToken(first, { userId: owner.id, name: 'revoked', scopes: ['worker'] });
    const bearer = new Headers({ authorization: `Bearer ${created.token}` });
    expect(await authenticate(second, bearer)).toMatchObject({ tokenId: created.id });
    expect(await authenticate(first, bearer)).toMatchObject({ tokenId: created.id });
    await revokeApiToken(first, created.id);
    expect(await authenticate(second, bearer)).toBeNull();
    expect(await authenticate(first, bearer)).toBeNull();
  });
});
