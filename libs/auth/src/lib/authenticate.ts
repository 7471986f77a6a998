import type { Role } from '@event-monitor/domain';
import type { EventMonitorAuth } from './auth';
import { RateLimitedError } from './errors';
import { isRole, scopesOfRole, type Principal, type TokenScope } from './principal';
import { scopesOfPermissions } from './tokens';

export interface AuthenticateOptions {
  /**
   * Trust `X-User-ID` (and `X-User-Role`) from an authenticating proxy. Off by default: with it on,
   * anyone who can reach the app directly can claim to be anyone.
   */
  trustProxyUserHeader?: boolean;
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
  if (token) return authenticateToken(auth, token);

  const session = await auth.api.getSession({ headers });
  if (session) {
    const role = roleOf(session.user);
    return {
      actor: { userId: session.user.id, role },
      email: session.user.email,
      name: session.user.name,
      via: 'session',
      scopes: scopesOfRole(role),
    };
  }

  if (options.trustProxyUserHeader) {
    const userId = headers.get('x-user-id')?.trim();
    if (userId) {
      const claimed = headers.get('x-user-role');
      const role: Role = isRole(claimed) ? claimed : 'operator';
      return { actor: { userId, role }, via: 'proxy', scopes: scopesOfRole(role) };
    }
  }
  return null;
}

async function authenticateToken(auth: EventMonitorAuth, token: string): Promise<Principal | null> {
  let result: Awaited<ReturnType<typeof auth.api.verifyApiKey>>;
  try {
    result = await auth.api.verifyApiKey({ body: { key: token } });
  } catch (error) {
    if (errorCode(error) === 'RATE_LIMITED') throw new RateLimitedError('Too many requests with this token');
    if (isClientError(error)) return null;
    throw error;
  }
  const ctx = await auth.$context;
  if (!result.valid || !result.key) {
    if (result.error?.code === 'RATE_LIMITED')
      throw new RateLimitedError('Too many requests with this token');
    // better-auth reports a failed database read as INVALID_API_KEY too. Only call the token
    // invalid once the database has answered: a worker told 401 during an outage would stop.
    await databaseAnswers(ctx);
    return null;
  }
  const user = await ctx.internalAdapter.findUserById(result.key.referenceId);
  if (!user) return null;
  const role = roleOf(user);
  // A token never does more than its user's role allows; `worker` is its own grant.
  const allowed = new Set<TokenScope>([...scopesOfRole(role), 'worker']);
  const scopes = scopesOfPermissions(result.key.permissions).filter((scope) => allowed.has(scope));
  return {
    actor: { userId: user.id, role },
    email: user.email,
    name: user.name,
    via: 'token',
    scopes,
    tokenId: result.key.id,
  };
}

const PROBE_TIMEOUT_MS = 1_000;

/** Throws when the database does not answer a small read within a second (bounded: no hanging). */
async function databaseAnswers(ctx: Awaited<EventMonitorAuth['$context']>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error('Database unavailable: no answer while checking an API token');
      error.name = 'DatabaseUnavailableError';
      reject(error);
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
