import type { z } from 'zod';
import { nowOf, type DomainDeps } from '../context';
import { parseInput } from '../errors';
import { DEFAULT_MAX_ATTEMPTS, transitionDelta } from '../job-state';
import type { JobRecord } from '../models/job.model';
import { RecoverLeasesInput } from '@event-monitor/contracts';
import { moveBatchCounters } from './batch-counters';
import { releaseJobSlot } from './flow.service';
import { forcedFailUpdate, logLine, pushLogs } from './job-updates';
import { signUnsignedFailures } from './failure.service';

export interface RecoverResult {
  /** Expired leases with attempts left: back to pending. */
  requeued: number;
  /** Expired leases with attempts used up: failed with LEASE_EXPIRED. */
  failed: number;
  /** Legacy-taken jobs (no lease) processing longer than the legacy timeout: failed with PROCESSING_TIMEOUT. */
  legacy_failed: number;
}

/**
 * The periodic sweep for dead workers. Jobs in processing WITHOUT a lease were taken by a legacy
 * worker, which sends no heartbeat: they are left alone until the legacy timeout. Each job is
 * one conditional update (the lease read is in the filter, so a heartbeat in between wins).
 */
export async function recoverExpiredLeases(
  deps: DomainDeps,
  raw: z.input<typeof RecoverLeasesInput> = {},
): Promise<RecoverResult> {
  const input = parseInput(RecoverLeasesInput, raw);
  const now = nowOf(deps);
  const result: RecoverResult = { requeued: 0, failed: 0, legacy_failed: 0 };

  const expired = await deps.models.Job.find(
    { status: 'processing', 'lease.expires_at': { $lt: now } },
    { job_id: 1, batch_id: 1, attempts: 1, max_attempts: 1, lease: 1, job_type: 1 },
  )
    .limit(input.limit)
    .lean<JobRecord[]>();
  for (const job of expired) {
    if (!job.lease) continue;
    const attempts = job.attempts ?? 1;
    const retry = attempts < (job.max_attempts ?? DEFAULT_MAX_ATTEMPTS);
    const message = `lease of worker ${job.lease.worker_id} expired at ${job.lease.expires_at.toISOString()}`;
    const update = retry
      ? {
          $set: { status: 'pending', updated_at: now },
          $unset: { lease: 1, progress: 1, processing_started_at: 1 },
          $push: pushLogs([logLine(now, 'warning', `${message}; back to pending`)]),
        }
      : forcedFailUpdate(now, 'LEASE_EXPIRED', `${message}; no attempts left (${attempts})`, 'error');
    const after = await deps.models.Job.findOneAndUpdate(
      { job_id: job.job_id, status: 'processing', 'lease.token': job.lease.token, 'lease.expires_at': { $lt: now } },
      update,
      { returnDocument: 'after', lean: true, projection: { job_id: 1, batch_id: 1 } },
    );
    if (!after) continue;
    await moveBatchCounters(deps, after.batch_id, transitionDelta('processing', retry ? 'pending' : 'failed'));
    await releaseJobSlot(deps, job.job_type, job.lease.token);
    if (retry) result.requeued++;
    else result.failed++;
  }

  const cutoff = new Date(now.getTime() - input.legacy_timeout_ms);
  const stalled = await deps.models.Job.find(
    {
      status: 'processing',
      lease: { $exists: false },
      $or: [
        { processing_started_at: { $lt: cutoff } },
        { processing_started_at: { $exists: false }, updated_at: { $lt: cutoff } },
      ],
    },
    { job_id: 1, batch_id: 1, processing_started_at: 1 },
  )
    .limit(input.limit)
    .lean<JobRecord[]>();
  for (const job of stalled) {
    const minutes = Math.round(input.legacy_timeout_ms / 60_000);
    const update = forcedFailUpdate(now, 'PROCESSING_TIMEOUT', `no progress for ${minutes} minutes (legacy worker)`, 'error');
    const after = await deps.models.Job.findOneAndUpdate(
      {
        job_id: job.job_id,
        status: 'processing',
        lease: { $exists: false },
        processing_started_at: job.processing_started_at ?? { $exists: false },
      },
      update,
      { returnDocument: 'after', lean: true, projection: { job_id: 1, batch_id: 1 } },
    );
    if (!after) continue;
    await moveBatchCounters(deps, after.batch_id, transitionDelta('processing', 'failed'));
    result.legacy_failed++;
  }
  return result;
}

