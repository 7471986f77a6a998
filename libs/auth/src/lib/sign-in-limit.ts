// A second sign-in limit, per account: the per-IP limit of better-auth keys on X-Forwarded-For,
// which a client can set itself when no proxy overwrites it, so guessing one account's password
// from "many addresses" must still hit a wall.

/** Attempts per account and window, in process (one web server; several servers each count their own). */
export class SignInLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly maxAttempts: number,
    private readonly windowMs = 60_000,
    /** Accounts tracked at most; the oldest are forgotten first, so memory stays bounded. */
    private readonly maxAccounts = 10_000,
  ) {}

  /** Records an attempt for `email`; false when the account has used up its attempts in the window. */
  attempt(email: string, now = Date.now()): boolean {
    const key = email.trim().toLowerCase();
    const recent = (this.attempts.get(key) ?? []).filter((at) => now - at < this.windowMs);
    const allowed = recent.length < this.maxAttempts;
    if (allowed) recent.push(now);
    this.attempts.delete(key); // re-insert: the map's order is the order of last use
    this.attempts.set(key, recent);
    if (this.attempts.size > this.maxAccounts) {
      const oldest = this.attempts.keys().next().value;
      if (oldest !== undefined) this.attempts.delete(oldest);
    }
    return allowed;
  }
}
