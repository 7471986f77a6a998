import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '@event-monitor/domain';
import { call, domainDeps, jobsInput, testHandler } from '../test-support/rest-fixtures';
import type { RestHandler } from './rest-handler';

const db = useTestDatabase();
let deps: DomainDeps;
let handler: RestHandler;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  handler = testHandler(deps);
  const users = deps.models.Batch.db.collection('user');
  await users.deleteMany({ _id: { $in: ['olga', 'otto', 'vera'] } } as never);
  await users.insertMany([
    { _id: 'olga', name: 'Olga Owner', email: 'olga@example.org' },
    { _id: 'otto', name: 'Otto Other', email: 'otto@example.org' },
    { _id: 'vera', name: 'Vera Viewer', email: 'vera@example.org' },
  ] as never[]);
});

async function privateBatch(): Promise<string> {
  const res = await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(2), visibility: 'private' } });
  expect(res.status).toBe(201);
  return (res.json.data as { batch_id: string }).batch_id;
}

describe('POST batches/{batchId}/access', () => {
  it('shares a private batch: the other user reads it and its jobs only afterwards', async () => {
    const batchId = await privateBatch();
    expect((await call(handler, 'GET', `batches/${batchId}`, { token: 'other-token' })).status).toBe(404);

    const res = await call(handler, 'POST', `batches/${batchId}/access`, { token: 'owner-token', body: { read_access: ['otto'] } });

    expect(res.status).toBe(200);
    expect(res.json.message).toBe('Sharing changed');
    expect(res.json.data).toEqual({
      batch_id: batchId,
      access_control: { visibility: 'private', read_access: ['olga', 'otto'], write_access: ['olga'], admin_access: ['olga'] },
      jobs_updated: 2,
    });
    expect((await call(handler, 'GET', `batches/${batchId}`, { token: 'other-token' })).status).toBe(200);
    const jobs = await call(handler, 'GET', `jobs?batch_id=${batchId}`, { token: 'other-token' });
    expect((jobs.json.data as { jobs: unknown[] }).jobs).toHaveLength(2);
  });

  it('answers 400 naming the field for an unknown user id, 403 to a reader, 404 to a stranger', async () => {
    const batchId = await privateBatch();
    const bad = await call(handler, 'POST', `batches/${batchId}/access`, { token: 'owner-token', body: { write_access: ['nobody'] } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors)).toEqual(['write_access']);
    expect((await call(handler, 'POST', `batches/${batchId}/access`, { token: 'other-token', body: { visibility: 'public' } })).status).toBe(404);
    await call(handler, 'POST', `batches/${batchId}/access`, { token: 'owner-token', body: { read_access: ['otto'] } });
    expect((await call(handler, 'POST', `batches/${batchId}/access`, { token: 'other-token', body: { visibility: 'public' } })).status).toBe(403);
    const notAList = await call(handler, 'POST', `batches/${batchId}/access`, { token: 'owner-token', body: { read_access: 'otto' } });
    expect(notAList.status).toBe(400);
    expect(Object.keys(notAList.json.details.fieldErrors)).toEqual(['read_access']);
  });
});

describe('GET batches/sharing/users', () => {
  it('finds users by prefix for operators and refuses viewers', async () => {
    const res = await call(handler, 'GET', 'batches/sharing/users?q=Ott', { token: 'owner-token' });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ users: [{ id: 'otto', name: 'Otto Other', email: 'otto@example.org', active: true }] });
    expect((await call(handler, 'GET', 'batches/sharing/users?q=o', { token: 'viewer-token' })).status).toBe(403);
    expect((await call(handler, 'GET', 'batches/sharing/users', { token: 'owner-token' })).status).toBe(400);
  });
});
