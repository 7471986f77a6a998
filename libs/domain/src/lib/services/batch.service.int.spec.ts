import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, checkAllDocuments, counterDrift, domainDeps, jobsInput, params } from '../../test-support/domain-fixtures';
import {
  archiveBatch,
  batchStats,
  changeLanguage,
  countBatchTabs,
  createBatch,
  deleteBatch,
  failAllBatches,
  getBatch,
  listBatches,
  previewFailAll,
  previewSetAllPending,
  restartBatch,
  setAllPending,
  setBatchActive,
  unarchiveBatch,
} from './batch.service';
import { getJob } from './job.service';
import { claimNextJob, completeJob, failJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
});

/** Claims and finishes `n` jobs of a batch: complete, fail, complete, ... */
async function finish(n: number, jobType?: string) {
  for (let i = 0; i < n; i++) {
    const claimed = await claimNextJob(deps, { worker_id: 'w', ...(jobType ? { job_types: [jobType] } : {}) });
    if (i % 2 === 0) await completeJob(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, results: { markdown_content: 'x' } });
    else await failJob(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, error: { code: 'E', message: 'x' } });
  }
}

describe('createBatch', () => {
  it('creates the batch and its jobs with legacy defaults, private to the owner', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, {
      batch_name: 'Talks',
      jobs: [{ parameters: params({ event: 'E', track: '', session: 'S' }) }, { job_name: 'Mine', parameters: params() }],
    });
    expect(batch).toMatchObject({ batch_name: 'Talks', status: 'pending', total_jobs: 2, pending_jobs: 2, isActive: true, archived: false, user_id: 'olga' });
    expect(batch.batch_id).toMatch(/^batch-[0-9a-f-]{36}$/);
    expect(batch.access_control).toEqual({ visibility: 'private', read_access: ['olga'], write_access: ['olga'], admin_access: ['olga'] });
    const first = await getJob(deps, actors.owner, job_ids[0]!);
    expect(first).toMatchObject({ job_name: 'E - S', job_type: '', status: 'pending', priority: 0, attempts: 0, max_attempts: 3, batch_id: batch.batch_id });
    expect(first.job_id).toMatch(/^job-[0-9a-f-]{36}$/);
    expect(first.access_control).toEqual(batch.access_control);
    expect((await getJob(deps, actors.owner, job_ids[1]!)).job_name).toBe('Mine');
  });

  it('a duplicate batch_id is a CONFLICT and changes nothing', async () => {
    await createBatch(deps, actors.owner, { batch_id: 'batch-fixed-1', jobs: jobsInput(2) });
    await expect(createBatch(deps, actors.owner, { batch_id: 'batch-fixed-1', jobs: jobsInput(3) })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await deps.models.Job.countDocuments({ batch_id: 'batch-fixed-1' })).toBe(2);
  });

  it('validates every job before writing anything', async () => {
    const jobs = [...jobsInput(3), { parameters: { url: 'ftp://nope' } }];
    await expect(createBatch(deps, actors.owner, { jobs })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { 'jobs.3.parameters.url': expect.any(Array) } },
    });
    expect(await deps.models.Batch.countDocuments({})).toBe(0);
  });

  it('when the jobs insert fails half-way, no batch and no job remains', async () => {
    // A unique index the jobs violate at the 3rd document forces a real partial insertMany.
    await deps.models.Job.collection.createIndex({ job_name: 1 }, { unique: true, name: 'test_unique_name' });
    try {
      const jobs = [{ job_name: 'a', parameters: params() }, { job_name: 'b', parameters: params() }, { job_name: 'a', parameters: params() }];
      await expect(createBatch(deps, actors.owner, { batch_id: 'batch-partial', jobs })).rejects.toBeDefined();
      expect(await deps.models.Batch.countDocuments({ batch_id: 'batch-partial' })).toBe(0);
      expect(await deps.models.Job.countDocuments({ batch_id: 'batch-partial' })).toBe(0);
    } finally {
      await deps.models.Job.collection.dropIndex('test_unique_name');
    }
  });
});

