// The sign-in throttle. A flat limit per account is a lockout switch: anyone who knows an email
// can make the right password answer 429 by sending wrong ones. So the limits key on who tries:
//
//   per client and account   10 attempts a minute, then 429 for that client on that account only
//   per client               30 attempts a minute over all accounts (credential stuffing), then 429
//   per account              from the 10th failure in 15 minutes on, attempts from clients that are
//                            not known to the account wait their turn: one every 1 s, 2 s, 4 s, ...
//                            up to 30 s apart (doubling per further failure). A request is held,
//                            not refused, while its turn is less than 30 s away; only past that it
//                            gets 429 with Retry-After. Parallel requests share the turns, so the
//                            guessing rate on an account is bounded whatever the number of clients.
//   known client             a browser that signed in to the account before carries a signed device
//                            cookie naming it (OWASP "device cookies"): it skips the per-account
//                            queue and the per-client limit, and has its own 10 a minute. An attack
//                            on the account never refuses or slows its owner's browser.
//
// "Client" is the address the server saw: server.mjs replaces X-Forwarded-For with the socket's
// address unless TRUST_PROXY=true (then a proxy in front must set the header itself).
// In process: one web server; several servers each count their own.

export interface SignInLimits {
  perClientAndAccount: number;
  perClient: number;
  /** Failures on an account (15 minutes) before unknown clients queue. */
  freeFailures: number;
  windowMs: number;
  failureWindowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** The longest a request is held for its turn; later turns get 429. */
  maxWaitMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perClientAndAccount: 10,
  perClient: 30,
  freeFailures: 10,
  windowMs: 60_000,
  failureWindowMs: 15 * 60_000,
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxWaitMs: 30_000,
};

export interface SignInAttempt {
  email: string;
  client: string;
  /** The request carries this account's device cookie. */
  knownDevice: boolean;
}

export type SignInVerdict = { allowed: true; waitMs: number } | { allowed: false; retryAfterSeconds: number; reason: string };

/** Timestamps per key inside a window, least recently used keys forgotten past `maxKeys`. */
class WindowCounter {
  private readonly entries = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  count(key: string, now: number): number {
    const recent = (this.entries.get(key) ?? []).filter((at) => now - at < this.windowMs);
    this.touch(key, recent);
    return recent.length;
  }

  /** Seconds until the oldest entry leaves the window. */
  retryAfter(key: string, now: number): number {
    const oldest = this.entries.get(key)?.[0] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  add(key: string, now: number): void {
    const recent = (this.entries.get(key) ?? []).filter((at) => now - at < this.windowMs);
    recent.push(now);
    this.touch(key, recent);
  }

  private touch(key: string, value: number[]): void {
    this.entries.delete(key); // re-insert: the map's order is the order of last use
    this.entries.set(key, value);
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

/** The sign-in throttle described above; `attempt` before checking a password, `failed` after a wrong one. */
export class SignInLimiter {
  private readonly limits: SignInLimits;
  private readonly byClientAccount: WindowCounter;
  private readonly byClient: WindowCounter;
  private readonly failures: WindowCounter;
  /** Per account under attack: when the next unknown client's turn is. */
  private readonly nextTurn = new Map<string, number>();

  constructor(
    limits: Partial<SignInLimits> = {},
    /** Keys tracked at most per table; the least recently used are forgotten first. */
    private readonly maxKeys = 10_000,
  ) {
    this.limits = { ...DEFAULT_SIGN_IN_LIMITS, ...limits };
    this.byClientAccount = new WindowCounter(this.limits.windowMs, maxKeys);
    this.byClient = new WindowCounter(this.limits.windowMs, maxKeys);
    this.failures = new WindowCounter(this.limits.failureWindowMs, maxKeys);
  }

  /** Records an attempt and says whether it may go on (after waiting `waitMs`) or is refused. */
  attempt(input: SignInAttempt, now = Date.now()): SignInVerdict {
    const account = normalise(input.email);
    const pairKey = `${input.knownDevice ? 'device' : `client:${input.client}`}\n${account}`;
    if (this.byClientAccount.count(pairKey, now) >= this.limits.perClientAndAccount) {
      return refuse(this.byClientAccount.retryAfter(pairKey, now), 'Too many sign-in attempts for this account from here; try again in a minute.');
    }
    if (!input.knownDevice && this.byClient.count(input.client, now) >= this.limits.perClient) {
      return refuse(this.byClient.retryAfter(input.client, now), 'Too many sign-in attempts from here; try again in a minute.');
    }
    let waitMs = 0;
    if (!input.knownDevice) {
      const failures = this.failures.count(account, now);
      if (failures >= this.limits.freeFailures) {
        const turn = Math.max(now, this.nextTurn.get(account) ?? 0);
        waitMs = turn - now;
        if (waitMs > this.limits.maxWaitMs) {
          return refuse(Math.ceil(waitMs / 1000), 'This account is receiving many wrong passwords; sign-ins from new devices are slowed down. Try again shortly.');
        }
        const doublings = Math.min(failures - this.limits.freeFailures, 30);
        this.nextTurn.delete(account);
        this.nextTurn.set(account, turn + Math.min(this.limits.firstDelayMs * 2 ** doublings, this.limits.maxDelayMs));
        if (this.nextTurn.size > this.maxKeys) {
          const oldest = this.nextTurn.keys().next().value;
          if (oldest !== undefined) this.nextTurn.delete(oldest);
        }
      }
      this.byClient.add(input.client, now);
    }
    this.byClientAccount.add(pairKey, now);
    return { allowed: true, waitMs };
  }

  /** Counts a wrong password against the account. */
  failed(email: string, now = Date.now()): void {
    this.failures.add(normalise(email), now);
  }
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}

function refuse(retryAfterSeconds: number, reason: string): SignInVerdict {
  return { allowed: false, retryAfterSeconds, reason };
}
