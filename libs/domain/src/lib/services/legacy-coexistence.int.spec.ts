import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, checkAllDocuments, domainDeps, jobsInput } from '../../test-support/domain-fixtures';
import { batchStats, createBatch, getBatch, listBatches } from './batch.service';
import { reconcileBatch } from './batch-counters';
import { getJob, listJobs } from './job.service';
import { batchProgress } from './metrics.service';
import { recoverExpiredLeases, syncBatchFlags, tidyLegacyWrites } from './maintenance.service';
import { claimNextJob, completeJob, failJob, legacyActivity } from './worker.service';

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

const LEGACY_ACL = { visibility: 'private', read_access: [], write_access: [], admin_access: [] };

/** A batch as the legacy model creates it: counters it never maintains written as 0. */
async function insertLegacyBatch(batchId: string, statuses: string[], stored: Record<string, unknown> = {}) {
  const now = new Date();
  await deps.models.Batch.collection.insertOne({
    batch_id: batchId,
    batch_name: batchId,
    status: 'processing',
    created_at: now,
    updated_at: now,
    access_control: LEGACY_ACL,
    total_jobs: statuses.length,
    completed_jobs: 0,
    failed_jobs: 0,
    pending_jobs: 0,
    processing_jobs: 0,
    archived: false,
    isActive: true,
    ...stored,
  });
  await deps.models.Job.collection.insertMany(
    statuses.map((status, i) => ({
      job_id: `job-${batchId}-${i}`,
      job_type: '',
      status,
      created_at: new Date(now.getTime() + i),
      updated_at: now,
      parameters: { event: 'E', session: `S${i}` },
      access_control: LEGACY_ACL,
      archived: false,
      batch_id: batchId,
    })),
  );
}

describe('counters shown are never impossible', () => {
  it('a fresh legacy batch (pending_jobs 0 written) shows its jobs as pending, status pending, to an operator', async () => {
    await insertLegacyBatch('batch-fresh', ['pending', 'pending', 'pending']);
    const shown = await getBatch(deps, actors.other, 'batch-fresh');
    expect(shown).toMatchObject({ status: 'pending', total_jobs: 3, pending_jobs: 3, processing_jobs: 0, completed_jobs: 0 });
    const listed = (await listBatches(deps, actors.other)).batches[0];
    expect(listed).toMatchObject({ status: 'pending', pending_jobs: 3 });
    expect((await batchStats(deps, actors.other)).jobs).toEqual({ pending: 3, processing: 0, completed: 0, failed: 0 });
    expect((await listJobs(deps, actors.other, { batch_id: 'batch-fresh', status: 'pending' })).total).toBe(3);
    expect((await batchProgress(deps, actors.other)).batches[0]).toMatchObject({ pending_jobs: 3, status: 'pending' });
  });

  it('counters a legacy recount left summing above the total are recounted on read, the rest shown as stored', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(4) });
    const healthy = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    for (let i = 0; i < 2; i++) {
      const claimed = await claimNextJob(deps, { worker_id: 'w-1', job_types: [] });
      // The legacy worker takes and finishes the same job, then recounts completed/failed absolutely.
      await deps.models.Job.collection.updateOne({ job_id: claimed!.job.job_id }, { $set: { status: 'completed' } });
    }
    const done = await deps.models.Job.countDocuments({ batch_id: batch.batch_id, status: 'completed' });
    await legacyBatchWrite(batch.batch_id, { completed_jobs: done, failed_jobs: 0 });
    const stored = await deps.models.Batch.findOne({ batch_id: batch.batch_id }).lean();
    expect(stored!.pending_jobs! + stored!.processing_jobs! + stored!.completed_jobs! + stored!.failed_jobs!).toBe(6);

    const shown = await getBatch(deps, actors.owner, batch.batch_id);
    expect(shown).toMatchObject({ total_jobs: 4, pending_jobs: 2, processing_jobs: 0, completed_jobs: 2, failed_jobs: 0, status: 'processing' });
    const stats = await batchStats(deps, actors.owner);
    expect(stats.jobs).toEqual({ pending: 4, processing: 0, completed: 2, failed: 0 });
    expect((await getBatch(deps, actors.owner, healthy.batch.batch_id)).pending_jobs).toBe(2);
  });

  it('a batch done with failures shows failed whichever side wrote its status last', async () => {
    await insertLegacyBatch('batch-done', ['completed', 'failed'], { status: 'completed', completed_jobs: 1, failed_jobs: 1 });
    expect((await getBatch(deps, actors.viewer, 'batch-done')).status).toBe('failed');
    await reconcileBatch(deps, 'batch-done');
    expect((await getBatch(deps, actors.viewer, 'batch-done')).status).toBe('failed');
    await legacyBatchWrite('batch-done', { status: 'completed' });
    expect((await listBatches(deps, actors.viewer)).batches[0]?.status).toBe('failed');
  });
});

