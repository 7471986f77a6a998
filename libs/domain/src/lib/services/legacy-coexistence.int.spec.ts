import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, checkAllDocuments, domainDeps, jobsInput } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { syncBatchFlags } from './maintenance.service';
import { claimNextJob, completeJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
});

/** What the legacy `archive_batch` and the Flask toggle write: the batch document only. */
const legacyBatchWrite = (batchId: string, set: Record<string, unknown>) =>
  deps.models.Batch.collection.updateOne({ batch_id: batchId }, { $set: set });

describe('a pause or archive made by the legacy side stops the app workers', () => {
  it.each([
    ['paused (isActive false)', { isActive: false }],
    ['archived', { archived: true }],
  ])('a batch %s on the batch document alone hands out no job, and the claim takes the next batch', async (_, set) => {
    const stopped = await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    const running = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await legacyBatchWrite(stopped.batch.batch_id, set);

    const claimed = await claimNextJob(deps, { worker_id: 'w-1' });
    expect(claimed?.job.batch_id).toBe(running.batch.batch_id);
    expect(await claimNextJob(deps, { worker_id: 'w-1' })).toBeNull();
    // The stepped-over job is pending again, untouched, and its batch's copies are corrected.
    const jobs = await deps.models.Job.find({ batch_id: stopped.batch.batch_id }).lean();
    expect(jobs.map((j) => [j.status, j.attempts ?? 0, j.lease])).toEqual([
      ['pending', 0, undefined],
      ['pending', 0, undefined],
      ['pending', 0, undefined],
    ]);
    const batch = await deps.models.Batch.findOne({ batch_id: stopped.batch.batch_id }).lean();
    expect(batch).toMatchObject({ pending_jobs: 3, processing_jobs: 0 });
    expect(await checkAllDocuments(deps)).toEqual([]);
  });

  it('a completion with claim_next does not hand out a job of a batch the legacy side paused', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    const first = await claimNextJob(deps, { worker_id: 'w-1' });
    await legacyBatchWrite(batch.batch_id, { isActive: false });
    const done = await completeJob(deps, {
      job_id: first!.job.job_id,
      token: first!.lease.token,
      results: { markdown_content: '# done' },
      claim_next: { worker_id: 'w-1' },
    });
    expect(done.next).toBeNull();
    const stored = await deps.models.Batch.findOne({ batch_id: batch.batch_id }).lean();
    expect(stored).toMatchObject({ pending_jobs: 1, processing_jobs: 0, completed_jobs: 1 });
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, status: 'pending', batch_active: false })).toBe(1);
  });

  it('the sweep copies a legacy pause and a legacy resume to the jobs, so claims follow either side', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    await legacyBatchWrite(batch.batch_id, { isActive: false });
    expect(await syncBatchFlags(deps)).toEqual({ batches: 1, jobs: 2 });
    expect(await claimNextJob(deps, { worker_id: 'w-1' })).toBeNull();

    // Resumed by the legacy toggle: the app's copies say paused until the sweep copies it back.
    await legacyBatchWrite(batch.batch_id, { isActive: true });
    expect(await syncBatchFlags(deps)).toEqual({ batches: 1, jobs: 2 });
    expect((await claimNextJob(deps, { worker_id: 'w-1' }))?.job.batch_id).toBe(batch.batch_id);
    expect(await syncBatchFlags(deps)).toEqual({ batches: 0, jobs: 0 });
  });
});
