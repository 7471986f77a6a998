import { SignInLimiter } from './sign-in-limit';

describe('SignInLimiter', () => {
  it('allows max attempts per account and window, case-insensitively, then again after the window', () => {
    const limiter = new SignInLimiter(2, 1_000);
    expect(limiter.attempt('A@example.org', 0)).toBe(true);
    expect(limiter.attempt('a@example.org ', 10)).toBe(true);
    expect(limiter.attempt('a@example.org', 20)).toBe(false);
    expect(limiter.attempt('b@example.org', 20)).toBe(true);
    expect(limiter.attempt('a@example.org', 1_011)).toBe(true);
  });

  it('forgets the least recently used accounts past its size', () => {
    const limiter = new SignInLimiter(1, 60_000, 2);
    expect(limiter.attempt('a@x.org', 0)).toBe(true);
    expect(limiter.attempt('b@x.org', 0)).toBe(true);
    expect(limiter.attempt('c@x.org', 0)).toBe(true); // a is forgotten
    expect(limiter.attempt('a@x.org', 1)).toBe(true);
    expect(limiter.attempt('c@x.org', 1)).toBe(false);
  });
});
