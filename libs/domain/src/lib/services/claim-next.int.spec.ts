import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import {
  actors,
  checkAllDocuments,
  counterDrift,
  domainDeps,
  jobsInput,
} from '../../test-support/domain-fixtures';
import { createBatch, getBatch } from './batch.service';
import { claimNextJob, completeJob, type ClaimResult } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
  await deps.models.Worker.deleteMany({});
});

const done = (claim: ClaimResult, claimNext?: { worker_id: string; job_types?: string[] }) =>
  completeJob(deps, {
    job_id: claim.job.job_id,
    token: claim.lease.token,
    results: { markdown_file: `sessions/FOSDEM_2025/de/${claim.job.job_id}.md` },
    ...(claimNext ? { claim_next: claimNext } : {}),
  });

describe('completeJob with claim_next', () => {
  it('completes the job and hands out the next one under a new lease, counters moved once each', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    const first = (await claimNextJob(deps, { worker_id: 'w1' }))!;
    const result = await done(first, { worker_id: 'w1' });
    expect(result).toMatchObject({ job_id: first.job.job_id, status: 'completed' });
    const next = result.next!;
    expect(next.job.job_id).not.toBe(first.job.job_id);
    expect(next.lease).toMatchObject({ worker_id: 'w1', token: expect.any(String) });
    expect(next.lease.token).not.toBe(first.lease.token);
    expect(await deps.models.Job.findOne({ job_id: next.job.job_id }).lean()).toMatchObject({
      status: 'processing',
      lease: { worker_id: 'w1', token: next.lease.token },
      attempts: 1,
    });
    // One $inc for both moves of the batch: pending 3 -> 1, processing 1, completed 1.
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({
      status: 'processing',
      pending_jobs: 1,
      processing_jobs: 1,
      completed_jobs: 1,
    });
    expect(await deps.models.Worker.findOne({ worker_id: 'w1' }).lean()).toMatchObject({
      jobs_claimed: 2,
      jobs_completed: 1,
      current_job_id: next.job.job_id,
    });
  });

  it('walks a whole batch one call per job; the last call answers next: null and the batch is completed', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(5) });
    const seen: string[] = [];
    let claim = await claimNextJob(deps, { worker_id: 'w1' });
    while (claim) {
      seen.push(claim.job.job_id);
      const result = await done(claim, { worker_id: 'w1' });
      expect(result.next).toBeDefined();
      claim = result.next ?? null;
    }
    expect(new Set(seen)).toEqual(new Set(job_ids));
    expect(seen).toHaveLength(5);
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({
      status: 'completed',
      pending_jobs: 0,
      processing_jobs: 0,
      completed_jobs: 5,
    });
    const worker = await deps.models.Worker.findOne({ worker_id: 'w1' }).lean();
    expect(worker).toMatchObject({ jobs_claimed: 5, jobs_completed: 5 });
    expect(worker?.current_job_id).toBeUndefined();
    expect(await counterDrift(deps)).toEqual([]);
    expect(await checkAllDocuments(deps)).toEqual([]);
  });

  it('moves the counters of both batches when the next job belongs to another batch', async () => {
    const a = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const b = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const first = (await claimNextJob(deps, { worker_id: 'w1' }))!;
    const next = (await done(first, { worker_id: 'w1' })).next!;
    expect(next.job.batch_id).not.toBe(first.job.batch_id);
    const [finished, started] = first.job.batch_id === a.batch.batch_id ? [a, b] : [b, a];
    expect(await getBatch(deps, actors.owner, finished.batch.batch_id)).toMatchObject({
      status: 'completed',
      processing_jobs: 0,
      completed_jobs: 1,
    });
    expect(await getBatch(deps, actors.owner, started.batch.batch_id)).toMatchObject({
      status: 'processing',
      pending_jobs: 0,
      processing_jobs: 1,
    });
    expect(await counterDrift(deps)).toEqual([]);
  });

  it('honours the claim fields (job_types) and refuses a bad claim_next before writing anything', async () => {
    await createBatch(deps, actors.owner, {
      jobs: [...jobsInput(1), { ...jobsInput(1)[0]!, job_type: 'translate' }],
    });
    const first = (await claimNextJob(deps, { worker_id: 'w1', job_types: ['translate'] }))!;
    await expect(
      completeJob(deps, {
        job_id: first.job.job_id,
        token: first.lease.token,
        results: {},
        claim_next: { worker_id: '', job_types: ['translate'] },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('claim_next.worker_id') });
    expect((await deps.models.Job.findOne({ job_id: first.job.job_id }).lean())?.status).toBe('processing');
    const result = await done(first, { worker_id: 'w1', job_types: ['translate'] });
    // The only other job is of another type: nothing to hand out.
    expect(result.next).toBeNull();
    expect(await counterDrift(deps)).toEqual([]);
  });

  it('a repeated completion with claim_next completes nothing twice and hands out another job', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    const first = (await claimNextJob(deps, { worker_id: 'w1' }))!;
    const answer = await done(first, { worker_id: 'w1' });
    // The answer was lost; the worker asks again with the same lease token.
    const again = await done(first, { worker_id: 'w1' });
    expect(again).toMatchObject({ job_id: first.job.job_id, status: 'completed' });
    expect(again.next?.job.job_id).not.toBe(answer.next?.job.job_id);
    expect(await getBatch(deps, actors.owner, batch.batch_id)).toMatchObject({
      pending_jobs: 0,
      processing_jobs: 2,
      completed_jobs: 1,
    });
    expect(await counterDrift(deps)).toEqual([]);
  });

  it('claiming under another worker id counts the completion for the lease holder and the claim for the claimer', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    const first = (await claimNextJob(deps, { worker_id: 'w-old' }))!;
    const next = (await done(first, { worker_id: 'w-new' })).next!;
    expect(next.lease.worker_id).toBe('w-new');
    const old = await deps.models.Worker.findOne({ worker_id: 'w-old' }).lean();
    expect(old).toMatchObject({ jobs_claimed: 1, jobs_completed: 1 });
    expect(old?.current_job_id).toBeUndefined();
    expect(await deps.models.Worker.findOne({ worker_id: 'w-new' }).lean()).toMatchObject({
      jobs_claimed: 1,
      jobs_completed: 0,
      current_job_id: next.job.job_id,
    });
  });

  it('a stale lease is refused (409) and no job is handed out', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    const first = (await claimNextJob(deps, { worker_id: 'w1' }))!;
    const error = await completeJob(deps, {
      job_id: first.job.job_id,
      token: 'not-the-lease',
      results: {},
      claim_next: { worker_id: 'w1' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(await deps.models.Job.countDocuments({ status: 'pending' })).toBe(1);
  });
});

