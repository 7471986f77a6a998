import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import {
  actors,
  checkAllDocuments,
  counterDrift,
  domainDeps,
  manualClock,
  params,
} from '../../test-support/domain-fixtures';
import { createBatch, setBatchActive, archiveBatch, unarchiveBatch, getBatch } from './batch.service';
import { cancelJob, createJob, getJob, restartJob } from './job.service';
import { recoverExpiredLeases } from './maintenance.service';
import { reconcileBatch } from './batch-counters';
import { appendLogs, claimNextJob, completeJob, failJob, heartbeat, reportProgress } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;
let seq = 0;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});


const RESULTS = { markdown_file: 'sessions/FOSDEM_2025/de/out.md', markdown_content: '# Talk', assets: ['sessions/FOSDEM_2025/de/a.png'] };
const ERROR = { code: 'ValueError', message: 'boom', details: { traceback: 'line 1' } };

interface Setup {
  jobId: string;
  batchId: string;
  jobType: string;
  token?: string;
}

/** A one-job batch with a job type of its own, so a claim can only take this job. */
async function jobIn(status: 'pending' | 'processing' | 'completed' | 'failed', maxAttempts = 3): Promise<Setup> {
  const jobType = `type-${++seq}`;
  const { batch, job_ids } = await createBatch(deps, actors.owner, {
    jobs: [{ job_type: jobType, max_attempts: maxAttempts, parameters: params() }],
  });
  const setup: Setup = { jobId: job_ids[0]!, batchId: batch.batch_id, jobType };
  if (status === 'pending') return setup;
  const claim = await claimNextJob(deps, { worker_id: 'w-setup', job_types: [jobType] });
  setup.token = claim!.lease.token;
  if (status === 'completed') await completeJob(deps, { job_id: setup.jobId, token: setup.token, results: RESULTS });
  if (status === 'failed') await failJob(deps, { job_id: setup.jobId, token: setup.token, error: ERROR });
  return setup;
}

