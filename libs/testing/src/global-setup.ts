import { resolveDatabase, type ResolvedDatabase } from '@event-monitor/db';
import { TEST_URI_VARIABLE } from './test-database';

declare global {
  var __EVENT_MONITOR_TEST_DB__: ResolvedDatabase | undefined;
}

/** Jest global setup: ONE database server for the whole run; each test file gets its own database. */
export default async function globalSetup(): Promise<void> {
  const database = await resolveDatabase({ purpose: 'test' });
  globalThis.__EVENT_MONITOR_TEST_DB__ = database;
  // Workers are forked after global setup, so they inherit this variable.
  process.env[TEST_URI_VARIABLE] = database.uri;
  process.env['EVENT_MONITOR_TEST_DB_SOURCE'] = database.source;
}
