import { DatabaseUnavailableError } from '@event-monitor/db';
import type { Role } from '@event-monitor/domain';
import { isDeactivated, type EventMonitorAuth } from './auth';
import { RateLimitedError } from './errors';
import { isRole, scopesOfRole, type Principal, type TokenScope } from './principal';
import type { SharedCounters } from './shared-counters';
import { sharedCountersOf, TOKEN_CACHE_TTL_MS, TOKEN_RATE_LIMIT, tokenCacheOf, type RequestLimit } from './token-cache';
import { scopesOfPermissions } from './tokens';

export interface AuthenticateOptions {
  /**
   * Trust `X-User-ID` (and `X-User-Role`) from an authenticating proxy. Off by default: with it on,
   * anyone who can reach the app directly can claim to be anyone.
   */
  trustProxyUserHeader?: boolean;
  /**
   * Reuse a verified token's principal this long (default 5 s; 0 verifies every request). A reused
   * token still costs a read of its key and of its owner, so a revoked or expired token, or one of a
   * deactivated user, is refused at once; a
   * change of its user's role applies within this time.
   */
  tokenCacheMs?: number;
}

/** The API token in `Authorization: Bearer …` or `x-api-key`, if any. */
export function tokenFromHeaders(headers: Headers): string | null {
  const apiKey = headers.get('x-api-key');
  if (apiKey) return apiKey.trim();
  const authorization = headers.get('authorization');
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/**
 * Who is calling: a token, a session cookie, or (only when enabled) a trusted proxy header.
 * `null` means anonymous (or a bad, revoked or expired credential); rate-limited tokens throw.
 */
export async function authenticate(
  auth: EventMonitorAuth,
  headers: Headers,
  options: AuthenticateOptions = {},
): Promise<Principal | null> {
  const token = tokenFromHeaders(headers);
  if (token) return authenticateToken(auth, token, options.tokenCacheMs ?? TOKEN_CACHE_TTL_MS);

  const session = await sessionOf(auth, headers);
  // A deactivated user's sessions are deleted when they are deactivated; one created in the same
  // instant (a sign-in racing the deactivation) is refused here.
  if (session && !isDeactivated(session.user)) {
    const role = roleOf(session.user);
    return {
      actor: { userId: session.user.id, role },
      email: session.user.email,
      name: session.user.name,
      via: 'session',
      scopes: scopesOfRole(role),
      sessionId: session.session.id,
    };
  }

  if (options.trustProxyUserHeader) {
    const userId = headers.get('x-user-id')?.trim();
    if (userId) {
      // The proxy authenticates; a user it names that we know and deactivated is refused all the
      // same. An id without a user record (a proxy's own user directory) is taken as given.
      if (await proxyUserDeactivated(auth, userId)) return null;
      const claimed = headers.get('x-user-role');
      const role: Role = isRole(claimed) ? claimed : 'operator';
      return { actor: { userId, role }, via: 'proxy', scopes: scopesOfRole(role) };
    }
  }
  return null;
}

/**
 * The session of the request's cookie. better-auth turns a failed database read into an error of
 * its own (500, FAILED_TO_GET_SESSION) that says nothing of the database: when the database does
 * not answer either, that is an outage (503 at the doors), not a bug.
 */
async function sessionOf(auth: EventMonitorAuth, headers: Headers) {
  try {
    return await auth.api.getSession({ headers });
  } catch (error) {
    if (isClientError(error)) throw error;
    await databaseAnswers(await auth.$context);
    throw error;
  }
}

/**
 * better-auth's verification is four round trips (find the key, two writes for its rate limit and
 * last use, find the user); a worker makes several calls per job. Within the cache TTL a token
 * costs two reads instead (the key must still exist, be enabled and not be expired; its owner must
 * still exist and be active), sent together with the one write that counts the request in the shared window (every process counts there).
 */
async function authenticateToken(auth: EventMonitorAuth, token: string, cacheMs: number): Promise<Principal | null> {
  const cache = tokenCacheOf(auth);
  const counters = sharedCountersOf(auth);
  const now = Date.now();
  const cached = cacheMs > 0 ? cache.get(token, now) : undefined;
  if (cached?.tokenId) {
    const tokenId = cached.tokenId;
    const [limit, active, counted] = await Promise.all([
      liveKeyLimit(auth, tokenId, now),
      ownerActive(auth, cached.actor.userId),
      countRequest(counters, tokenId, TOKEN_RATE_LIMIT.windowMs, now),
    ]);
    if (!limit || !active) {
      cache.forget(token);
      return null;
    }
    // A key with a window of its own (rare): counted again in that window.
    const count = limit.windowMs === TOKEN_RATE_LIMIT.windowMs ? counted : await countRequest(counters, tokenId, limit.windowMs, now);
    if (count > limit.maxRequests) throw new RateLimitedError('Too many requests with this token');
    return cached;
  }
  const verified = await verifyToken(auth, token);
  if (verified?.principal.tokenId) {
    // better-auth limited this request with its own count on the key row; the shared window counts
    // every request, verified or reused, on every process.
    const { windowMs, maxRequests } = verified.limit;
    if ((await countRequest(counters, verified.principal.tokenId, windowMs, now)) > maxRequests) {
      throw new RateLimitedError('Too many requests with this token');
    }
  }
  if (verified && cacheMs > 0) cache.set(token, verified.principal, cacheMs, verified.expiresAt, now);
  return verified?.principal ?? null;
}

/** Counts one request of a token in its shared window; returns the window's count. */
async function countRequest(counters: SharedCounters, tokenId: string, windowMs: number, now: number): Promise<number> {
  return (await counters.hit(`token:${tokenId}:${windowMs}`, windowMs, now)).count;
}

interface KeyRow {
  enabled?: boolean | null;
  expiresAt?: Date | null;
  rateLimitEnabled?: boolean | null;
  rateLimitMax?: number | null;
  rateLimitTimeWindow?: number | null;
}

/**
 * The key's row read again: null when it was deleted, disabled or expired, else its own request
 * limit (the one better-auth applies when it verifies), so reused principals keep that limit.
 */
async function liveKeyLimit(auth: EventMonitorAuth, tokenId: string, now: number): Promise<RequestLimit | null> {
  const ctx = await auth.$context;
  const key = await ctx.adapter.findOne<KeyRow>({ model: 'apikey', where: [{ field: 'id', value: tokenId }] });
  if (!key || key.enabled === false) return null;
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return null;
  return limitOf(key);
}

/**
 * Whether the token's owner still exists and is not deactivated: read with the key's row (in
 * parallel, one more read by id), so a deactivation made by any process refuses the owner's
 * tokens from the next request on, not after the cache's TTL.
 */
async function ownerActive(auth: EventMonitorAuth, userId: string): Promise<boolean> {
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.findUserById(userId);
  return user !== null && !isDeactivated(user);
}

/** Whether a trusted proxy's user id names a user record of ours that is deactivated (one read by id). */
async function proxyUserDeactivated(auth: EventMonitorAuth, userId: string): Promise<boolean> {
  const ctx = await auth.$context;
  return isDeactivated(await ctx.internalAdapter.findUserById(userId));
}

/** The request limit of a key's row: its own, else the default; none when it turned limits off. */
function limitOf(key: KeyRow): RequestLimit {
  if (key.rateLimitEnabled === false) return { windowMs: TOKEN_RATE_LIMIT.windowMs, maxRequests: Number.POSITIVE_INFINITY };
  return {
    windowMs: key.rateLimitTimeWindow ?? TOKEN_RATE_LIMIT.windowMs,
    maxRequests: key.rateLimitMax ?? TOKEN_RATE_LIMIT.maxRequests,
  };
}

type VerifyResult = Awaited<ReturnType<EventMonitorAuth['api']['verifyApiKey']>>;
/** better-auth's check of one key (the tests pass their own, see verifyToken). */
export type KeyVerifier = (key: string) => Promise<VerifyResult>;

/**
 * better-auth's verification. It reports a failed database read as INVALID_API_KEY too, so "invalid"
 * only counts once the database answers: a worker told 401 during an outage would stop for good.
 * When the database answers after an invalid result, the first read may have been lost to the
 * outage (the server went away and came back while the request waited), so the token is verified
 * once more before it is called invalid. Exported (not from the package) for the tests, which
 * pass a `verify` that fails the way better-auth does on a lost read.
 */
export async function verifyToken(
  auth: EventMonitorAuth,
  token: string,
  verify: KeyVerifier = (key) => auth.api.verifyApiKey({ body: { key } }),
): Promise<{ principal: Principal; expiresAt: Date | null | undefined; limit: RequestLimit } | null> {
  const ctx = await auth.$context;
  for (let attempt = 1; ; attempt++) {
    let result: VerifyResult;
    try {
      result = await verify(token);
    } catch (error) {
      if (errorCode(error) === 'RATE_LIMITED') throw new RateLimitedError('Too many requests with this token');
      // better-auth refused the key itself (malformed): no database read was involved.
      if (isClientError(error)) return null;
      throw error;
    }
    if (result.valid && result.key) {
      const user = await ctx.internalAdapter.findUserById(result.key.referenceId);
      if (!user || isDeactivated(user)) return null;
      const role = roleOf(user);
      // A token never does more than its user's role allows; `worker` is its own grant.
      const allowed = new Set<TokenScope>([...scopesOfRole(role), 'worker']);
      const scopes = scopesOfPermissions(result.key.permissions).filter((scope) => allowed.has(scope));
      return {
        principal: {
          actor: { userId: user.id, role },
          email: user.email,
          name: user.name,
          via: 'token',
          scopes,
          tokenId: result.key.id,
        },
        expiresAt: result.key.expiresAt,
        limit: limitOf(result.key),
      };
    }
    if (result.error?.code === 'RATE_LIMITED') throw new RateLimitedError('Too many requests with this token');
    // Throws while the database is away (the doors answer 503).
    await databaseAnswers(ctx);
    if (attempt === 2) return null;
  }
}

const PROBE_TIMEOUT_MS = 1_000;

/** Throws when the database does not answer a small read within a second (bounded: no hanging). */
async function databaseAnswers(ctx: Awaited<EventMonitorAuth['$context']>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new DatabaseUnavailableError('no answer while checking an API token'));
    }, PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([ctx.internalAdapter.findUserById('database-probe'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function roleOf(user: object): Role {
  const role = (user as { role?: unknown }).role;
  return isRole(role) ? role : 'viewer';
}

function errorCode(error: unknown): string | undefined {
  return (error as { body?: { code?: string } } | null)?.body?.code;
}

function isClientError(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
