import {
  claimNextJob,
  createBatch,
  createDomainModels,
  ensureIndexes,
  getJob,
  type DomainDeps,
} from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { runMaintenanceOnce } from './maintenance';

describe('the maintenance sweep', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  const owner = { userId: 'u-1', role: 'operator' as const };

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
  });

  it("puts a dead worker's job back to pending and leaves live leases and legacy jobs alone", async () => {
    const { batch, job_ids } = await createBatch(domain, owner, {
      jobs: [
        { parameters: { session: 'dead' } },
        { parameters: { session: 'alive' } },
        { parameters: { session: 'legacy' } },
      ],
    });
    const dead = await claimNextJob(domain, { worker_id: 'w-dead', lease_seconds: 60 });
    const alive = await claimNextJob(domain, { worker_id: 'w-alive', lease_seconds: 600 });
    await domain.models.Job.updateOne(
      { job_id: dead?.job.job_id },
      { $set: { 'lease.expires_at': new Date(Date.now() - 1_000) } },
    );
    // A legacy worker takes a job with a plain update: no lease.
    const legacyId = job_ids.find((id) => id !== dead?.job.job_id && id !== alive?.job.job_id) as string;
    await domain.models.Job.updateOne(
      { job_id: legacyId },
      { $set: { status: 'processing', processing_started_at: new Date() } },
    );

    const result = await runMaintenanceOnce(domain, { legacyTimeoutMs: 3_600_000 });

    expect(result.requeued).toBe(1);
    expect((await getJob(domain, owner, dead?.job.job_id as string)).status).toBe('pending');
    expect((await getJob(domain, owner, alive?.job.job_id as string)).status).toBe('processing');
    expect((await getJob(domain, owner, legacyId)).status).toBe('processing');
    // The legacy update moved no counters; the sweep's recount repaired the batch.
    expect(result.repairedBatches).toBe(1);
    const repaired = await domain.models.Batch.findOne({ batch_id: batch.batch_id }).lean();
    expect(repaired).toMatchObject({ pending_jobs: 1, processing_jobs: 2 });
  });
});
