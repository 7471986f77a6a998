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
});

const post = (path: string, body: unknown, key?: string) =>
  call(handler, 'POST', path, { token: 'owner-token', body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

describe('Idempotency-Key on creations', () => {
  it('32 concurrent POST batches with one key: one batch, 32 answers with the same status and body', async () => {
    const body = { batch_name: 'rest-idem-32', jobs: jobsInput(20) };
    const answers = await Promise.all(Array.from({ length: 32 }, () => post('batches', body, 'rest-key-32')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(32).fill(201));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(await deps.models.Batch.countDocuments({ batch_name: 'rest-idem-32' })).toBe(1);
    expect(await deps.models.Job.countDocuments({ batch_id: answers[0]!.json.data.batch.batch_id })).toBe(20);
  }, 60_000);

  it('the header and the body field are the same key; both naming different keys is a 400', async () => {
    const body = { batch_name: 'rest-idem-body', jobs: jobsInput(1) };
    const byHeader = await post('batches', body, 'rest-key-both');
    const byBody = await post('batches', { ...body, idempotency_key: 'rest-key-both' });
    expect(byBody.text).toBe(byHeader.text);
    const both = await post('batches', { ...body, idempotency_key: 'other' }, 'rest-key-both');
    expect(both.status).toBe(400);
    expect(both.json.details.fieldErrors.idempotency_key).toBeDefined();
  });

  it('a key reused with another body is a 422 naming the key', async () => {
    await post('batches', { batch_name: 'rest-idem-a', jobs: jobsInput(1) }, 'rest-key-reused');
    const other = await post('batches', { batch_name: 'rest-idem-b', jobs: jobsInput(1) }, 'rest-key-reused');
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ status: 'error', code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotency_key: 'rest-key-reused' } });
    expect(other.json.message).toContain('rest-key-reused');
    expect(await deps.models.Batch.countDocuments({ batch_name: 'rest-idem-b' })).toBe(0);
  });

  it('a key that is not printable ASCII is a 400', async () => {
    const bad = await post('batches', { jobs: jobsInput(1), idempotency_key: 'has space' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors)).toEqual(['idempotency_key']);
  });

  it('POST jobs with a key: one job, the same answer again', async () => {
    const body = { job_name: 'rest idem job', parameters: jobsInput(1)[0]!.parameters };
    const first = await post('jobs', body, 'rest-key-job');
    const again = await post('jobs', body, 'rest-key-job');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(await deps.models.Job.countDocuments({ job_name: 'rest idem job' })).toBe(1);
  });

  it('documents the header on both creations', async () => {
    const doc = (await call(handler, 'GET', 'openapi.json')).json;
    for (const [path] of [['/api/event-job/batches'], ['/api/event-job/jobs']] as const) {
      const parameters = doc.paths[path].post.parameters as { name: string; in: string }[];
      expect(parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
      expect(doc.paths[path].post.responses['422']).toBeDefined();
    }
  });
});