async function snapshot(setup: Setup) {
  return {
    job: await deps.models.Job.collection.findOne({ job_id: setup.jobId }),
    batch: await deps.models.Batch.collection.findOne({ batch_id: setup.batchId }),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

type Op = (s: Setup) => Promise<unknown>;
const token = (s: Setup) => s.token ?? 'no-such-token';
const ops: Record<string, Op> = {
  claim: async (s) => {
    const claimed = await claimNextJob(deps, { worker_id: 'w-op', job_types: [s.jobType] });
    if (!claimed) throw new DomainError('NOT_FOUND', 'nothing claimed');
    return claimed;
  },
  complete: (s) => completeJob(deps, { job_id: s.jobId, token: token(s), results: RESULTS }),
  fail: (s) => failJob(deps, { job_id: s.jobId, token: token(s), error: ERROR }),
  failRetryable: (s) => failJob(deps, { job_id: s.jobId, token: token(s), error: ERROR, retryable: true }),
  restart: (s) => restartJob(deps, actors.owner, s.jobId),
  cancel: (s) => cancelJob(deps, actors.owner, s.jobId, { reason: 'not needed' }),
};

// expected: resulting status, or the error code of a refused operation
const matrix: Record<string, Record<'pending' | 'processing' | 'completed' | 'failed', string>> = {
  claim: { pending: 'processing', processing: 'NOT_FOUND', completed: 'NOT_FOUND', failed: 'NOT_FOUND' },
  // complete on a completed job: the setup's token is the one it was completed under (idempotent)
  complete: { pending: 'CONFLICT', processing: 'completed', completed: 'completed', failed: 'CONFLICT' },
  fail: { pending: 'CONFLICT', processing: 'failed', completed: 'CONFLICT', failed: 'CONFLICT' },
  failRetryable: { pending: 'CONFLICT', processing: 'pending', completed: 'CONFLICT', failed: 'CONFLICT' },
  restart: { pending: 'INVALID_TRANSITION', processing: 'INVALID_TRANSITION', completed: 'pending', failed: 'pending' },
  cancel: { pending: 'failed', processing: 'failed', completed: 'INVALID_TRANSITION', failed: 'INVALID_TRANSITION' },
};

describe('job state machine', () => {
  const cases = Object.entries(matrix).flatMap(([op, row]) =>
    Object.entries(row).map(([from, expected]) => [op, from, expected] as const),
  );

  it.each(cases)('%s on a %s job -> %s', async (op, from, expected) => {
    const setup = await jobIn(from as 'pending');
    const before = await snapshot(setup);
    const outcome = await codeOf(ops[op]!(setup));
    if (['pending', 'processing', 'completed', 'failed'].includes(expected)) {
      expect(outcome).toBe('ok');
      const job = await getJob(deps, actors.owner, setup.jobId);
      expect(job.status).toBe(expected);
      const batch = await getBatch(deps, actors.owner, setup.batchId);
      expect(batch[`${expected as 'pending'}_jobs`]).toBe(1);
      expect(batch.total_jobs).toBe(1);
    } else {
      expect(outcome).toBe(expected);
      // A refused operation writes nothing, neither to the job nor to its batch.
      expect(await snapshot(setup)).toEqual(before);
    }
  });
});

describe('leases', () => {
  it('a stale lease token cannot complete or fail a job once another worker holds it', async () => {
    const setup = await jobIn('processing');
    const stale = setup.token!;
    clock.advance(301_000);
    expect((await recoverExpiredLeases(deps)).requeued).toBeGreaterThanOrEqual(1);
    expect((await getJob(deps, actors.owner, setup.jobId)).status).toBe('pending');
    const second = await claimNextJob(deps, { worker_id: 'w-second', job_types: [setup.jobType] });
    expect(second?.job.job_id).toBe(setup.jobId);
    const before = await snapshot(setup);
    expect(await codeOf(completeJob(deps, { job_id: setup.jobId, token: stale, results: RESULTS }))).toBe('CONFLICT');
    expect(await codeOf(failJob(deps, { job_id: setup.jobId, token: stale, error: ERROR }))).toBe('CONFLICT');
    expect(await codeOf(heartbeat(deps, { job_id: setup.jobId, token: stale }))).toBe('CONFLICT');
    expect(await codeOf(reportProgress(deps, { job_id: setup.jobId, token: stale, progress: { step: 'x', percent: 5 } }))).toBe('CONFLICT');
    expect(await codeOf(appendLogs(deps, { job_id: setup.jobId, token: stale, entries: [{ level: 'info', message: 'x' }] }))).toBe('CONFLICT');
    expect(await snapshot(setup)).toEqual(before);
    await completeJob(deps, { job_id: setup.jobId, token: second!.lease.token, results: RESULTS });
    expect((await getJob(deps, actors.owner, setup.jobId)).status).toBe('completed');
  });

  it('a complete repeated by the same lease holder succeeds again without moving the counters twice', async () => {
    const setup = await jobIn('processing');
    const first = await completeJob(deps, { job_id: setup.jobId, token: setup.token!, results: RESULTS });
    const after = await snapshot(setup);
    // The worker never saw the first answer (app restart, network error) and asks again.
    expect(await completeJob(deps, { job_id: setup.jobId, token: setup.token!, results: RESULTS })).toEqual(first);
    expect(await snapshot(setup)).toEqual(after);
    expect(after.batch).toMatchObject({ completed_jobs: 1, processing_jobs: 0, total_jobs: 1 });
    expect(await codeOf(completeJob(deps, { job_id: setup.jobId, token: 'another-token', results: RESULTS }))).toBe('CONFLICT');
    expect(JSON.stringify(await getJob(deps, actors.owner, setup.jobId))).not.toContain(setup.token!);

    // After a restart the old token no longer completes anything.
    await restartJob(deps, actors.owner, setup.jobId);
    expect(await codeOf(completeJob(deps, { job_id: setup.jobId, token: setup.token!, results: RESULTS }))).toBe('CONFLICT');
    expect((await getJob(deps, actors.owner, setup.jobId)).status).toBe('pending');
  });

  it('a worker call for a job that does not exist is NOT_FOUND', async () => {
    expect(await codeOf(heartbeat(deps, { job_id: 'job-missing', token: 't' }))).toBe('NOT_FOUND');
  });

  it('the claim hands out the token once and no DTO shows it', async () => {
    const setup = await jobIn('processing');
    const job = await getJob(deps, actors.owner, setup.jobId);
    expect(job.lease?.worker_id).toBe('w-setup');
    expect(JSON.stringify(job)).not.toContain(setup.token!);
    expect(setup.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('heartbeat extends the lease so the sweep leaves the job alone', async () => {
    const setup = await jobIn('processing');
    clock.advance(200_000);
    const { expires_at } = await heartbeat(deps, { job_id: setup.jobId, token: setup.token!, lease_seconds: 300 });
    expect(expires_at.getTime()).toBe(clock.now().getTime() + 300_000);
    clock.advance(200_000);
    await recoverExpiredLeases(deps);
    expect((await getJob(deps, actors.owner, setup.jobId)).status).toBe('processing');
    await completeJob(deps, { job_id: setup.jobId, token: setup.token!, results: RESULTS });
  });

  it('an expired lease with no attempts left fails the job with LEASE_EXPIRED and a log line', async () => {
    const setup = await jobIn('processing', 1);
    clock.advance(301_000);
    expect((await recoverExpiredLeases(deps)).failed).toBe(1);
    const job = await getJob(deps, actors.owner, setup.jobId);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('LEASE_EXPIRED');
    expect(job.lease).toBeUndefined();
    expect(job.logs.at(-1)?.message).toContain('expired');
    expect((await getBatch(deps, actors.owner, setup.batchId)).status).toBe('failed');
  });

  it('a job taken by a legacy worker (no lease) is left alone until the legacy timeout, then PROCESSING_TIMEOUT', async () => {
    const setup = await jobIn('pending');
    // What the Python worker does: a plain update, no lease.
    await deps.models.Job.collection.updateOne(
      { job_id: setup.jobId },
      { $set: { status: 'processing', processing_started_at: clock.now(), progress: { step: 'initializing', percent: 0 } } },
    );
    clock.advance(60 * 60 * 1000);
    expect(await recoverExpiredLeases(deps)).toMatchObject({ legacy_failed: 0 });
    expect((await getJob(deps, actors.owner, setup.jobId)).status).toBe('processing');
    clock.advance(61 * 60 * 1000);
    expect(await recoverExpiredLeases(deps)).toMatchObject({ legacy_failed: 1 });
    const job = await getJob(deps, actors.owner, setup.jobId);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('PROCESSING_TIMEOUT');
    // The legacy take moved no counter; the recount repairs that drift.
    const repair = await reconcileBatch(deps, setup.batchId);
    expect(repair.repaired).toBe(true);
    expect(repair.after).toMatchObject({ pending_jobs: 0, processing_jobs: 0, failed_jobs: 1, status: 'failed' });
    expect((await reconcileBatch(deps, setup.batchId)).repaired).toBe(false);
  });
});

describe('retries', () => {
  it('a retryable failure backs off exponentially and fails for good after max_attempts', async () => {
    const setup = await jobIn('processing', 2);
    const first = await failJob(deps, { job_id: setup.jobId, token: setup.token!, error: ERROR, retryable: true });
    expect(first.status).toBe('pending');
    expect(first.available_at!.getTime() - clock.now().getTime()).toBe(10_000);
    const pending = await getJob(deps, actors.owner, setup.jobId);
    expect(pending.error?.code).toBe('ValueError');
    expect(pending.lease).toBeUndefined();
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [setup.jobType] })).toBeNull();
    clock.advance(10_000);
    const again = await claimNextJob(deps, { worker_id: 'w', job_types: [setup.jobType] });
    expect(again?.job.attempts).toBe(2);
    const last = await failJob(deps, { job_id: setup.jobId, token: again!.lease.token, error: ERROR, retryable: true });
    expect(last.status).toBe('failed');
    expect((await getBatch(deps, actors.owner, setup.batchId)).failed_jobs).toBe(1);
  });
});

describe('restart', () => {
  it('restart leaves no stale results, error, progress or lease behind and logs who restarted', async () => {
    const setup = await jobIn('completed');
    const job = await restartJob(deps, actors.owner, setup.jobId, { bypass_cache: true, target_language: 'fr' });
    expect(job.status).toBe('pending');
    const raw = await deps.models.Job.collection.findOne({ job_id: setup.jobId });
    for (const key of ['results', 'error', 'progress', 'completed_at', 'processing_started_at', 'lease', 'available_at']) {
      expect(raw).not.toHaveProperty(key);
    }
    expect(raw?.['attempts']).toBe(0);
    expect(raw?.['parameters']).toMatchObject({ use_cache: false, target_language: 'fr', event: 'FOSDEM 2025' });
    expect(job.logs.at(-1)?.message).toContain(`restarted by ${actors.owner.userId}`);
    const batch = await getBatch(deps, actors.owner, setup.batchId);
    expect(batch).toMatchObject({ status: 'pending', pending_jobs: 1, completed_jobs: 0 });
    expect(batch.completed_at).toBeUndefined();
  });
});

describe('claim', () => {
  it('a deactivated or archived batch hands out no jobs', async () => {
    const setup = await jobIn('pending');
    await setBatchActive(deps, actors.owner, setup.batchId, false);
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [setup.jobType] })).toBeNull();
    await setBatchActive(deps, actors.owner, setup.batchId);
    await archiveBatch(deps, actors.owner, setup.batchId);
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [setup.jobType] })).toBeNull();
    await unarchiveBatch(deps, actors.owner, setup.batchId);
    const claimed = await claimNextJob(deps, { worker_id: 'w', job_types: [setup.jobType] });
    expect(claimed?.job.job_id).toBe(setup.jobId);
    expect(claimed?.job.progress).toEqual({ step: 'initializing', percent: 0 });
    await completeJob(deps, { job_id: setup.jobId, token: claimed!.lease.token, results: RESULTS });
  });

  it('takes the highest priority first, then the oldest', async () => {
    const jobType = `prio-${++seq}`;
    const low = await createJob(deps, actors.owner, { job_type: jobType, priority: -5, parameters: params() });
    clock.advance(1);
    const oldHigh = await createJob(deps, actors.owner, { job_type: jobType, priority: 10, parameters: params() });
    clock.advance(1);
    const newHigh = await createJob(deps, actors.owner, { job_type: jobType, priority: 10, parameters: params() });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const claimed = await claimNextJob(deps, { worker_id: 'w', job_types: [jobType] });
      order.push(claimed!.job.job_id);
      await completeJob(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, results: {} });
    }
    expect(order).toEqual([oldHigh.job_id, newHigh.job_id, low.job_id]);
  });

  it('keeps only the newest 1,000 log lines', async () => {
    const setup = await jobIn('processing');
    for (let round = 0; round < 3; round++) {
      const entries = Array.from({ length: 500 }, (_, i) => ({ level: 'info' as const, message: `line ${round * 500 + i}` }));
      await appendLogs(deps, { job_id: setup.jobId, token: setup.token!, entries });
    }
    const raw = await deps.models.Job.collection.findOne({ job_id: setup.jobId });
    const logs = raw?.['logs'] as { message: string }[];
    expect(logs).toHaveLength(1000);
    expect(logs[0]!.message).toBe('line 500');
    expect(logs.at(-1)!.message).toBe('line 1499');
    await reportProgress(deps, { job_id: setup.jobId, token: setup.token!, progress: { step: 'transcribing', percent: 42 } });
    expect((await getJob(deps, actors.owner, setup.jobId)).progress).toEqual({ step: 'transcribing', percent: 42 });
    await completeJob(deps, { job_id: setup.jobId, token: setup.token!, results: RESULTS });
  });
});

