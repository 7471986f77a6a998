import { createHash } from 'node:crypto';
import type { Principal } from './principal';
import type { SharedCounters } from './shared-counters';

/** How long a verified token's principal is reused before better-auth verifies the token again. */
export const TOKEN_CACHE_TTL_MS = 5_000;

/** Requests per token and window (a key's own limit wins), counted in the database by every process. */
export const TOKEN_RATE_LIMIT = { windowMs: 60_000, maxRequests: 30_000 } as const;

const MAX_ENTRIES = 10_000;

export interface RequestLimit {
  windowMs: number;
  maxRequests: number;
}

interface Entry {
  principal: Principal;
  /** Reuse ends here: the TTL or the key's own expiry, whichever is first. */
  until: number;
}

/**
 * Verified tokens of one auth instance, keyed by the token's SHA-256 (the token itself is not kept).
 * A hit still reads the key's row (see authenticate), so revocation is honoured at once; what the
 * TTL delays is better-auth's last-used write and a role change made by another process (one made
 * here through setUserRole drops the user's entries).
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  get(token: string, now: number): Principal | undefined {
    const key = hashOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, ttlMs: number, keyExpiresAt: Date | null | undefined, now: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    const expiry = keyExpiresAt ? new Date(keyExpiresAt).getTime() : Number.POSITIVE_INFINITY;
    this.entries.set(hashOf(token), { principal, until: Math.min(now + ttlMs, expiry) });
  }

  forget(token: string): void {
    this.entries.delete(hashOf(token));
  }

  /** Drops every reused principal of a user (their role changed in this process). */
  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.principal.actor.userId === userId) this.entries.delete(key);
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

const caches = new WeakMap<object, TokenCache>();

const counters = new WeakMap<object, SharedCounters>();

/** Called by createAuth: the shared counters of an auth instance (its database). */
export function registerSharedCounters(auth: object, shared: SharedCounters): void {
  counters.set(auth, shared);
}

/** The shared counters of an auth instance (createAuth registers them). */
export function sharedCountersOf(auth: object): SharedCounters {
  const shared = counters.get(auth);
  if (!shared) throw new Error('an auth instance made without createAuth has no shared counters');
  return shared;
}

/** The cache of one auth instance (tests create several instances in one process). */
export function tokenCacheOf(auth: object): TokenCache {
  let cache = caches.get(auth);
  if (!cache) {
    cache = new TokenCache();
    caches.set(auth, cache);
  }
  return cache;
}