/**
 * Copies each batch's `isActive` / `archived` onto its jobs' `batch_active` / `archived`, and its
 * start time `not_before` onto their `batch_not_before`, which the claim filters on. The app's own
 * actions write all of them; the legacy side (archive_batch, the Flask toggle) writes the batch
 * alone, and a job it adds to a scheduled batch has no start time copy (claimable at once). Covers
 * the `limit` most recently changed batches, every paused one and every one whose start is still
 * to come; one updateMany by batch_id each (index range), matching only jobs whose copy is
 * wrong, so a quiet batch costs one empty update. The claim checks the claimed job's batch too.
 * A start that has passed or was cleared needs no copy: only a copy still in the future (an edit
 * that stopped between its two writes) is corrected then; a past one holds nothing back.
 */
export async function syncBatchFlags(deps: DomainDeps, options: { limit?: number } = {}): Promise<{ batches: number; jobs: number }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 10_000);
  const now = nowOf(deps);
  const projection = { _id: 0, batch_id: 1, isActive: 1, archived: 1, not_before: 1 };
  const [recent, paused, scheduled] = await Promise.all([
    deps.models.Batch.find({}, projection).sort({ updated_at: -1 }).limit(limit).lean(),
    deps.models.Batch.find({ isActive: false }, projection).limit(limit).lean(),
    deps.models.Batch.find({ not_before: { $gt: now } }, projection).limit(limit).lean(),
  ]);
  const seen = new Set<string>();
  let batches = 0;
  let jobs = 0;
  for (const batch of [...recent, ...paused, ...scheduled]) {
    if (seen.has(batch.batch_id)) continue;
    seen.add(batch.batch_id);
    const active = batch.isActive !== false;
    const archived = batch.archived === true;
    const notBefore = batch.not_before instanceof Date ? batch.not_before : undefined;
    const waiting = notBefore !== undefined && notBefore.getTime() > now.getTime();
    const wrongStart = waiting ? { batch_not_before: { $ne: notBefore } } : { batch_not_before: { $gt: now } };
    const update = notBefore
      ? { $set: { batch_active: active, archived, batch_not_before: notBefore } }
      : { $set: { batch_active: active, archived }, $unset: { batch_not_before: 1 } };
    const result = await deps.models.Job.updateMany(
      { batch_id: batch.batch_id, $or: [{ batch_active: { $ne: active } }, { archived: { $ne: archived } }, wrongStart] },
      update,
    );
    if (result.modifiedCount > 0) batches++;
    jobs += result.modifiedCount;
  }
  return { batches, jobs };
}

export interface LegacyTidyResult {
  /** Finished jobs that still had a lease (a legacy worker finished a job an app worker held). */
  leases_cleared: number;
  /** Pending jobs without a priority (legacy jobs) given the default 0. */
  priorities_set: number;
  /** Legacy failures given their failure signature (failure.service), at most SIGN_PAGE per run. */
  signatures_set: number;
}

/**
 * Tidies what legacy writers leave behind, both in bounded, index-served updates: a lease on a
 * completed/failed job (`{status, lease.expires_at}` range) and pending jobs without a priority,
 * which the claim's `priority: -1` sort would put below every app job, even priority -100, while
 * the UI shows them as 0 (`{status, priority, created_at}`: the missing-priority range). And it
 * signs legacy failures (`{status, error_signature}` range), so a failure group restarts them too.
 */
export async function tidyLegacyWrites(deps: DomainDeps): Promise<LegacyTidyResult> {
  const [leases, priorities, signatures] = await Promise.all([
    deps.models.Job.updateMany(
      { status: { $in: ['completed', 'failed'] }, 'lease.expires_at': { $gte: new Date(0) } },
      { $unset: { lease: 1 } },
    ),
    deps.models.Job.updateMany({ status: 'pending', priority: { $exists: false } }, { $set: { priority: 0 } }),
    signUnsignedFailures(deps),
  ]);
  return { leases_cleared: leases.modifiedCount, priorities_set: priorities.modifiedCount, signatures_set: signatures };
}
