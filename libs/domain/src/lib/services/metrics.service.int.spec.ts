import { useTestDatabase } from '@event-monitor/testing';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { actors, domainDeps, jobsInput, manualClock } from '../../test-support/domain-fixtures';
import { archiveBatch, createBatch } from './batch.service';
import {
  batchProgress,
  durationPercentiles,
  failuresByCode,
  jobThroughput,
  METRIC_SAMPLE_RETENTION_MS,
  queueDepthSeries,
  sampleQueueDepth,
} from './metrics.service';
import { claimNextJob, completeJob, failJob } from './worker.service';

const db = useTestDatabase();
const NOW = new Date('2026-03-10T12:00:30Z');
const clock = manualClock(NOW);
let deps: DomainDeps;

const owner: Actor = actors.owner;
const other: Actor = actors.other;
const admin: Actor = actors.admin;

const at = (iso: string) => new Date(iso);
const SECOND = 1000;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

beforeEach(async () => {
  clock.set(NOW);
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
  await deps.models.MetricSample.deleteMany({});
});

/** A batch of `n` pending jobs owned by `actor`; returns its job ids. */
async function jobsOf(actor: Actor, n: number, extra: Record<string, unknown> = {}): Promise<{ batchId: string; jobIds: string[] }> {
  clock.set(new Date(NOW.getTime() - 3 * 24 * 3600 * SECOND));
  const { batch } = await createBatch(deps, actor, { jobs: jobsInput(n), ...extra });
  clock.set(NOW);
  const jobs = await deps.models.Job.find({ batch_id: batch.batch_id }, { job_id: 1 }).sort({ _id: 1 }).lean();
  return { batchId: batch.batch_id, jobIds: jobs.map((job) => job.job_id) };
}

/** Puts a job into a finished state at a known time, as a worker (ours or the legacy one) leaves it. */
async function finish(
  jobId: string,
  status: 'completed' | 'failed',
  completedAt: Date,
  options: { startedAt?: Date; code?: string | null } = {},
): Promise<void> {
  const set: Record<string, unknown> = { status, completed_at: completedAt, updated_at: completedAt };
  if (options.startedAt) set['processing_started_at'] = options.startedAt;
  if (status === 'failed' && options.code !== null) set['error'] = { code: options.code ?? 'ValueError', message: 'boom' };
  await deps.models.Job.collection.updateOne({ job_id: jobId }, { $set: set });
}

