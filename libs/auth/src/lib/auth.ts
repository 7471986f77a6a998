import { betterAuth } from 'better-auth';
import { mongodbAdapter } from 'better-auth/adapters/mongodb';
import { apiKey } from '@better-auth/api-key';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { Db } from 'mongodb';
import { AUTH_BASE_PATH } from './served-endpoints';
import { SignInLimiter } from './sign-in-limit';
import { TOKEN_RATE_LIMIT } from './token-cache';

export interface CreateAuthOptions {
  db: Db;
  /** At least 32 characters; signs session cookies. */
  secret: string;
  /** The public URL of the app, e.g. http://localhost:3000. */
  baseURL: string;
  /** `Secure` cookies: on in production (HTTPS), off for plain-HTTP localhost. */
  secureCookies: boolean;
  /** Sign-in attempts allowed per minute, per client IP and per account. */
  signInAttemptsPerMinute?: number;
  /** Silences better-auth's own log lines (tests expect refused credentials). */
  quiet?: boolean;
}

/** API tokens carry their scopes under this permission key. */
export const TOKEN_PERMISSION_KEY = 'event_monitor';

/**
 * The better-auth instance: email + password sign-in with sessions in MongoDB, a `role`
 * field on users (admin / operator / viewer, never settable by the user), and hashed API keys.
 * Public sign-up is off: admins create users.
 */
export function createAuth(options: CreateAuthOptions) {
  const signInLimiter = new SignInLimiter(options.signInAttemptsPerMinute ?? 10);
  return betterAuth({
    appName: 'Event Monitor',
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: AUTH_BASE_PATH,
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
      customRules: {
        '/sign-in/email': {
          window: 60,
          max: options.signInAttemptsPerMinute ?? 10,
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email: unknown = (ctx.body as { email?: unknown } | undefined)?.email;
        if (typeof email === 'string' && !signInLimiter.attempt(email)) {
          throw new APIError('TOO_MANY_REQUESTS', { message: 'Too many sign-in attempts for this account; try again in a minute.' });
        }
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
}

export type EventMonitorAuth = ReturnType<typeof createAuth>;