describe('listBatches', () => {
  it('total respects the filters; search is literal and case-insensitive; pages are stable', async () => {
    for (const name of ['Alpha (2025)', 'alpha 2', 'Beta', 'a.pha']) {
      await createBatch(deps, actors.owner, { batch_name: name, jobs: jobsInput(1) });
    }
    const archived = await createBatch(deps, actors.owner, { batch_name: 'Alpha archived', jobs: jobsInput(1) });
    await archiveBatch(deps, actors.owner, archived.batch.batch_id);

    const alpha = await listBatches(deps, actors.owner, { search: 'ALPHA' });
    expect(alpha.total).toBe(2);
    expect((await listBatches(deps, actors.owner, { search: 'a.pha' })).batches.map((b) => b.batch_name)).toEqual(['a.pha']);
    expect((await listBatches(deps, actors.owner, { search: '(2025)' })).total).toBe(1);
    expect((await listBatches(deps, actors.owner, { archived: true })).batches.map((b) => b.batch_name)).toEqual(['Alpha archived']);
    const page1 = await listBatches(deps, actors.owner, { limit: 2 });
    const page2 = await listBatches(deps, actors.owner, { limit: 2, skip: 2 });
    expect(page1.total).toBe(4);
    expect(new Set([...page1.batches, ...page2.batches].map((b) => b.batch_id)).size).toBe(4);
    expect(await countBatchTabs(deps, actors.owner)).toEqual({ current: 4, archived: 1 });
    await finish(1);
    const processing = await listBatches(deps, actors.owner, { status: 'completed' });
    expect(processing.total).toBe(1);
  });
});

describe('countBatchTabs', () => {
  it('counts what the current and archived lists hold: legacy batches without the flag are current, unreadable ones are left out', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const archived = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await archiveBatch(deps, actors.owner, archived.batch.batch_id);
    await createBatch(deps, actors.other, { jobs: jobsInput(1) });
    const created_at = new Date('2024-05-01T00:00:00Z');
    // Written by the legacy Python side: no flag, a null flag, and a value that is on neither tab.
    await deps.models.Batch.collection.insertMany([
      { batch_id: 'batch-legacy-1', batch_name: 'no flag', status: 'pending', created_at, user_id: 'olga' },
      { batch_id: 'batch-legacy-2', batch_name: 'null flag', status: 'pending', created_at, user_id: 'olga', archived: null },
      { batch_id: 'batch-legacy-3', batch_name: 'odd flag', status: 'pending', created_at, user_id: 'olga', archived: 'yes' },
      { batch_id: 'batch-legacy-4', batch_name: 'archived, other owner', status: 'pending', created_at, user_id: 'otto', archived: true },
    ]);

    const tabs = await countBatchTabs(deps, actors.owner);
    expect(tabs).toEqual({ current: 3, archived: 1 });
    expect(tabs.current).toBe((await listBatches(deps, actors.owner, { archived: false })).total);
    expect(tabs.archived).toBe((await listBatches(deps, actors.owner, { archived: true })).total);
    expect(await countBatchTabs(deps, actors.admin)).toEqual({ current: 4, archived: 2 });
    expect(await countBatchTabs(deps, actors.reader)).toEqual({ current: 0, archived: 0 });
  });
});