describe('jobThroughput', () => {
  it('counts completions and failures in the bucket of their completed_at, every bucket present', async () => {
    const { jobIds: j } = await jobsOf(owner, 7);
    await finish(j[0]!, 'completed', at('2026-03-10T11:59:10Z'));
    await finish(j[1]!, 'failed', at('2026-03-10T11:59:59.999Z'));
    await finish(j[2]!, 'completed', at('2026-03-10T11:58:00Z'));
    await finish(j[3]!, 'completed', at('2026-03-10T11:00:30Z')); // exactly `since`: in
    await finish(j[4]!, 'completed', at('2026-03-10T11:00:29Z')); // just before the window
    await finish(j[5]!, 'failed', at('2026-03-10T12:05:00Z')); // after now (a skewed clock): out
    // j[6] stays pending

    const hour = await jobThroughput(deps, owner, { range: '1h' });
    expect(hour.bucket_ms).toBe(60 * SECOND);
    expect(hour.since).toEqual(at('2026-03-10T11:00:30Z'));
    expect(hour.until).toEqual(NOW);
    expect(hour.buckets).toHaveLength(61);
    expect(hour.buckets[0]!.start).toEqual(at('2026-03-10T11:00:00Z'));
    expect(hour.buckets.at(-1)!.start).toEqual(at('2026-03-10T12:00:00Z'));
    const nonEmpty = hour.buckets.filter((b) => b.completed || b.failed).map((b) => [b.start.toISOString(), b.completed, b.failed]);
    expect(nonEmpty).toEqual([
      ['2026-03-10T11:00:00.000Z', 1, 0],
      ['2026-03-10T11:58:00.000Z', 1, 0],
      ['2026-03-10T11:59:00.000Z', 1, 1],
    ]);
    expect(hour.totals).toEqual({ completed: 3, failed: 1 });

    const day = await jobThroughput(deps, owner, { range: '24h' });
    expect(day.bucket_ms).toBe(15 * 60 * SECOND);
    expect(day.buckets).toHaveLength(97);
    const dayNonEmpty = day.buckets.filter((b) => b.completed || b.failed).map((b) => [b.start.toISOString(), b.completed, b.failed]);
    expect(dayNonEmpty).toEqual([
      ['2026-03-10T11:00:00.000Z', 2, 0],
      ['2026-03-10T11:45:00.000Z', 2, 1],
    ]);

    const week = await jobThroughput(deps, owner, { range: '7d' });
    expect(week.bucket_ms).toBe(3600 * SECOND);
    expect(week.buckets.length).toBeLessThanOrEqual(200);
    expect(week.totals).toEqual({ completed: 4, failed: 1 });
  });

  it('counts what real workers did through claim, complete and fail', async () => {
    await jobsOf(owner, 3);
    for (const outcome of ['completed', 'failed', 'completed'] as const) {
      const claim = await claimNextJob(deps, { worker_id: 'w-1' });
      clock.advance(2 * SECOND);
      if (outcome === 'completed') await completeJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, results: { markdown_content: '#' } });
      else await failJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, error: { code: 'VideoMissing', message: 'no video' } });
    }
    const result = await jobThroughput(deps, owner, { range: '1h' });
    expect(result.totals).toEqual({ completed: 2, failed: 1 });
    expect((await failuresByCode(deps, owner, { range: '1h' })).codes).toEqual([{ code: 'VideoMissing', count: 1 }]);
    const durations = await durationPercentiles(deps, owner, { range: '1h' });
    expect(durations.sample_size).toBe(2);
    expect(durations.p50_ms).toBe(2 * SECOND);
  });

  it('rejects an unknown range', async () => {
    await expect(jobThroughput(deps, owner, { range: '30d' as never })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('access', () => {
  it("does not count another user's private jobs, counts public and shared ones; admins see all", async () => {
    const mine = await jobsOf(owner, 2);
    const theirs = await jobsOf(other, 3);
    const publicOnes = await jobsOf(other, 1, { visibility: 'public' });
    const sharedWithMe = await jobsOf(other, 1, { read_access: [other.userId, owner.userId] });
    const t = at('2026-03-10T11:30:00Z');
    for (const id of mine.jobIds) await finish(id, 'completed', t, { startedAt: at('2026-03-10T11:29:00Z') });
    for (const id of theirs.jobIds) await finish(id, 'failed', t, { code: 'SECRET_CODE' });
    await finish(publicOnes.jobIds[0]!, 'failed', t, { code: 'PUBLIC_CODE' });
    await finish(sharedWithMe.jobIds[0]!, 'completed', t, { startedAt: at('2026-03-10T11:00:00Z') });

    expect((await jobThroughput(deps, owner, { range: '24h' })).totals).toEqual({ completed: 3, failed: 1 });
    expect((await failuresByCode(deps, owner, { range: '24h' })).codes).toEqual([{ code: 'PUBLIC_CODE', count: 1 }]);
    expect((await durationPercentiles(deps, owner, { range: '24h' })).sample_size).toBe(3);
    expect((await batchProgress(deps, owner)).batches.map((b) => b.batch_id).sort()).toEqual(
      [mine.batchId, publicOnes.batchId, sharedWithMe.batchId].sort(),
    );

    expect((await jobThroughput(deps, admin, { range: '24h' })).totals).toEqual({ completed: 3, failed: 4 });
    expect((await failuresByCode(deps, admin, { range: '24h' })).codes).toEqual([
      { code: 'SECRET_CODE', count: 3 },
      { code: 'PUBLIC_CODE', count: 1 },
    ]);
  });
});

describe('failuresByCode', () => {
  it('groups failures of the window by error code, most first, top 10 with the full total', async () => {
    const { jobIds: j } = await jobsOf(owner, 30);
    const t = at('2026-03-10T11:50:00Z');
    let i = 0;
    for (let n = 0; n < 4; n++) await finish(j[i++]!, 'failed', t, { code: 'TIMEOUT' });
    for (let n = 0; n < 2; n++) await finish(j[i++]!, 'failed', t, { code: 'BAD_URL' });
    await finish(j[i++]!, 'failed', t, { code: null }); // legacy failure without an error object
    await finish(j[i++]!, 'failed', at('2026-03-10T10:00:00Z'), { code: 'BAD_URL' }); // before the 1h window
    await finish(j[i++]!, 'completed', t);
    for (let n = 0; n < 12; n++) await finish(j[i++]!, 'failed', t, { code: `E${String(n).padStart(2, '0')}` });

    const result = await failuresByCode(deps, owner, { range: '1h' });
    expect(result.codes).toHaveLength(10);
    expect(result.codes.slice(0, 3)).toEqual([
      { code: 'TIMEOUT', count: 4 },
      { code: 'BAD_URL', count: 2 },
      { code: 'E00', count: 1 },
    ]);
    expect(result.total).toBe(4 + 2 + 1 + 12);

    const day = await failuresByCode(deps, owner, { range: '24h' });
    expect(day.codes[1]).toEqual({ code: 'BAD_URL', count: 3 });
    expect(day.total).toBe(20);
  });

  it('names a failure without error code UNKNOWN and answers an empty window with nothing', async () => {
    expect(await failuresByCode(deps, owner, { range: '1h' })).toMatchObject({ codes: [], total: 0 });
    const { jobIds } = await jobsOf(owner, 1);
    await finish(jobIds[0]!, 'failed', at('2026-03-10T11:50:00Z'), { code: null });
    expect((await failuresByCode(deps, owner, { range: '1h' })).codes).toEqual([{ code: 'UNKNOWN', count: 1 }]);
  });
});

describe('durationPercentiles', () => {
  it('takes nearest-rank p50/p90/p99 of processing times 1..100 s', async () => {
    const { jobIds } = await jobsOf(owner, 103);
    const end = at('2026-03-10T11:30:00Z');
    // Shuffled so that the order of completion is not the order of duration.
    const seconds = Array.from({ length: 100 }, (_, k) => ((k * 37) % 100) + 1);
    for (const [k, s] of seconds.entries()) {
      const completedAt = new Date(end.getTime() + k * SECOND);
      await finish(jobIds[k]!, 'completed', completedAt, { startedAt: new Date(completedAt.getTime() - s * SECOND) });
    }
    // Not part of the sample: failed, no start time, completed before the window.
    await finish(jobIds[100]!, 'failed', end, { startedAt: at('2026-03-10T09:00:00Z') });
    await finish(jobIds[101]!, 'completed', end);
    await finish(jobIds[102]!, 'completed', at('2026-03-10T10:00:00Z'), { startedAt: at('2026-03-10T09:00:00Z') });

    const result = await durationPercentiles(deps, owner, { range: '1h' });
    expect(result).toMatchObject({
      sample_size: 100,
      p50_ms: 50 * SECOND,
      p90_ms: 90 * SECOND,
      p99_ms: 99 * SECOND,
      max_ms: 100 * SECOND,
      mean_ms: 50.5 * SECOND,
    });
  });

  it('answers nulls without completed jobs', async () => {
    expect(await durationPercentiles(deps, owner, { range: '7d' })).toMatchObject({
      sample_size: 0,
      p50_ms: null,
      p90_ms: null,
      p99_ms: null,
    });
  });
});

describe('batchProgress', () => {
  it('lists current readable batches newest first with their stored counters, archived ones left out', async () => {
    const first = await jobsOf(owner, 2);
    const second = await jobsOf(owner, 3);
    const archived = await jobsOf(owner, 1);
    await archiveBatch(deps, owner, archived.batchId);
    // The counters are read, not recounted: a drifted value shows as stored.
    await deps.models.Batch.collection.updateOne({ batch_id: second.batchId }, { $set: { completed_jobs: 1, pending_jobs: 2 } });

    const result = await batchProgress(deps, owner, { limit: 10 });
    expect(result.batches.map((b) => b.batch_id)).toEqual([second.batchId, first.batchId]);
    expect(result.batches[0]).toMatchObject({ total_jobs: 3, completed_jobs: 1, pending_jobs: 2, failed_jobs: 0, processing_jobs: 0 });
    expect((await batchProgress(deps, owner, { limit: 1 })).batches).toHaveLength(1);
    await expect(batchProgress(deps, owner, { limit: 500 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('queue depth', () => {
  it('samples pending and processing counts, at most once per 10 s, and drops samples older than 8 days', async () => {
    await jobsOf(owner, 4);
    await claimNextJob(deps, { worker_id: 'w-1' });
    const { jobIds } = await jobsOf(other, 1);
    await finish(jobIds[0]!, 'completed', NOW);
    await deps.models.MetricSample.insertMany([
      { at: new Date(NOW.getTime() - METRIC_SAMPLE_RETENTION_MS - SECOND), pending: 9, processing: 9 },
      { at: new Date(NOW.getTime() - METRIC_SAMPLE_RETENTION_MS + 60 * SECOND), pending: 8, processing: 8 },
    ]);

    expect(await sampleQueueDepth(deps)).toEqual({ at: NOW, pending: 3, processing: 1 });
    clock.advance(5 * SECOND);
    expect(await sampleQueueDepth(deps)).toBeNull();
    clock.advance(6 * SECOND);
    expect(await sampleQueueDepth(deps)).toMatchObject({ pending: 3, processing: 1 });

    const stored = await deps.models.MetricSample.find({}, { _id: 0 }).sort({ at: 1 }).lean();
    expect(stored.map((s) => s.pending)).toEqual([8, 3, 3]);
    for (const sample of stored) expect(Object.keys(sample).sort()).toEqual(['at', 'pending', 'processing']);
  });

  it('buckets the readings of the window (highest reading per bucket) with gaps where none was taken', async () => {
    const sample = (iso: string, pending: number, processing = 0) => ({ at: at(iso), pending, processing });
    await deps.models.MetricSample.insertMany([
      sample('2026-03-10T10:59:00Z', 99), // before the 1h window
      sample('2026-03-10T11:10:05Z', 4, 1),
      sample('2026-03-10T11:10:20Z', 7, 2),
      sample('2026-03-10T11:10:35Z', 5, 1),
      sample('2026-03-10T11:59:50Z', 2, 1),
      sample('2026-03-10T12:00:10Z', 1, 0),
    ]);
    const result = await queueDepthSeries(deps, { range: '1h' });
    expect(result.points).toHaveLength(61);
    const withData = result.points.filter((p) => p.pending !== null).map((p) => [p.start.toISOString(), p.pending, p.processing]);
    expect(withData).toEqual([
      ['2026-03-10T11:10:00.000Z', 7, 2],
      ['2026-03-10T11:59:00.000Z', 2, 1],
      ['2026-03-10T12:00:00.000Z', 1, 0],
    ]);
    expect(result.points[0]).toMatchObject({ pending: null, processing: null });
    expect(result.latest).toEqual({ at: at('2026-03-10T12:00:10Z'), pending: 1, processing: 0 });

    const week = await queueDepthSeries(deps, { range: '7d' });
    // Hourly buckets: 11:10 .. 11:59:50 fall into one (highest 7).
    expect(week.points.filter((p) => p.pending !== null).map((p) => p.pending)).toEqual([99, 7, 1]);
  });
});
