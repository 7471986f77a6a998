import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, checkAllDocuments, counterDrift, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch, getBatch } from './batch.service';
import { createJob, deleteJob, getJob, getJobLogs, listJobs } from './job.service';
import { appendLogs, claimNextJob, completeJob, listWorkers } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

describe('job service', () => {
  it('createJob into a batch moves its counters and reopens a completed batch', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: [{ job_type: 'cj', parameters: params() }] });
    const claimed = await claimNextJob(deps, { worker_id: 'w', job_types: ['cj'] });
    await completeJob(deps, { job_id: job_ids[0]!, token: claimed!.lease.token, results: {} });
    expect((await getBatch(deps, actors.owner, batch.batch_id)).status).toBe('completed');
    const job = await createJob(deps, actors.writer, { batch_id: batch.batch_id, priority: 5, parameters: params() }).catch((e) => e);
    expect(job).toMatchObject({ code: 'NOT_FOUND' });
    const added = await createJob(deps, actors.owner, { batch_id: batch.batch_id, priority: 5, parameters: params() });
    expect(added).toMatchObject({ batch_id: batch.batch_id, priority: 5, user_id: 'olga', status: 'pending' });
    const after = await getBatch(deps, actors.owner, batch.batch_id);
    expect(after).toMatchObject({ status: 'processing', total_jobs: 2, pending_jobs: 1, completed_jobs: 1 });
    expect(after.completed_at).toBeUndefined();
  });

  it('a standalone job has no batch and belongs to its creator', async () => {
    const job = await createJob(deps, actors.other, { job_type: 'solo', parameters: params() });
    expect(job.batch_id).toBeUndefined();
    expect(job.user_id).toBe('otto');
    await expect(getJob(deps, actors.owner, job.job_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deleteJob moves the counter of the status it had', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, {
      jobs: [0, 1, 2].map(() => ({ job_type: 'del', parameters: params() })),
    });
    const claimed = await claimNextJob(deps, { worker_id: 'w', job_types: ['del'] });
    await deleteJob(deps, actors.owner, claimed!.job.job_id);
    await deleteJob(deps, actors.owner, job_ids.find((id) => id !== claimed!.job.job_id)!);
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({ total_jobs: 1, pending_jobs: 1, processing_jobs: 0 });
    await expect(deleteJob(deps, actors.owner, claimed!.job.job_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The worker that held the deleted job learns it is gone.
    await expect(completeJob(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, results: {} })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('listJobs searches words of the parameters, sorts, pages, and returns the light projection', async () => {
    const { batch } = await createBatch(deps, actors.owner, {
      jobs: [
        { job_name: 'b', priority: 1, parameters: params({ event: 'RustConf', session: 'Async', speakers: ['Grace Hopper'] }) },
        { job_name: 'a', priority: 3, parameters: params({ event: 'PyCon', session: 'Typing', track: 'Py.Track' }) },
        { job_name: 'c', priority: 2, parameters: params({ event: 'PyCon', session: 'Packaging' }) },
      ],
    });
    const byPriority = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, sort: { field: 'priority', direction: 'desc' } });
    expect(byPriority.jobs.map((j) => j.job_name)).toEqual(['a', 'c', 'b']);
    expect(byPriority.total).toBe(3);
    expect((await listJobs(deps, actors.owner, { batch_id: batch.batch_id, search: 'grace' })).jobs.map((j) => j.job_name)).toEqual(['b']);
    expect((await listJobs(deps, actors.owner, { batch_id: batch.batch_id, search: 'py.track' })).total).toBe(1);
    // Words, not substrings: "py." is the word "py", which starts "pycon" too.
    expect((await listJobs(deps, actors.owner, { batch_id: batch.batch_id, search: 'py.' })).total).toBe(2);
    const page = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, search: 'pycon', sort: { field: 'job_name', direction: 'asc' }, limit: 1, skip: 1 });
    expect(page).toMatchObject({ total: 2, limit: 1, skip: 1 });
    expect(page.jobs.map((j) => j.job_name)).toEqual(['c']);
    const item = page.jobs[0]!;
    expect(item).not.toHaveProperty('logs');
    expect(item).not.toHaveProperty('results');
    expect(item.parameters).not.toHaveProperty('url');
    expect(item.parameters.event).toBe('PyCon');
    await expect(listJobs(deps, actors.other, { batch_id: batch.batch_id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('getJobLogs filters by level and returns the newest lines in order', async () => {
    await createBatch(deps, actors.owner, { jobs: [{ job_type: 'logs', parameters: params() }] });
    const claimed = await claimNextJob(deps, { worker_id: 'w-logs', job_types: ['logs'] });
    const entries = Array.from({ length: 10 }, (_, i) => ({
      level: i % 3 === 0 ? ('error' as const) : ('info' as const),
      message: `m${i}`,
      timestamp: new Date(clock.now().getTime() + i),
    }));
    await appendLogs(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, entries });
    const errors = await getJobLogs(deps, actors.owner, claimed!.job.job_id, { level: 'error' });
    expect(errors.map((l) => l.message)).toEqual(['m0', 'm3', 'm6', 'm9']);
    const last = await getJobLogs(deps, actors.owner, claimed!.job.job_id, { limit: 2 });
    expect(last.map((l) => l.message)).toEqual(['m8', 'm9']);
  });

  it('listWorkers shows recently seen workers with their counts', async () => {
    clock.advance(60_000);
    await claimNextJob(deps, { worker_id: 'w-idle' });
    const workers = await listWorkers(deps, { seen_within_ms: 30_000 });
    expect(workers.map((w) => w.worker_id)).toContain('w-idle');
    expect(workers.map((w) => w.worker_id)).not.toContain('w-logs');
    const all = await listWorkers(deps, { seen_within_ms: 3_600_000 });
    expect(all.find((w) => w.worker_id === 'w-logs')).toMatchObject({ jobs_claimed: 1, current_job_id: expect.any(String) });
  });

  it('every document passes the legacy reader check and the counters equal a recount', async () => {
    expect(await checkAllDocuments(deps)).toEqual([]);
    expect(await counterDrift(deps)).toEqual([]);
  });
});
