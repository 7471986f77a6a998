import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
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
  /** Latency of the call that hands out a job (REST with claim_next: the completion that returns the next job). */
  claimP50Ms: number;
  claimP99Ms: number;
  /**
   * From a worker finishing a job's work to it holding the next job: the completion plus the next
   * claim (one call with claim_next, two calls otherwise; raw: the two findOneAndUpdates). A
   * worker's first claim counts as a hand-off too.
   */
  handoffP50Ms: number;
  handoffP99Ms: number;
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
  /**
   * REST (claim_next) hand-off p50 divided by raw hand-off p50: the same database work (complete,
   * then claim) through REST and through the driver. The p50 target applies to this one.
   */
  handoffP50Ratio: number;
  twoCallsThroughputRatio: number;
  /** A claim call alone: the two-call loop's claim p50 divided by the raw claim p50. */
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

function summarize(latencies: number[], handoffs: number[], taken: string[], seconds: number): LoopResult {
  return {
    processed: taken.length,
    distinct: new Set(taken).size,
    seconds: round(seconds, 3),
    jobsPerSecond: round(taken.length / seconds, 1),
    claimP50Ms: round(percentile(latencies, 50)),
    claimP99Ms: round(percentile(latencies, 99)),
    handoffP50Ms: round(percentile(handoffs, 50)),
    handoffP99Ms: round(percentile(handoffs, 99)),
  };
}

/**
 * The load generator's HTTP client: `node:http` with kept-alive connections, one per worker. The
 * bench shares two cores with the server and the database, so the client's CPU comes out of theirs:
 * Node's `fetch` (undici) cost 0.8 to 1.3 ms of CPU per call here, `node:http` 0.3 to 0.4 ms
 * (docs/performance.md, fourth round).
 */
function jsonPoster(agent: Agent) {
  return (url: string, token: string, body: unknown): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('error', reject);
          response.on('end', () => {
            try {
              const json = JSON.parse(text) as { status?: string; data?: Record<string, unknown>; message?: string };
              if (response.statusCode !== 200 || json.status !== 'success' || !json.data) {
                reject(new Error(`POST ${url} answered ${response.statusCode}: ${json.message ?? text}`));
              } else resolve(json.data);
            } catch {
              reject(new Error(`POST ${url} answered ${response.statusCode} with no JSON: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

/** What a worker reports on completion (small, like a markdown summary's path). */
// Under the jobs' own output folder (every bench job is of the event 'Bench Conference', in German):
// a completion may name files only under sessions/<event>/<target_language>/.
const results = (jobId: string) => ({ markdown_file: `sessions/Bench_Conference/de/${jobId}.md`, assets: [] as string[] });

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
  /** App processes to spread the workers over (worker w calls urls[w % n]); default the harness's one. */
  urls: string[] = [harness.live.url],
): Promise<LoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: tokens.length });
  const post = jsonPoster(agent);
  const latencies: number[] = [];
  const handoffs: number[] = [];
  const taken: string[] = [];
  const start = performance.now();
  await inParallel(tokens.length, async (w) => {
    const token = tokens[w] as string;
    const base = `${urls[w % urls.length]}/api/event-job/worker`;
    const claimBody = { worker_id: `bench-rest-${w}`, lease_seconds: LEASE_SECONDS };
    let t0 = performance.now();
    let claim = await post(`${base}/claim`, token, claimBody);
    const first = performance.now() - t0;
    latencies.push(first);
    handoffs.push(first);
    for (;;) {
      const job = claim['job'] as { job_id: string } | null;
      if (!job) return;
      const lease = claim['lease'] as { token: string };
      const complete = { token: lease.token, results: results(job.job_id) };
      const finished = performance.now();
      if (mode === 'two-calls') {
        await post(`${base}/jobs/${job.job_id}/complete`, token, complete);
        taken.push(job.job_id);
        t0 = performance.now();
        claim = await post(`${base}/claim`, token, claimBody);
      } else {
        t0 = finished;
        const done = await post(`${base}/jobs/${job.job_id}/complete`, token, { ...complete, claim_next: claimBody });
        taken.push(job.job_id);
        claim = done['next'] as Record<string, unknown>;
      }
      const end = performance.now();
      latencies.push(end - t0);
      handoffs.push(end - finished);
    }
  }).finally(() => agent.destroy());
  return summarize(latencies, handoffs, taken, (performance.now() - start) / 1000);
}

/**
 * The same work with the raw driver: the claim is the findOneAndUpdate that claimNextJob
 * (libs/domain worker.service.ts) sends (same filter, sort and update), the completion is
 * completeJob's findOneAndUpdate. No counters, no worker rows, no HTTP, no auth.
 */
export async function rawClaimLoop(db: Db, workers: number): Promise<LoopResult> {
  const jobs = db.collection(JOBS_COLLECTION);
  const latencies: number[] = [];
  const handoffs: number[] = [];
  const taken: string[] = [];
  const start = performance.now();
  await inParallel(workers, async (w) => {
    const workerId = `bench-raw-${w}`;
    // When this worker finished its last job's work: the start of the completion below.
    let finished = performance.now();
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
      const end = performance.now();
      latencies.push(end - t0);
      handoffs.push(end - finished);
      if (!job) return;
      const jobId = job['job_id'] as string;
      finished = performance.now();
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
  return summarize(latencies, handoffs, taken, (performance.now() - start) / 1000);
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
      handoffP50Ratio: round(rest.handoffP50Ms / raw.handoffP50Ms, 3),
      twoCallsThroughputRatio: round(restTwoCalls.jobsPerSecond / raw.jobsPerSecond, 3),
      twoCallsP50Ratio: round(restTwoCalls.claimP50Ms / raw.claimP50Ms, 3),
      serverRssPeakMb: memory.peakMb === null ? null : round(memory.peakMb, 1),
    };
    log(
      `claims ${workers} workers: REST ${rest.jobsPerSecond} jobs/s (hand-off p50 ${rest.handoffP50Ms} ms), ` +
        `two calls ${restTwoCalls.jobsPerSecond} jobs/s (claim p50 ${restTwoCalls.claimP50Ms} ms, hand-off ${restTwoCalls.handoffP50Ms} ms), ` +
        `raw ${raw.jobsPerSecond} jobs/s (claim p50 ${raw.claimP50Ms} ms, hand-off ${raw.handoffP50Ms} ms)`,
    );
    runs.push(run);
  }
  await harness.db.collection(JOBS_COLLECTION).deleteMany({});
  await harness.db.collection(BATCHES_COLLECTION).deleteMany({});
  return { jobs: sizes.jobs, runs };
}
