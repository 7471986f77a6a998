import { createAuth, type EventMonitorAuth } from '@event-monitor/auth';
import type { Connection } from 'mongoose';

/** better-auth on a test database, as the tRPC integration specs use it (no cookies' Secure flag, quiet). */
export function createTestAuth(current: { connection: Connection; dbName: string }): EventMonitorAuth {
  return createAuth({
    db: current.connection.getClient().db(current.dbName),
    secret: 's'.repeat(40),
    baseURL: 'http://localhost:3999',
    secureCookies: false,
    quiet: true,
  });
}
