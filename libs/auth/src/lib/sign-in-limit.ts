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
// Counted in the database (shared-counters.ts, sliding windows), so several app processes behind a
// balancer enforce the limits of one; the turns of an account are one queue for all of them.

import type { SharedCounters } from './shared-counters';

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

/** The sign-in throttle described above; `attempt` before checking a password, `failed` after a wrong one. */
export class SignInLimiter {
  private readonly limits: SignInLimits;

  constructor(
    private readonly counters: SharedCounters,
    limits: Partial<SignInLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SIGN_IN_LIMITS, ...limits };
  }

  /** Records an attempt and says whether it may go on (after waiting `waitMs`) or is refused. */
  async attempt(input: SignInAttempt, now = Date.now()): Promise<SignInVerdict> {
    const { limits, counters } = this;
    const account = normalise(input.email);
    const pairKey = `signin:pair:${input.knownDevice ? 'device' : `client:${input.client}`}:${account}`;
    // One round trip for the three counts: an attempt refused by one limit still counts for the
    // others, which only makes a hammering client wait longer.
    const [pair, byClient, failures] = await Promise.all([
      counters.hit(pairKey, limits.windowMs, now),
      input.knownDevice ? undefined : counters.hit(`signin:client:${input.client}`, limits.windowMs, now),
      input.knownDevice ? undefined : counters.count(`signin:failures:${account}`, limits.failureWindowMs, now),
    ]);
    if (pair.count > limits.perClientAndAccount) {
      return refuse(secondsUntil(pair.resetAt, now), 'Too many sign-in attempts for this account from here; try again in a minute.');
    }
    if (byClient && byClient.count > limits.perClient) {
      return refuse(secondsUntil(byClient.resetAt, now), 'Too many sign-in attempts from here; try again in a minute.');
    }
    if (!failures || failures.count < limits.freeFailures) return { allowed: true, waitMs: 0 };
    const queue = `signin:turn:${account}`;
    const slow = 'This account is receiving many wrong passwords; sign-ins from new devices are slowed down. Try again shortly.';
    const next = await counters.nextTurn(queue, now);
    if (next - now > limits.maxWaitMs) return refuse(Math.ceil((next - now) / 1000), slow);
    const doublings = Math.min(Math.floor(failures.count - limits.freeFailures), 30);
    const spacing = Math.min(limits.firstDelayMs * 2 ** doublings, limits.maxDelayMs);
    const turn = await counters.takeTurn(queue, now, spacing, limits.failureWindowMs);
    // Another process took the turns in between: past the longest wait, refuse after all.
    if (turn - now > limits.maxWaitMs) return refuse(Math.ceil((turn - now) / 1000), slow);
    return { allowed: true, waitMs: turn - now };
  }

  /** Counts a wrong password against the account. */
  async failed(email: string, now = Date.now()): Promise<void> {
    await this.counters.hit(`signin:failures:${normalise(email)}`, this.limits.failureWindowMs, now);
  }
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}

function refuse(retryAfterSeconds: number, reason: string): SignInVerdict {
  return { allowed: false, retryAfterSeconds, reason };
}
