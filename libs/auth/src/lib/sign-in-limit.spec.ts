import { SignInLimiter } from './sign-in-limit';

const attacker = (email: string, client: string) => ({ email, client, knownDevice: false });

describe('SignInLimiter', () => {
  it('limits one client on one account, case-insensitively, and not the same client on another account', () => {
    const limiter = new SignInLimiter({ perClientAndAccount: 2, windowMs: 1_000 });
    expect(limiter.attempt(attacker('A@example.org', '10.0.0.1'), 0).allowed).toBe(true);
    expect(limiter.attempt(attacker('a@example.org ', '10.0.0.1'), 10).allowed).toBe(true);
    expect(limiter.attempt(attacker('a@example.org', '10.0.0.1'), 20)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.attempt(attacker('a@example.org', '10.0.0.2'), 20).allowed).toBe(true);
    expect(limiter.attempt(attacker('b@example.org', '10.0.0.1'), 20).allowed).toBe(true);
    expect(limiter.attempt(attacker('a@example.org', '10.0.0.1'), 1_011).allowed).toBe(true);
  });

  it('limits one client over all accounts (credential stuffing)', () => {
    const limiter = new SignInLimiter({ perClient: 3 });
    const verdicts = ['a', 'b', 'c', 'd'].map((name) => limiter.attempt(attacker(`${name}@x.org`, '10.0.0.1'), 0).allowed);
    expect(verdicts).toEqual([true, true, true, false]);
    expect(limiter.attempt({ email: 'd@x.org', client: '10.0.0.1', knownDevice: true }, 0).allowed).toBe(true);
  });

  it('after many failures on an account, new clients wait growing turns (never a flat refusal), the known device does not', () => {
    const limiter = new SignInLimiter({ freeFailures: 3, firstDelayMs: 1_000, maxDelayMs: 4_000, maxWaitMs: 10_000 });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.attempt(attacker('admin@x.org', `10.9.0.${i}`), 0)).toEqual({ allowed: true, waitMs: 0 });
      limiter.failed('admin@x.org', 0);
    }
    // Three failures: turns 1 s apart; each further failure doubles the spacing, up to 4 s.
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.1'), 0)).toEqual({ allowed: true, waitMs: 0 });
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.2'), 0)).toEqual({ allowed: true, waitMs: 1_000 });
    limiter.failed('admin@x.org', 0);
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.3'), 0)).toEqual({ allowed: true, waitMs: 2_000 });
    limiter.failed('admin@x.org', 0);
    limiter.failed('admin@x.org', 0);
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.4'), 0)).toEqual({ allowed: true, waitMs: 4_000 });
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.5'), 0)).toEqual({ allowed: true, waitMs: 8_000 });
    // A turn more than maxWait away: 429 with the time to wait.
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.6'), 0)).toMatchObject({ allowed: false, retryAfterSeconds: 12 });
    // The owner's browser: no queue.
    expect(limiter.attempt({ email: 'admin@x.org', client: '10.9.1.7', knownDevice: true }, 0)).toEqual({ allowed: true, waitMs: 0 });
    // Other accounts are not affected.
    expect(limiter.attempt(attacker('op@x.org', '10.9.1.8'), 0)).toEqual({ allowed: true, waitMs: 0 });
    // Failures age out after the failure window.
    expect(limiter.attempt(attacker('admin@x.org', '10.9.1.9'), 15 * 60_000)).toEqual({ allowed: true, waitMs: 0 });
  });

  it('forgets the least recently used keys past its size', () => {
    const limiter = new SignInLimiter({ perClientAndAccount: 1 }, 2);
    expect(limiter.attempt(attacker('a@x.org', 'c'), 0).allowed).toBe(true);
    expect(limiter.attempt(attacker('b@x.org', 'c'), 0).allowed).toBe(true);
    expect(limiter.attempt(attacker('c@x.org', 'c'), 0).allowed).toBe(true); // a is forgotten
    expect(limiter.attempt(attacker('a@x.org', 'c'), 1).allowed).toBe(true);
    expect(limiter.attempt(attacker('c@x.org', 'c'), 1).allowed).toBe(false);
  });
});