// The claim, the completion, the counters and the worker row are written through the driver, with
// no Mongoose schema in between: these pin every key those writes leave, so a misspelt or extra
// key fails here instead of reaching the legacy reader.
describe('documents the worker hot path writes', () => {
  const keys = (doc: object | null) => Object.keys(doc ?? {}).sort();

  it('a claimed job, a completed one, the batch counters and the worker row hold exactly the expected fields', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    const before = await deps.models.Job.collection.findOne({ job_id: job_ids[0] });
    const first = (await claimNextJob(deps, { worker_id: 'w1', lease_seconds: 60 }))!;

    const claimed = await deps.models.Job.collection.findOne({ job_id: first.job.job_id });
    expect(keys(claimed)).toEqual(
      [
        ...new Set([...keys(before), 'attempts', 'lease', 'processing_started_at', 'progress', 'updated_at']),
      ].sort(),
    );
    expect(claimed).toMatchObject({
      status: 'processing',
      attempts: 1,
      progress: { step: 'initializing', percent: 0 },
      processing_started_at: expect.any(Date),
      lease: { worker_id: 'w1', token: first.lease.token, expires_at: first.lease.expires_at },
    });
    expect(keys(claimed!['lease'])).toEqual(['expires_at', 'token', 'worker_id']);

    const result = await completeJob(deps, {
      job_id: first.job.job_id,
      token: first.lease.token,
      results: { markdown_file: 'sessions/FOSDEM_2025/de/a.md', assets: ['sessions/FOSDEM_2025/de/a.png'], web_text: null, context: { lang: 'de' } },
      claim_next: { worker_id: 'w1' },
    });
    const completed = await deps.models.Job.collection.findOne({ job_id: first.job.job_id });
    const expected = keys(claimed).filter((key) => key !== 'lease');
    expect(keys(completed)).toEqual(
      [...new Set([...expected, 'completed_at', 'completed_lease_token', 'result_files', 'results'])].sort(),
    );
    expect(completed).toMatchObject({
      status: 'completed',
      completed_at: expect.any(Date),
      completed_lease_token: first.lease.token,
      progress: { step: 'completed', percent: 100 },
    });
    // Nulls dropped, nothing else added: the legacy reader expects an object of known keys.
    expect(completed!['results']).toEqual({
      markdown_file: 'sessions/FOSDEM_2025/de/a.md',
      assets: ['sessions/FOSDEM_2025/de/a.png'],
      context: { lang: 'de' },
    });

    const stored = await deps.models.Batch.collection.findOne({ batch_id: batch.batch_id });
    expect(stored).toMatchObject({
      total_jobs: 2,
      pending_jobs: 0,
      processing_jobs: 1,
      completed_jobs: 1,
      failed_jobs: 0,
    });
    expect(result.next?.job.job_id).toBe(job_ids.find((id) => id !== first.job.job_id));

    const worker = await deps.models.Worker.collection.findOne({ worker_id: 'w1' });
    expect(keys(worker)).toEqual([
      '_id',
      'current_job_id',
      'first_seen_at',
      'jobs_claimed',
      'jobs_completed',
      'jobs_failed',
      'last_seen_at',
      'worker_id',
    ]);
    expect(worker).toMatchObject({
      jobs_claimed: 2,
      jobs_completed: 1,
      jobs_failed: 0,
      current_job_id: result.next?.job.job_id,
    });
    expect(await checkAllDocuments(deps)).toEqual([]);
  });
});
