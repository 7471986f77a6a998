import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { Connection } from 'mongoose';
import { connectMongoose } from '@event-monitor/db';

export const TEST_URI_VARIABLE = 'EVENT_MONITOR_TEST_MONGODB_URI';

export interface TestDatabase {
  uri: string;
  dbName: string;
  connection: Connection;
}

/** The URI of the run's database server, started by the global setup. */
export function testServerUri(): string {
  const uri = process.env[TEST_URI_VARIABLE];
  if (!uri) {
    throw new Error(
      `${TEST_URI_VARIABLE} is not set: add globalSetup/globalTeardown from @event-monitor/testing to this project's jest config`,
    );
  }
  return uri;
}

/** A database name of its own for one test file, so files can run in parallel. */
export function uniqueDbName(label = currentTestFileLabel()): string {
  const safe = label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return `t_${safe}_${randomBytes(4).toString('hex')}`;
}

function currentTestFileLabel(): string {
  const path = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  return path ? basename(path).replace(/\.(int\.)?spec\.[jt]sx?$/, '') : 'test';
}

/**
 * Registers beforeAll/afterAll hooks that open a Mongoose connection to a fresh database
 * for this test file and drop it afterwards. Read `.current` inside tests.
 */
export function useTestDatabase(): { readonly current: TestDatabase } {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    const uri = testServerUri();
    const dbName = uniqueDbName();
    const connection = await connectMongoose({ uri, dbName });
    current = { uri, dbName, connection };
  });
  afterAll(async () => {
    if (!current) return;
    await current.connection.dropDatabase().catch(() => undefined);
    await current.connection.close();
  });
  return {
    get current(): TestDatabase {
      if (!current) throw new Error('useTestDatabase: the database is only ready inside tests');
      return current;
    },
  };
}
