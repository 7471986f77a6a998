import { betterAuth } from 'better-auth';
import { mongodbAdapter } from 'better-auth/adapters/mongodb';
import { apiKey } from '@better-auth/api-key';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import type { Db } from 'mongodb';
import { AUTH_BASE_PATH } from './served-endpoints';
import { SharedCounters } from './shared-counters';
import { SignInLimiter, type SignInLimits } from './sign-in-limit';
import { registerSharedCounters, TOKEN_RATE_LIMIT } from './token-cache';

export interface CreateAuthOptions {
  db: Db;
  /** At least 32 characters; signs session cookies. */
  secret: string;
  /** The public URL of the app, e.g. http://localhost:3000. */
  baseURL: string;
  /** `Secure` cookies: on in production (HTTPS), off for plain-HTTP localhost. */
  secureCookies: boolean;
  /**
   * Origins besides baseURL's that may call the sign-in routes (better-auth's origin check):
   * appOrigins() gives the loopback names of the app's port and TRUSTED_ORIGINS.
   */
  trustedOrigins?: string[];
  /** Sign-in attempts allowed per minute per client and account (default 10; see sign-in-limit.ts). */
  signInAttemptsPerMinute?: number;
  /** The other sign-in limits, for tests (sign-in-limit.ts DEFAULT_SIGN_IN_LIMITS). */
  signInLimits?: Partial<SignInLimits>;
  /** Silences better-auth's own log lines (tests expect refused credentials). */
  quiet?: boolean;
}

/** The signed cookie naming the account a browser signed in to (sign-in-limit.ts, "known client"). */
const DEVICE_COOKIE = 'device';
const DEVICE_COOKIE_MAX_AGE = 60 * 60 * 24 * 180;

function emailOf(body: unknown): string | undefined {
  const email: unknown = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email : undefined;
}

/**
 * The client's address: the first X-Forwarded-For entry. server.mjs puts the socket's address
 * there unless TRUST_PROXY=true, so a client cannot pick its own bucket.
 */
function clientOf(headers: Headers | undefined): string {
  const forwarded = headers?.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || 'unknown';
}

/** The answer of a sign-in of a deactivated user (403); the sign-in page shows it by its code. */
export const DEACTIVATED_CODE = 'ACCOUNT_DEACTIVATED';
const DEACTIVATED_MESSAGE = 'This account is deactivated: ask an admin to reactivate it';

/** Whether a stored user row is deactivated (the field is absent on users never deactivated). */
export function isDeactivated(user: object | null | undefined): boolean {
  return (user as { deactivated?: unknown } | null | undefined)?.deactivated === true;
}

/** API tokens carry their scopes under this permission key. */
export const TOKEN_PERMISSION_KEY = 'event_monitor';

/**
 * The better-auth instance: email + password sign-in with sessions in MongoDB, a `role`
 * field on users (admin / operator / viewer, never settable by the user), and hashed API keys.
 * Public sign-up is off: admins create users.
 */
export function createAuth(options: CreateAuthOptions) {
  const counters = new SharedCounters(options.db);
  const signInLimiter = new SignInLimiter(counters, {
    ...options.signInLimits,
    ...(options.signInAttemptsPerMinute ? { perClientAndAccount: options.signInAttemptsPerMinute } : {}),
  });
  const auth = betterAuth({
    appName: 'Event Monitor',
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: AUTH_BASE_PATH,
    trustedOrigins: options.trustedOrigins ?? [],
    database: mongodbAdapter(options.db),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
    },
    user: {
      additionalFields: {
        role: {
          type: 'string',
          required: false,
          defaultValue: 'viewer',
          input: false,
        },
        // Set by an admin (accounts.ts setUserActive): no session is created for the user, their
        // sessions are deleted and their tokens refused.
        deactivated: {
          type: 'boolean',
          required: false,
          defaultValue: false,
          input: false,
        },
        // Written when a session is created (the hook below): "last sign-in" in the users list.
        lastSignInAt: {
          type: 'date',
          required: false,
          input: false,
        },
      },
    },
    databaseHooks: {
      session: {
        create: {
          // Every way better-auth creates a session passes here (sign-in by e-mail today, any
          // route added later): a deactivated user gets none.
          before: async (session) => {
            const ctx = await auth.$context;
            const user = await ctx.internalAdapter.findUserById(session.userId);
            if (isDeactivated(user)) {
              throw new APIError('FORBIDDEN', { message: DEACTIVATED_MESSAGE, code: DEACTIVATED_CODE });
            }
          },
          after: async (session) => {
            const ctx = await auth.$context;
            await ctx.internalAdapter.updateUser(session.userId, { lastSignInAt: new Date() });
          },
        },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    advanced: {
      useSecureCookies: options.secureCookies,
      defaultCookieAttributes: {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
      },
      ipAddress: { ipAddressHeaders: ['x-forwarded-for', 'x-real-ip'] },
    },
    rateLimit: {
      enabled: true,
      storage: 'memory',
      window: 60,
      max: 600,
      // better-auth's own sign-in rule (3 per 10 s per address) would lock out everybody behind one
      // address; the hooks below throttle sign-in instead.
      customRules: { '/sign-in/email': false },
    },
    hooks: {
      // The sign-in throttle (sign-in-limit.ts); better-auth's own per-address rule would be a
      // lockout switch for everybody behind one address.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email = emailOf(ctx.body);
        if (email === undefined) return;
        const device = await ctx.getSignedCookie(ctx.context.createAuthCookie(DEVICE_COOKIE).name, ctx.context.secret);
        const verdict = await signInLimiter.attempt({
          email,
          client: clientOf(ctx.headers),
          knownDevice: typeof device === 'string' && device === email.trim().toLowerCase(),
        });
        if (!verdict.allowed) {
          throw new APIError(
            'TOO_MANY_REQUESTS',
            { message: verdict.reason, code: 'TOO_MANY_SIGN_IN_ATTEMPTS' },
            { 'retry-after': String(verdict.retryAfterSeconds) },
          );
        }
        if (verdict.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.waitMs));
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email = emailOf(ctx.body);
        if (email === undefined) return;
        if (ctx.context.newSession) {
          // This browser now knows the account: an attack on it never slows this browser down.
          const cookie = ctx.context.createAuthCookie(DEVICE_COOKIE, { maxAge: DEVICE_COOKIE_MAX_AGE });
          await ctx.setSignedCookie(cookie.name, email.trim().toLowerCase(), ctx.context.secret, cookie.attributes);
          return;
        }
        const returned = ctx.context.returned;
        if (isAPIError(returned) && returned.statusCode === 401) await signInLimiter.failed(email);
      }),
    },
    telemetry: { enabled: false },
    logger: { disabled: options.quiet ?? false, level: 'warn' },
    plugins: [
      apiKey({
        apiKeyHeaders: ['x-api-key'],
        defaultPrefix: 'em_',
        requireName: true,
        enableMetadata: true,
        // Tokens are for machines: a generous per-key guard instead of the plugin's 10/day default.
        rateLimit: { enabled: true, timeWindow: TOKEN_RATE_LIMIT.windowMs, maxRequests: TOKEN_RATE_LIMIT.maxRequests },
        permissions: {
          defaultPermissions: { [TOKEN_PERMISSION_KEY]: ['read'] },
        },
      }),
    ],
  });
  registerSharedCounters(auth, counters);
  return auth;
}

export type EventMonitorAuth = ReturnType<typeof createAuth>;
