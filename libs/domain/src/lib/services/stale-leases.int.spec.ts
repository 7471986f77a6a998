import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { recoverExpiredLeases } from './maintenance.service';
import { claimNextJob, heartbeat, LEGACY_STALE_AFTER_MS, listStaleLeases, listWorkers } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;
let seq = 0;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

/** A private one-job batch of `actor`, claimed by `worker` with a 60 s lease. */
async function claimedJob(actor: (typeof actors)[keyof typeof actors], worker: string) {
  const jobType = `stale-${++seq}`;
  const { batch, job_ids } = await createBatch(deps, actor, { jobs: [{ job_type: jobType, parameters: params() }] });
  const claim = await claimNextJob(deps, { worker_id: worker, job_types: [jobType], lease_seconds: 60 });
  return { batchId: batch.batch_id, jobId: job_ids[0]!, token: claim!.lease.token };
}

/** A job a legacy worker took: processing, no lease, started at `startedAt`, no owner (legacy-shared). */
async function legacyTaken(startedAt: Date): Promise<string> {
  const jobId = `job-legacy-${++seq}`;
  await deps.models.Job.collection.insertOne({
    job_id: jobId,
    job_type: 'legacy',
    status: 'processing',
    parameters: params(),
    created_at: startedAt,
    updated_at: startedAt,
    processing_started_at: startedAt,
  });
  return jobId;
}

describe('listStaleLeases (worker view)', () => {
  it('lists processing jobs whose lease expired, not those a worker still heartbeats', async () => {
    const dead = await claimedJob(actors.owner, 'w-dead');
    const alive = await claimedJob(actors.owner, 'w-alive');
    expect(await listStaleLeases(deps, actors.owner)).toEqual([]);

    clock.advance(45_000);
    await heartbeat(deps, { job_id: alive.jobId, token: alive.token, lease_seconds: 60 });
    clock.advance(30_000);

    const stale = await listStaleLeases(deps, actors.owner);
    expect(stale.map((job) => job.job_id)).toEqual([dead.jobId]);
    expect(stale[0]).toMatchObject({
      batch_id: dead.batchId,
      status: 'processing',
      stale_reason: 'lease_expired',
      lease: { worker_id: 'w-dead', expires_at: expect.any(Date) },
    });
    expect(stale[0]?.lease?.expires_at.getTime()).toBeLessThan(clock.now().getTime());

    // The sweep requeues it; then it is no longer stale.
    await recoverExpiredLeases(deps);
    expect(await listStaleLeases(deps, actors.owner)).toEqual([]);
  });

  it('lists legacy-taken jobs without a lease only after 30 minutes', async () => {
    const old = await legacyTaken(new Date(clock.now().getTime() - LEGACY_STALE_AFTER_MS - 1000));
    const young = await legacyTaken(new Date(clock.now().getTime() - 60_000));
    const ids = (await listStaleLeases(deps, actors.other)).map((job) => job.job_id);
    expect(ids).toContain(old);
    expect(ids).not.toContain(young);
    const entry = (await listStaleLeases(deps, actors.other)).find((job) => job.job_id === old);
    expect(entry).toMatchObject({ stale_reason: 'legacy_no_lease' });
    expect(entry?.lease).toBeUndefined();
    await deps.models.Job.collection.deleteMany({ job_id: { $in: [old, young] } });
  });

  it('shows a reader only the jobs it may read; admins see all; limit caps the list', async () => {
    const mine = await claimedJob(actors.owner, 'w-x');
    const theirs = await claimedJob(actors.other, 'w-y');
    clock.advance(61_000);
    const ownerIds = (await listStaleLeases(deps, actors.owner)).map((job) => job.job_id);
    expect(ownerIds).toContain(mine.jobId);
    expect(ownerIds).not.toContain(theirs.jobId);
    expect((await listStaleLeases(deps, actors.viewer)).map((job) => job.job_id)).toEqual([]);
    const adminIds = (await listStaleLeases(deps, actors.admin)).map((job) => job.job_id);
    expect(adminIds).toEqual(expect.arrayContaining([mine.jobId, theirs.jobId]));
    expect(await listStaleLeases(deps, actors.admin, { limit: 1 })).toHaveLength(1);
    await expect(listStaleLeases(deps, actors.admin, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await recoverExpiredLeases(deps);
  });

  it('listWorkers describes the job a worker holds only to readers of that job', async () => {
    const held = await claimedJob(actors.owner, 'w-holder');
    const forOwner = (await listWorkers(deps, {}, actors.owner)).find((w) => w.worker_id === 'w-holder');
    expect(forOwner).toMatchObject({
      current_job_id: held.jobId,
      current_job: { job_id: held.jobId, batch_id: held.batchId, status: 'processing', lease_worker_id: 'w-holder' },
    });
    const forOther = (await listWorkers(deps, {}, actors.other)).find((w) => w.worker_id === 'w-holder');
    expect(forOther?.current_job_id).toBe(held.jobId);
    expect(forOther?.current_job).toBeUndefined();
    const forWorkerDoor = (await listWorkers(deps)).find((w) => w.worker_id === 'w-holder');
    expect(forWorkerDoor?.current_job).toBeUndefined();
  });
});