describe('batch status follows the counters', () => {
  it('pending -> processing -> failed (one failure) -> processing after restart -> completed', async () => {
    const jobType = `flow-${++seq}`;
    const { batch } = await createBatch(deps, actors.owner, {
      jobs: [0, 1].map(() => ({ job_type: jobType, parameters: params() })),
    });
    const status = async () => {
      const b = await getBatch(deps, actors.owner, batch.batch_id);
      return [b.status, b.completed_at !== undefined];
    };
    expect(await status()).toEqual(['pending', false]);
    const a = await claimNextJob(deps, { worker_id: 'w', job_types: [jobType] });
    expect(await status()).toEqual(['processing', false]);
    await completeJob(deps, { job_id: a!.job.job_id, token: a!.lease.token, results: RESULTS });
    const b = await claimNextJob(deps, { worker_id: 'w', job_types: [jobType] });
    await failJob(deps, { job_id: b!.job.job_id, token: b!.lease.token, error: ERROR });
    expect(await status()).toEqual(['failed', true]);
    await restartJob(deps, actors.owner, b!.job.job_id);
    expect(await status()).toEqual(['processing', false]);
    const c = await claimNextJob(deps, { worker_id: 'w', job_types: [jobType] });
    await completeJob(deps, { job_id: c!.job.job_id, token: c!.lease.token, results: RESULTS });
    expect(await status()).toEqual(['completed', true]);
  });
});

describe('after all of the above', () => {
  it('every document passes the legacy reader check and every batch counter equals a recount', async () => {
    expect(await checkAllDocuments(deps)).toEqual([]);
    expect(await counterDrift(deps)).toEqual([]);
  });
});
