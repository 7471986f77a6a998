import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { BATCHES_COLLECTION, JOBS_COLLECTION, WORKERS_COLLECTION } from '@event-monitor/domain';
import { batchRecord, jobRecord } from './documents';
import type { BenchHarness } from './harness';
import { sampleRss } from './harness';
import { inParallel, percentile, round } from './stats';

export interface LoopResult {
  /** Jobs taken and completed. */
  processed: number;
  /** Distinct jobs taken: equal to `processed` unless a job was handed out twice. */
  distinct: number;
  seconds: number;
  jobsPerSecond: number;
  claimP50Ms: number;
  claimP99Ms: number;
}

export interface ClaimRun {
  workers: number;
  jobs: number;
  /**
   * REST the way the Python SDK's worker loop works: each completion asks for the next job
   * (`claim_next`), one call per job; the first claim of each worker is a plain claim.
   */
  rest: LoopResult;
  /** REST with separate calls: claim, then complete (two calls per job). */
  restTwoCalls: LoopResult;
  raw: LoopResult;
  /** REST (claim_next) jobs/s divided by raw jobs/s. */
  throughputRatio: number;
  /** REST (claim_next) claim p50 divided by raw claim p50. */
  p50Ratio: number;
  /** The same two ratios for the two-call loop. */
  twoCallsThroughputRatio: number;
  twoCallsP50Ratio: number;
  /** Peak RSS of the web server during the REST runs, in MB. */
  serverRssPeakMb: number | null;
}

export interface ClaimsResult {
  jobs: number;
  runs: ClaimRun[];
}

const LEASE_SECONDS = 300;

/** Empties the queue and puts `jobs` pending jobs of one active batch in it. */
export async function seedQueue(db: Db, jobs: number, userId: string): Promise<string> {
  await db.collection(JOBS_COLLECTION).deleteMany({});
  await db.collection(BATCHES_COLLECTION).deleteMany({});
  const batchId = `batch-${randomUUID()}`;
  const now = new Date();
  await db
    .collection(BATCHES_COLLECTION)
    .insertOne(batchRecord(batchId, 'claims', now, userId, { pending: jobs, processing: 0, completed: 0, failed: 0 }));
  const docs = Array.from({ length: jobs }, (_, i) => jobRecord(i, now, { batchId, userId }));
  for (let i = 0; i < docs.length; i += 5_000) await db.collection(JOBS_COLLECTION).insertMany(docs.slice(i, i + 5_000));
  return batchId;
}

function summarize(latencies: number[], taken: string[], seconds: number): LoopResult {
  return {
    processed: taken.length,
    distinct: new Set(taken).size,
    seconds: round(seconds, 3),
    jobsPerSecond: round(taken.length / seconds, 1),
    claimP50Ms: round(percentile(latencies, 50)),
    claimP99Ms: round(percentile(latencies, 99)),
  };
}

async function post(url: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { status: string; data?: Record<string, unknown>; message?: string };
  if (!response.ok || json.status !== 'success' || !json.data) {
    throw new Error(`POST ${url} answered ${response.status}: ${json.message ?? JSON.stringify(json)}`);
  }
  return json.data;
}

/** What a worker reports on completion (small, like a markdown summary's path). */
const results = (jobId: string) => ({ markdown_file: `out/${jobId}.md`, assets: [] as string[] });

/**
 * `workers` loops through the REST adapter, each with its own worker-scoped token and worker id,
 * until no job is left. `claim-next`: claim once, then every completion asks for the next job
 * (`claim_next`), so a job costs one call; its claim latency is that call's. `two-calls`: claim,
 * then complete.
 */
export async function restClaimLoop(
  harness: BenchHarness,
  tokens: string[],
  mode: 'claim-next' | 'two-calls' = 'claim-next',
): Promise<LoopResult> {
  const base = `${harness.live.url}/api/event-job/worker`;
  const latencies: number[] = [];
  const taken: string[] = [];
  const start = performance.now();
  await inParallel(tokens.length, async (w) => {
    const token = tokens[w] as string;
    const claimBody = { worker_id: `bench-rest-${w}`, lease_seconds: LEASE_SECONDS };
    let t0 = performance.now();
    let claim = await post(`${base}/claim`, token, claimBody);
    latencies.push(performance.now() - t0);
    for (;;) {
      const job = claim['job'] as { job_id: string } | null;
      if (!job) return;
      const lease = claim['lease'] as { token: string };
      const complete = { token: lease.token, results: results(job.job_id) };
      if (mode === 'two-calls') {
        await post(`${base}/jobs/${job.job_id}/complete`, token, complete);
        taken.push(job.job_id);
        t0 = performance.now();
        claim = await post(`${base}/claim`, token, claimBody);
      } else {
        t0 = performance.now();
        const done = await post(`${base}/jobs/${job.job_id}/complete`, token, { ...complete, claim_next: claimBody });
        taken.push(job.job_id);
        claim = done['next'] as Record<string, unknown>;
      }
      latencies.push(performance.now() - t0);
    }
  });
  return summarize(latencies, taken, (performance.now() - start) / 1000);
}

/**
 * The same work with the raw driver: the claim is the findOneAndUpdate that claimNextJob
 * (libs/domain worker.service.ts) sends (same filter, sort and update), the completion is
 * completeJob's findOneAndUpdate. No counters, no worker rows, no HTTP, no auth.
 */
