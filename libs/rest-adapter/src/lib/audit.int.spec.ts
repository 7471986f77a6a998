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
