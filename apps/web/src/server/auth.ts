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
import { getConnection } from './database';
import { serverEnv } from './env';

const instances = new WeakMap<Connection, EventMonitorAuth>();
let trusted: ReadonlySet<string> | undefined;

/** APP_URL's origin, the loopback names of the app's port and TRUSTED_ORIGINS. */
function trustedOrigins(): ReadonlySet<string> {
  if (!trusted) {
    const env = serverEnv();
    trusted = new Set(appOrigins({ appUrl: env.APP_URL, port: env.PORT, extra: readAuthEnv().TRUSTED_ORIGINS }));
  }
  return trusted;
}

/** The better-auth instance on the shared connection. */
export async function getAuth(): Promise<EventMonitorAuth> {
  const connection = await getConnection();
  let auth = instances.get(connection);
  if (!auth) {
    const env = serverEnv();
    if (!env.BETTER_AUTH_SECRET) {
      throw new Error('BETTER_AUTH_SECRET is not set (npm start creates one; set it in production)');
    }
    auth = createAuth({
      db: connection.getClient().db(connection.db?.databaseName ?? env.MONGODB_DB),
      secret: env.BETTER_AUTH_SECRET,
      baseURL: env.APP_URL ?? `http://localhost:${env.PORT}`,
      secureCookies: env.NODE_ENV === 'production' && (env.APP_URL ?? '').startsWith('https://'),
      trustedOrigins: [...trustedOrigins()],
    });
    instances.set(connection, auth);
  }
  return auth;
}

/**
 * Who sent this request: token, session cookie or (when enabled) the trusted proxy header. An
 * unsafe request on the cookie or the proxy header from another origin throws
 * CrossSiteRequestError (403 at both doors); tokens are not checked (see crossSiteRefusal).
 */
export async function authenticateRequest(request: Request): Promise<Principal | null> {
  const principal = await authenticate(await getAuth(), request.headers, {
    trustProxyUserHeader: serverEnv().TRUST_PROXY_USER_HEADER,
  });
  if (principal && principal.via !== 'token') {
    const refusal = crossSiteRefusal(request.method, request.headers, trustedOrigins());
    if (refusal) throw new CrossSiteRequestError(refusal);
  }
  return principal;
}
