import {
  appOrigins,
  authenticate,
  createAuth,
  crossSiteRefusal,
  CrossSiteRequestError,
  readAuthEnv,
  type EventMonitorAuth,
  type Principal,
} from '@event-monitor/auth';
import type { Connection } from 'mongoose';
import type { Database } from './database';
import type { ServerEnv } from './env';

export interface AuthAccess {
  /** The better-auth instance on the shared connection (a new one after a reconnect). */
  auth(): Promise<EventMonitorAuth>;
  /**
   * Who sent this request: token, session cookie or (when enabled) the trusted proxy header. An
   * unsafe request on the cookie or the proxy header from another origin throws
   * CrossSiteRequestError (403 at both doors); tokens are not checked (see crossSiteRefusal).
   */
  authenticate(request: Request): Promise<Principal | null>;
}

export function createAuthAccess(env: ServerEnv, database: Database): AuthAccess {
  const instances = new WeakMap<Connection, EventMonitorAuth>();
  // APP_URL's origin, the loopback names of the app's port and TRUSTED_ORIGINS.
  const trusted: ReadonlySet<string> = new Set(
    appOrigins({ appUrl: env.APP_URL, port: env.PORT, extra: readAuthEnv().TRUSTED_ORIGINS }),
  );

  async function auth(): Promise<EventMonitorAuth> {
    const connection = await database.connection();
    let instance = instances.get(connection);
    if (!instance) {
      if (!env.BETTER_AUTH_SECRET) {
        throw new Error('BETTER_AUTH_SECRET is not set (npm start creates one; set it in production)');
      }
      instance = createAuth({
        db: connection.getClient().db(connection.db?.databaseName ?? env.MONGODB_DB),
        secret: env.BETTER_AUTH_SECRET,
        baseURL: env.APP_URL ?? `http://localhost:${env.PORT}`,
        secureCookies: env.NODE_ENV === 'production' && (env.APP_URL ?? '').startsWith('https://'),
        trustedOrigins: [...trusted],
      });
      instances.set(connection, instance);
    }
    return instance;
  }

  return {
    auth,
    async authenticate(request) {
      const principal = await authenticate(await auth(), request.headers, {
        trustProxyUserHeader: env.TRUST_PROXY_USER_HEADER,
      });
      if (principal && principal.via !== 'token') {
        const refusal = crossSiteRefusal(request.method, request.headers, trusted);
        if (refusal) throw new CrossSiteRequestError(refusal);
      }
      return principal;
    },
  };
}