describe('what legacy writers leave behind', () => {
  it('a job a legacy worker completed while an app worker held it keeps no lease', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const claimed = await claimNextJob(deps, { worker_id: 'w-app' });
    const jobId = claimed!.job.job_id;
    // Legacy: unconditional update_one to processing, then its completion; neither knows the lease.
    await deps.models.Job.collection.updateOne({ job_id: jobId }, { $set: { status: 'processing' } });
    await deps.models.Job.collection.updateOne({ job_id: jobId }, { $set: { status: 'completed', results: { markdown_content: 'legacy' } } });
    await expect(completeJob(deps, { job_id: jobId, token: claimed!.lease.token, results: {} })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await deps.models.Job.collection.findOne({ job_id: jobId })).not.toHaveProperty('lease');
  });

  it('the sweep removes a lease from a finished job nobody reports on any more', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const claimed = await claimNextJob(deps, { worker_id: 'w-gone' });
    await deps.models.Job.collection.updateOne({ job_id: claimed!.job.job_id }, { $set: { status: 'failed', error: { code: 'E', message: 'm' } } });
    expect((await getJob(deps, actors.owner, claimed!.job.job_id)).lease).toBeUndefined();
    expect(await tidyLegacyWrites(deps)).toMatchObject({ leases_cleared: 1 });
    expect(await deps.models.Job.collection.findOne({ job_id: claimed!.job.job_id })).not.toHaveProperty('lease');
  });

  it("a job failed by the app worker does not carry a legacy attempt's results", async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const claimed = await claimNextJob(deps, { worker_id: 'w-app' });
    const jobId = claimed!.job.job_id;
    // Legacy takes it, completes it with results, then its stale poll list takes it again.
    await deps.models.Job.collection.updateOne({ job_id: jobId }, { $set: { status: 'completed', results: { markdown_content: 'legacy' } } });
    await deps.models.Job.collection.updateOne({ job_id: jobId }, { $set: { status: 'processing' } });
    await failJob(deps, { job_id: jobId, token: claimed!.lease.token, error: { code: 'E', message: 'app failed' }, retryable: false });
    const raw = await deps.models.Job.collection.findOne({ job_id: jobId });
    expect(raw).toMatchObject({ status: 'failed', error: { code: 'E' } });
    expect(raw).not.toHaveProperty('results');
    expect(raw).not.toHaveProperty('lease');
  });

  it('legacy pending jobs (no priority) are claimed as priority 0, as the UI shows them', async () => {
    await insertLegacyBatch('batch-nopriority', ['pending']);
    const { job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await deps.models.Job.updateOne({ job_id: job_ids[0] }, { $set: { priority: -100 } });
    expect((await getJob(deps, actors.owner, 'job-batch-nopriority-0')).priority).toBe(0);
    expect(await tidyLegacyWrites(deps)).toMatchObject({ priorities_set: 1 });
    expect((await claimNextJob(deps, { worker_id: 'w-1' }))?.job.job_id).toBe('job-batch-nopriority-0');
  });

  it('a legacy job completed after the legacy timeout failed it shows no error; a $toString literal is dropped', async () => {
    await insertLegacyBatch('batch-late', ['processing', 'processing']);
    const old = new Date(Date.now() - 3 * 3600_000);
    await deps.models.Job.collection.updateMany({ batch_id: 'batch-late' }, { $set: { processing_started_at: old } });
    expect(await recoverExpiredLeases(deps, { legacy_timeout_ms: 3600_000 })).toMatchObject({ legacy_failed: 2 });
    // The legacy worker finishes the first anyway (its completion leaves error alone) ...
    await deps.models.Job.collection.updateOne(
      { job_id: 'job-batch-late-0' },
      { $set: { status: 'completed', results: { markdown_content: '# late' }, progress: { step: 'completed', percent: 100 } } },
    );
    const late = await getJob(deps, actors.viewer, 'job-batch-late-0');
    expect(late.status).toBe('completed');
    expect(late.error).toBeUndefined();
    expect(late.results?.markdown_content).toBe('# late');
    // ... and its reset_stalled_jobs writes the aggregation expression as a literal object.
    await deps.models.Job.collection.updateOne(
      { job_id: 'job-batch-late-1' },
      {
        $set: {
          error: {
            code: 'PROCESSING_TIMEOUT',
            message: 'stalled',
            details: { processing_started_at: { $toString: '$processing_started_at' }, minutes: 10 },
          },
        },
      },
    );
    const stalled = await getJob(deps, actors.viewer, 'job-batch-late-1');
    expect(stalled.error).toEqual({ code: 'PROCESSING_TIMEOUT', message: 'stalled', details: { minutes: 10 } });
    const listed = await listJobs(deps, actors.viewer, { batch_id: 'batch-late' });
    expect(listed.jobs.map((j) => [j.job_id, j.error?.code ?? null])).toEqual(
      expect.arrayContaining([
        ['job-batch-late-0', null],
        ['job-batch-late-1', 'PROCESSING_TIMEOUT'],
      ]),
    );
  });
});

describe('the workers page sees legacy workers', () => {
  it('counts processing jobs without a lease (legacy-taken) as the reader may see them', async () => {
    await insertLegacyBatch('batch-legacy-running', ['processing', 'processing', 'pending']);
    await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await claimNextJob(deps, { worker_id: 'w-app' });
    const activity = await legacyActivity(deps, actors.viewer);
    expect(activity.processing_without_lease).toBe(2);
    // The owner's leased job is not legacy work; another operator does not see private jobs at all.
    expect((await legacyActivity(deps, actors.owner)).processing_without_lease).toBe(2);
  });
});
