import { useTestDatabase } from '@event-monitor/testing';
import { SharedCounters, sweepExpiredCounters, RATE_LIMITS_COLLECTION } from './shared-counters';
import { SignInLimiter, type SignInLimits } from './sign-in-limit';

const attacker = (email: string, client: string) => ({ email, client, knownDevice: false });

// The limiter counts in the database; `now` is given, so windows start at 0 (1970) and each test
// uses accounts and clients of its own.
describe('SignInLimiter', () => {
  const db = useTestDatabase();
  const limiterOf = (limits: Partial<SignInLimits>) =>
    new SignInLimiter(new SharedCounters(db.current.connection.getClient().db(db.current.dbName)), limits);
  it('limits one client on one account, case-insensitively, and not the same client on another account', async () => {
    const limiter = limiterOf({ perClientAndAccount: 2, windowMs: 1_000 });
    expect((await limiter.attempt(attacker('A@example.org', '10.0.0.1'), 0)).allowed).toBe(true);
    expect((await limiter.attempt(attacker('a@example.org ', '10.0.0.1'), 10)).allowed).toBe(true);
    expect((await limiter.attempt(attacker('a@example.org', '10.0.0.1'), 20))).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.attempt(attacker('a@example.org', '10.0.0.2'), 20)).allowed).toBe(true);
    expect((await limiter.attempt(attacker('b@example.org', '10.0.0.1'), 20)).allowed).toBe(true);
    // Just after the window's edge the previous window still counts (sliding, not fixed: a fixed
    // window would let this through and allow twice the limit within one window's time).
    expect((await limiter.attempt(attacker('a@example.org', '10.0.0.1'), 1_011)).allowed).toBe(false);
    // A window later only that refused attempt remains, weighted 0.989: 1 + 0.989 <= 2.
    expect((await limiter.attempt(attacker('a@example.org', '10.0.0.1'), 2_011)).allowed).toBe(true);
  });

  it('limits one client over all accounts (credential stuffing)', async () => {
    const limiter = limiterOf({ perClient: 3 });
    const verdicts: boolean[] = [];
    for (const name of ['a', 'b', 'c', 'd']) verdicts.push((await limiter.attempt(attacker(`${name}@x.org`, '10.0.1.1'), 0)).allowed);
    expect(verdicts).toEqual([true, true, true, false]);
    expect((await limiter.attempt({ email: 'd@x.org', client: '10.0.1.1', knownDevice: true }, 0)).allowed).toBe(true);
  });

  it('after many failures on an account, new clients wait growing turns (never a flat refusal), the known device does not', async () => {
    const limiter = limiterOf({ freeFailures: 3, firstDelayMs: 1_000, maxDelayMs: 4_000, maxWaitMs: 10_000 });
    for (let i = 0; i < 3; i += 1) {
      expect((await limiter.attempt(attacker('admin@x.org', `10.9.0.${i}`), 0))).toEqual({ allowed: true, waitMs: 0 });
      await limiter.failed('admin@x.org', 0);
    }
    // Three failures: turns 1 s apart; each further failure doubles the spacing, up to 4 s.
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.1'), 0))).toEqual({ allowed: true, waitMs: 0 });
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.2'), 0))).toEqual({ allowed: true, waitMs: 1_000 });
    await limiter.failed('admin@x.org', 0);
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.3'), 0))).toEqual({ allowed: true, waitMs: 2_000 });
    await limiter.failed('admin@x.org', 0);
    await limiter.failed('admin@x.org', 0);
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.4'), 0))).toEqual({ allowed: true, waitMs: 4_000 });
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.5'), 0))).toEqual({ allowed: true, waitMs: 8_000 });
    // A turn more than maxWait away: 429 with the time to wait.
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.6'), 0))).toMatchObject({ allowed: false, retryAfterSeconds: 12 });
    // The owner's browser: no queue.
    expect((await limiter.attempt({ email: 'admin@x.org', client: '10.9.1.7', knownDevice: true }, 0))).toEqual({ allowed: true, waitMs: 0 });
    // Other accounts are not affected.
    expect((await limiter.attempt(attacker('op@x.org', '10.9.1.8'), 0))).toEqual({ allowed: true, waitMs: 0 });
    // Failures age out: at the next failure window's start they still count (sliding: a second
    // client at the same instant waits its turn), a window later they do not (no wait at all).
    const late = 15 * 60_000;
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.9'), late))).toEqual({ allowed: true, waitMs: 0 });
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.10'), late))).toEqual({ allowed: true, waitMs: 4_000 });
    const later = 30 * 60_000;
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.11'), later))).toEqual({ allowed: true, waitMs: 0 });
    expect((await limiter.attempt(attacker('admin@x.org', '10.9.1.12'), later))).toEqual({ allowed: true, waitMs: 0 });
  });

  it('keeps its counts in expiring documents: a TTL index for MongoDB, the sweep for the embedded server', async () => {
    const mongoDb = db.current.connection.getClient().db(db.current.dbName);
    const limiter = limiterOf({});
    const now = Date.now();
    await limiter.attempt(attacker('swept@x.org', '10.0.2.1'), now);
    const counts = mongoDb.collection(RATE_LIMITS_COLLECTION);
    const indexes = await counts.indexes();
    expect(indexes.find((index) => index.key['expires_at'] === 1)).toMatchObject({ expireAfterSeconds: 0 });
    const before = await counts.countDocuments({ _id: { $regex: '10\\.0\\.2\\.1' } as never });
    expect(before).toBe(2); // the client-and-account and the client windows
    // Nothing is due yet, nor a minute later (the next window still weighs them); two minutes later both go.
    await sweepExpiredCounters(mongoDb, new Date(now));
    expect(await counts.countDocuments({ _id: { $regex: '10\\.0\\.2\\.1' } as never })).toBe(2);
    await sweepExpiredCounters(mongoDb, new Date(now + 60_000));
    expect(await counts.countDocuments({ _id: { $regex: '10\\.0\\.2\\.1' } as never })).toBe(2);
    await sweepExpiredCounters(mongoDb, new Date(now + 121_000));
    expect(await counts.countDocuments({ _id: { $regex: '10\\.0\\.2\\.1' } as never })).toBe(0);
  });
});