export async function rawClaimLoop(db: Db, workers: number): Promise<LoopResult> {
  const jobs = db.collection(JOBS_COLLECTION);
  const latencies: number[] = [];
  const taken: string[] = [];
  const start = performance.now();
  await inParallel(workers, async (w) => {
    const workerId = `bench-raw-${w}`;
    for (;;) {
      const t0 = performance.now();
      const now = new Date();
      const token = randomBytes(32).toString('base64url');
      const job = await jobs.findOneAndUpdate(
        {
          status: 'pending',
          batch_active: { $ne: false },
          archived: { $ne: true },
          $or: [{ available_at: { $exists: false } }, { available_at: { $lte: now } }],
        },
        {
          $set: {
            status: 'processing',
            processing_started_at: now,
            updated_at: now,
            progress: { step: 'initializing', percent: 0 },
            lease: { worker_id: workerId, token, expires_at: new Date(now.getTime() + LEASE_SECONDS * 1000) },
          },
          $inc: { attempts: 1 },
          $unset: { available_at: 1 },
        },
        { sort: { priority: -1, created_at: 1 }, returnDocument: 'after' },
      );
      latencies.push(performance.now() - t0);
      if (!job) return;
      const jobId = job['job_id'] as string;
      const done = new Date();
      const before = await jobs.findOneAndUpdate(
        { job_id: jobId, status: 'processing', 'lease.token': token },
        {
          $set: {
            status: 'completed',
            completed_at: done,
            updated_at: done,
            progress: { step: 'completed', percent: 100 },
            results: results(jobId),
          },
          $unset: { lease: 1, error: 1, available_at: 1 },
        },
        { returnDocument: 'before', projection: { job_id: 1, batch_id: 1, attempts: 1, lease: 1 } },
      );
      if (!before) throw new Error(`raw completion of ${jobId} matched nothing`);
      taken.push(jobId);
    }
  });
  return summarize(latencies, taken, (performance.now() - start) / 1000);
}

/** Checks what a run left behind: every job completed exactly once, counters (REST) agreeing. */
async function assertAllCompleted(db: Db, batchId: string, jobs: number, result: LoopResult, counters: boolean) {
  const completed = await db.collection(JOBS_COLLECTION).countDocuments({ batch_id: batchId, status: 'completed' });
  if (completed !== jobs || result.processed !== jobs || result.distinct !== jobs) {
    throw new Error(`expected ${jobs} jobs completed once each; got ${completed} completed, ${result.processed} taken`);
  }
  if (!counters) return;
  const batch = await db.collection(BATCHES_COLLECTION).findOne({ batch_id: batchId });
  if (batch?.['completed_jobs'] !== jobs || batch?.['status'] !== 'completed') {
    throw new Error(`batch counters drifted: ${JSON.stringify(batch)}`);
  }
}

export async function runClaims(
  harness: BenchHarness,
  sizes: { jobs: number; workers: number[] },
  log: (line: string) => void,
): Promise<ClaimsResult> {
  const maxWorkers = Math.max(...sizes.workers);
  const owner = await harness.live.createUser('operator');
  const tokens: string[] = [];
  for (let w = 0; w < maxWorkers; w++) tokens.push(await harness.live.createToken(['worker'], 'operator'));

  // One untimed round to load the routes and warm the connection pools.
  const warmBatch = await seedQueue(harness.db, 20, owner.id);
  await restClaimLoop(harness, tokens.slice(0, 2));
  await restClaimLoop(harness, tokens.slice(0, 2), 'two-calls');
  await rawClaimLoop(harness.db, 2);
  await harness.db.collection(JOBS_COLLECTION).deleteMany({ batch_id: warmBatch });

  const runs: ClaimRun[] = [];
  for (const workers of sizes.workers) {
    const rss = sampleRss(harness.live.pid);
    const restRun = async (mode: 'claim-next' | 'two-calls') => {
      const batchId = await seedQueue(harness.db, sizes.jobs, owner.id);
      await harness.db.collection(WORKERS_COLLECTION).deleteMany({});
      const result = await restClaimLoop(harness, tokens.slice(0, workers), mode);
      await assertAllCompleted(harness.db, batchId, sizes.jobs, result, true);
      return result;
    };
    const rest = await restRun('claim-next');
    const restTwoCalls = await restRun('two-calls');
    const memory = rss.stop();

    const rawBatch = await seedQueue(harness.db, sizes.jobs, owner.id);
    const raw = await rawClaimLoop(harness.db, workers);
    await assertAllCompleted(harness.db, rawBatch, sizes.jobs, raw, false);

    const run: ClaimRun = {
      workers,
      jobs: sizes.jobs,
      rest,
      restTwoCalls,
      raw,
      throughputRatio: round(rest.jobsPerSecond / raw.jobsPerSecond, 3),
      p50Ratio: round(rest.claimP50Ms / raw.claimP50Ms, 3),
      twoCallsThroughputRatio: round(restTwoCalls.jobsPerSecond / raw.jobsPerSecond, 3),
      twoCallsP50Ratio: round(restTwoCalls.claimP50Ms / raw.claimP50Ms, 3),
      serverRssPeakMb: memory.peakMb === null ? null : round(memory.peakMb, 1),
    };
    log(
      `claims ${workers} workers: REST ${rest.jobsPerSecond} jobs/s (p50 ${rest.claimP50Ms} ms), ` +
        `two calls ${restTwoCalls.jobsPerSecond} jobs/s (p50 ${restTwoCalls.claimP50Ms} ms), ` +
        `raw ${raw.jobsPerSecond} jobs/s (p50 ${raw.claimP50Ms} ms)`,
    );
    runs.push(run);
  }
  await harness.db.collection(JOBS_COLLECTION).deleteMany({});
  await harness.db.collection(BATCHES_COLLECTION).deleteMany({});
  return { jobs: sizes.jobs, runs };
}