describe('batch operations', () => {
  it('archive and unarchive copy the flag to the jobs; delete removes the jobs', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    expect((await archiveBatch(deps, actors.owner, batch.batch_id)).archived).toBe(true);
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, archived: true })).toBe(3);
    expect((await unarchiveBatch(deps, actors.owner, batch.batch_id)).archived).toBe(false);
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, archived: false })).toBe(3);
    expect(await deleteBatch(deps, actors.owner, batch.batch_id)).toEqual({ deleted_jobs: 3 });
    await expect(getBatch(deps, actors.owner, batch.batch_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getJob(deps, actors.owner, job_ids[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('setBatchActive toggles when no value is given and copies it to batch_active', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    expect((await setBatchActive(deps, actors.owner, batch.batch_id)).isActive).toBe(false);
    expect(await deps.models.Job.countDocuments({ batch_active: false })).toBe(2);
    expect((await setBatchActive(deps, actors.owner, batch.batch_id)).isActive).toBe(true);
    expect((await setBatchActive(deps, actors.owner, batch.batch_id, true)).isActive).toBe(true);
    expect(await deps.models.Job.countDocuments({ batch_active: true })).toBe(2);
  });

  it('fail-all fails pending and processing jobs of current writable batches with FORCED_FAILURE', async () => {
    const mine = await createBatch(deps, actors.owner, { jobs: jobsInput(4) });
    const archived = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    await archiveBatch(deps, actors.owner, archived.batch.batch_id);
    const others = await createBatch(deps, actors.other, { jobs: jobsInput(2) });
    await finish(1); // one completed job stays completed
    await claimNextJob(deps, { worker_id: 'w' }); // one processing
    expect(await previewFailAll(deps, actors.owner)).toEqual({ batches: 1, jobs: 3 });
    expect(await failAllBatches(deps, actors.owner, { reason: 'maintenance' })).toEqual({ batches: 1, jobs: 3 });
    const batch = await getBatch(deps, actors.owner, mine.batch.batch_id);
    expect(batch).toMatchObject({ status: 'failed', failed_jobs: 3, completed_jobs: 1, pending_jobs: 0, processing_jobs: 0 });
    expect(batch.completed_at).toBeInstanceOf(Date);
    const failed = await deps.models.Job.findOne({ batch_id: mine.batch.batch_id, status: 'failed' }).lean();
    expect(failed?.error).toEqual({ code: 'FORCED_FAILURE', message: 'maintenance' });
    expect(failed?.lease).toBeUndefined();
    expect((await getBatch(deps, actors.owner, archived.batch.batch_id)).pending_jobs).toBe(2);
    expect((await getBatch(deps, actors.other, others.batch.batch_id)).pending_jobs).toBe(2);

    expect(await previewSetAllPending(deps, actors.owner)).toEqual({ batches: 1, jobs: 4 });
    expect(await setAllPending(deps, actors.owner)).toEqual({ batches: 1, jobs: 4 });
    expect(await getBatch(deps, actors.owner, mine.batch.batch_id)).toMatchObject({ status: 'pending', pending_jobs: 4 });
    expect(await deps.models.Job.countDocuments({ batch_id: mine.batch.batch_id, results: { $exists: true } })).toBe(0);
  });

  it('restartBatch restarts failed jobs only, or failed and completed ones', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(4) });
    await finish(4); // 2 completed, 2 failed
    expect(await restartBatch(deps, actors.owner, batch.batch_id)).toEqual({ restarted: 2 });
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({ pending_jobs: 2, completed_jobs: 2, status: 'processing' });
    expect(await restartBatch(deps, actors.owner, batch.batch_id, { scope: 'all' })).toEqual({ restarted: 2 });
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({ pending_jobs: 4, status: 'pending' });
  });

  it('changeLanguage changes only target_language; with reset it restarts finished jobs and skips processing ones', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(4) });
    await finish(2); // 1 completed, 1 failed
    const processing = await claimNextJob(deps, { worker_id: 'w' }); // 1 processing, 1 pending
    expect(await changeLanguage(deps, actors.owner, { target: { batch_id: batch.batch_id }, target_language: 'fr', reset_to_pending: true })).toEqual({
      updated: 3,
      restarted: 2,
      skipped: 1,
    });
    const p = await getJob(deps, actors.owner, processing!.job.job_id);
    expect(p.parameters.target_language).toBe('de');
    expect(p.status).toBe('processing');
    const others = await deps.models.Job.find({ batch_id: batch.batch_id, job_id: { $ne: p.job_id } }).lean();
    expect(others.map((j) => [j.status, j.parameters?.target_language, j.parameters?.event])).toEqual(
      Array(3).fill(['pending', 'fr', 'FOSDEM 2025']),
    );
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({ pending_jobs: 3, processing_jobs: 1 });

    expect(await changeLanguage(deps, actors.owner, { target: { all_current: true }, target_language: 'es' })).toEqual({
      updated: 4,
      restarted: 0,
      skipped: 0,
    });
    expect(await changeLanguage(deps, actors.owner, { target: { job_id: p.job_id }, target_language: 'it', reset_to_pending: true })).toEqual({
      updated: 0,
      restarted: 0,
      skipped: 1,
    });
  });

  it('batchStats counts batches by status and jobs from the counters', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    const b = await createBatch(deps, actors.owner, { jobs: [{ job_type: 'b', parameters: params() }] });
    await finish(1, 'b');
    const archived = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await archiveBatch(deps, actors.owner, archived.batch.batch_id);
    await setBatchActive(deps, actors.owner, b.batch.batch_id, false);
    const stats = await batchStats(deps, actors.owner);
    expect(stats.batches).toEqual({ total: 3, pending: 1, processing: 0, completed: 1, failed: 0, archived: 1, active: 1 });
    expect(stats.jobs).toEqual({ pending: 2, processing: 0, completed: 1, failed: 0 });
  });

  afterAll(async () => {
    // Runs before useTestDatabase's afterAll closes the connection (inner describe hooks run first).
    expect(await checkAllDocuments(deps)).toEqual([]);
    expect(await counterDrift(deps)).toEqual([]);
  });
});
