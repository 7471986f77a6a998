import type { Connection } from 'mongoose';
import { connectMongoose } from '@event-monitor/db';
import { testServerUri, uniqueDbName } from '../test-database';
import type { GuardConfig } from './plan-checker';
import { QueryPlanGuardError, recordQueries, unservedQueries, isProductSourceFile } from './query-plan-guard';

// Indexes as the domain declares them for these shapes (this lib may not import the domain).
const CONFIG: GuardConfig = {
  indexes: [
    { collection: 'event_jobs', key: { job_id: 1 }, unique: true },
    { collection: 'event_jobs', key: { batch_id: 1, status: 1, created_at: 1 } },
  ],
  accessFields: ['user_id'],
};

// Queries sent from this file count as product code here: the file is the "product" under test.
const fromThisFile = (file: string) => file.endsWith('query-plan-guard.int.spec.ts');

describe('the query plan guard on a real connection', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connectMongoose({ uri: testServerUri(), dbName: uniqueDbName('guard'), monitorCommands: true });
    await connection.collection('event_jobs').insertMany([
      { job_id: 'job-1', batch_id: 'b1', status: 'pending', created_at: new Date(), parameters: { event: 'FOSDEM' } },
      { job_id: 'job-2', batch_id: 'b1', status: 'failed', created_at: new Date(), parameters: { event: 'PyCon' } },
    ]);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('reports a deliberately unindexed query with where it came from and the index that would serve it', async () => {
    const recorder = recordQueries(connection.getClient(), { isProductFile: fromThisFile });
    await connection.collection('event_jobs').find({ 'parameters.event': 'FOSDEM' }).sort({ created_at: -1 }).toArray();
    await connection.collection('event_jobs').find({ 'parameters.event': 'PyCon' }).sort({ created_at: -1 }).toArray();
    recorder.stop();

    const findings = unservedQueries(recorder.queries, CONFIG);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      collection: 'event_jobs',
      kind: 'find',
      filter: '{"parameters.event":"?"}',
      sort: '{"created_at":-1}',
      suggestion: '{ parameters.event: 1, created_at: -1 }',
    });
    expect(findings[0]?.origins[0]).toMatch(/ \(libs\/testing\/src\/query-plan\/query-plan-guard\.int\.spec\.ts\)$/);
    expect(new QueryPlanGuardError(findings).message).toMatch(/1 query shape\(s\)[\s\S]*parameters\.event/);
  });

  it('passes indexed queries: unique id lookups, equality prefix with sort, bulk updates', async () => {
    const recorder = recordQueries(connection.getClient(), { isProductFile: fromThisFile });
    const jobs = connection.collection('event_jobs');
    await jobs.findOneAndUpdate({ job_id: 'job-1', status: 'pending' }, { $set: { status: 'processing' } });
    await jobs.find({ batch_id: 'b1', status: 'failed' }).sort({ created_at: 1 }).limit(10).toArray();
    await jobs.updateMany({ batch_id: 'b1', status: 'failed' }, { $set: { status: 'pending' } });
    await jobs.countDocuments({ batch_id: 'b1' });
    recorder.stop();

    expect(recorder.queries.map((q) => q.kind)).toEqual(['findAndModify', 'find', 'update', 'aggregate']);
    expect(unservedQueries(recorder.queries, CONFIG)).toEqual([]);
  });

  it("skips a test's own queries: no product frame on their stack", async () => {
    const recorder = recordQueries(connection.getClient());
    await connection.collection('event_jobs').find({ 'parameters.event': 'FOSDEM' }).toArray();
    await connection.collection('event_jobs').deleteMany({ 'parameters.event': 'nothing' });
    recorder.stop();
    expect(recorder.queries).toEqual([]);
    expect(recorder.skipped).toBe(2);
  });
});

describe('isProductSourceFile', () => {
  it.each([
    ['/w/libs/domain/src/lib/services/job.service.ts', true],
    ['/w/libs/rest-adapter/src/lib/files/find-job-by-file.ts', true],
    ['/w/apps/web/src/server/maintenance.ts', true],
    ['/w/libs/domain/src/lib/services/job.service.int.spec.ts', false],
    ['/w/libs/domain/src/test-support/domain-fixtures.ts', false],
    ['/w/libs/testing/src/test-database.ts', false],
    ['/w/apps/web-e2e/src/batches.spec.ts', false],
    ['/w/apps/web-e2e/src/support/fixtures.ts', false],
    ['/w/node_modules/mongoose/lib/query.js', false],
    ['node:internal/process/task_queues', false],
  ])('%s -> %s', (file, product) => {
    expect(isProductSourceFile(file)).toBe(product);
  });
});
