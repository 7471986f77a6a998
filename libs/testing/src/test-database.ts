import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { Connection } from 'mongoose';
import { connectMongoose } from '@event-monitor/db';
import { explainQueries, type GuardConfig } from './query-plan/plan-checker';
import { QueryPlanGuardError, queryPlanGuardConfig, recordQueries, unservedQueries, type QueryRecorder } from './query-plan/query-plan-guard';
import type { RecordedQuery } from './query-plan/recorded-query';

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
 *
 * Every query the connection sends to event_jobs / event_batches is recorded; after the file's
 * tests the query plan guard fails the file when a query shape is not served by a declared index
 * (see query-plan/plan-checker.ts; the project's Jest setup file configures it).
 */
export function useTestDatabase(): { readonly current: TestDatabase } {
  let current: TestDatabase | undefined;
  let recorder: QueryRecorder | undefined;
  beforeAll(async () => {
    const uri = testServerUri();
    const dbName = uniqueDbName();
    const connection = await connectMongoose({ uri, dbName, monitorCommands: true });
    recorder = recordQueries(connection.getClient());
    current = { uri, dbName, connection };
  });
  afterAll(async () => {
    recorder?.stop();
    if (!current) return;
    await current.connection.dropDatabase().catch(() => undefined);
    await current.connection.close();
    const queries = recorder?.queries ?? [];
    if (queries.length === 0) return;
    const config = queryPlanGuardConfig();
    if (!config) {
      throw new Error(
        'Query plan guard: this file queried event_jobs / event_batches but the guard is not configured: ' +
          "add a setup file calling configureQueryPlanGuard() to this project's jest config (setupFilesAfterEnv)",
      );
    }
    if (process.env['QUERY_PLAN_GUARD_VERBOSE'] && recorder) printVerdicts(queries, config, recorder);
    const findings = unservedQueries(queries, config);
    if (findings.length > 0) throw new QueryPlanGuardError(findings);
  });
  return {
    get current(): TestDatabase {
      if (!current) throw new Error('useTestDatabase: the database is only ready inside tests');
      return current;
    },
  };
}

/** QUERY_PLAN_GUARD_VERBOSE=1: every checked shape of this file with what serves it. */
function printVerdicts(queries: readonly RecordedQuery[], config: GuardConfig, recorder: QueryRecorder): void {
  const lines = explainQueries(queries, config).map(({ query, filter, verdict }) =>
    [
      `${query.collection} ${query.kind}${query.limit !== undefined ? ' (limited)' : ''} ${filter}`,
      query.sort ? ` sort ${JSON.stringify(query.sort)}` : '',
      ` from ${query.origin ?? '?'}`,
      verdict.served ? ` -> ${verdict.by}` : ` -> NOT SERVED: ${verdict.why}`,
    ].join(''),
  );
  console.log(
    `query plan guard: ${recorder.observed} commands seen in ${Math.round(recorder.spentMs)} ms, ${lines.length} shape(s) checked, ` +
      `${recorder.skipped} test-own queries skipped\n${lines.join('\n')}`,
  );
}
