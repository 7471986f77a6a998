import { authenticate, createAuth, type EventMonitorAuth, type Principal } from '@event-monitor/auth';
import type { Connection } from 'mongoose';
import { getConnection } from './database';
import { serverEnv } from './env';

const instances = new WeakMap<Connection, EventMonitorAuth>();

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
    });
    instances.set(connection, auth);
  }
  return auth;
}

/** Who sent this request: token, session cookie or (when enabled) the trusted proxy header. */
export async function authenticateRequest(request: Request): Promise<Principal | null> {
  return authenticate(await getAuth(), request.headers, {
    trustProxyUserHeader: serverEnv().TRUST_PROXY_USER_HEADER,
  });
}
