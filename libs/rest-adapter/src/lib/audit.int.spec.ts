import { useTestDatabase } from '@event-monitor/testing';
import type { AuditEventRecord, DomainDeps } from '@event-monitor/domain';
import { call, domainDeps, jobsInput, testHandler } from '../test-support/rest-fixtures';
import type { RestHandler } from './rest-handler';

const db = useTestDatabase();
let deps: DomainDeps;
let handler: RestHandler;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  handler = testHandler(deps);
});

describe('audit trail through the REST door', () => {
  it('records the token user, the door and the reason of a batch restart; reads and worker calls record nothing', async () => {
    const created = await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(1) } });
    const batchId = created.json.data.batch.batch_id as string;
    const jobId = created.json.data.job_ids[0] as string;
    await call(handler, 'POST', `jobs/${jobId}/cancel`, { token: 'owner-token', body: { reason: 'bad audio' } });
    const restarted = await call(handler, 'POST', `batches/${batchId}/restart`, {
      token: 'owner-token',
      body: { scope: 'failed', reason: 'audio fixed' },
    });
    expect(restarted.json.data).toEqual({ restarted: 1 });
    await call(handler, 'GET', `batches/${batchId}`, { token: 'owner-token' });
    const claim = await call(handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
    expect(claim.json.data.job.job_id).toBe(jobId);

    const events = await deps.models.AuditEvent.find({}).sort({ at: 1, _id: 1 }).lean<AuditEventRecord[]>();
    expect(events.map((e) => [e.action, e.count, e.reason ?? null])).toEqual([
      ['batch.create', 1, null],
      ['job.cancel', 1, 'bad audio'],
      ['batch.restart', 1, 'audio fixed'],
    ]);
    for (const event of events) expect(event.actor).toEqual({ user_id: 'olga', role: 'operator', via: 'token' });
  });
});

describe('the audit reason over REST, as over tRPC (one declaration per operation)', () => {
  it('DELETE of a batch and of a job takes an optional {reason} body and the audit entry carries it', async () => {
    const created = await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(2) } });
    const batchId = created.json.data.batch.batch_id as string;
    const [jobId, otherJobId] = created.json.data.job_ids as string[];

    const job = await call(handler, 'DELETE', `jobs/${jobId}`, { token: 'owner-token', body: { reason: 'duplicate talk' } });
    expect(job.status).toBe(200);
    expect(job.json.data).toEqual({ job_id: jobId, deleted: true });
    const batch = await call(handler, 'DELETE', `batches/${batchId}`, { token: 'owner-token', body: { reason: 'test run' } });
    expect(batch.status).toBe(200);
    expect(batch.json.data).toEqual({ deleted_jobs: 1 });

    const events = await deps.models.AuditEvent.find({ action: { $in: ['job.delete', 'batch.delete'] } })
      .sort({ at: 1, _id: 1 })
      .lean<AuditEventRecord[]>();
    expect(events.map((e) => [e.action, e.target.ids, e.reason ?? null])).toEqual([
      ['job.delete', [jobId], 'duplicate talk'],
      ['batch.delete', [batchId], 'test run'],
    ]);
    expect(otherJobId).toEqual(expect.any(String));
  });

  it('DELETE without a body still works (the Python SDK sends none), and refuses unknown fields', async () => {
    const created = await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(1) } });
    const batchId = created.json.data.batch.batch_id as string;
    const unknown = await call(handler, 'DELETE', `batches/${batchId}`, { token: 'owner-token', body: { reason: 'x', force: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details.fieldErrors).toHaveProperty('force');
    expect((await call(handler, 'GET', `batches/${batchId}`, { token: 'owner-token' })).status).toBe(200);
    const plain = await call(handler, 'DELETE', `batches/${batchId}`, { token: 'owner-token' });
    expect(plain.status).toBe(200);
    expect(plain.json.data).toEqual({ deleted_jobs: 1 });
  });

  it('set-all-pending takes {reason} into the audit entry and refuses unknown fields, like fail-all', async () => {
    const created = await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(1) } });
    const jobId = created.json.data.job_ids[0] as string;
    await call(handler, 'POST', `jobs/${jobId}/cancel`, { token: 'owner-token', body: {} });

    for (const path of ['batches/set-all-pending', 'batches/fail-all']) {
      const unknown = await call(handler, 'POST', path, { token: 'owner-token', body: { reason: 'x', everything: true } });
      expect({ path, status: unknown.status, fields: Object.keys(unknown.json.details?.fieldErrors ?? {}) }).toEqual({
        path,
        status: 400,
        fields: ['everything'],
      });
    }
    const done = await call(handler, 'POST', 'batches/set-all-pending', { token: 'owner-token', body: { reason: 'fixed the encoder' } });
    expect(done.status).toBe(200);
    expect(done.json.data).toEqual({ batches: 1, jobs: 1 });
    const event = await deps.models.AuditEvent.findOne({ action: 'batch.set_all_pending' }).lean<AuditEventRecord>();
    expect(event?.reason).toBe('fixed the encoder');
  });
});
