import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import { readableFilter } from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import { DEFAULT_MAX_ATTEMPTS, retryBackoffMs, transitionDelta, type BatchCounters } from '../job-state';
import { JOB_LIST_PROJECTION, toJobDto, toJobListItemDto, type JobDto, type JobListItemDto } from '../mappers/job.mapper';
import { toWorkerDto, type WorkerDto, type WorkerJobDto } from '../mappers/worker.mapper';
import { driverCollections } from '../models/domain-models';
import type { JobRecord } from '../models/job.model';
import {
  ClaimInput,
  CompleteJobInput,
  FailJobInput,
  HeartbeatInput,
  ListStaleLeasesInput,
  ListWorkersInput,
  ReportProgressInput,
  WorkerAppendLogsInput,
} from '@event-monitor/contracts';
import { compact, newLeaseToken } from '../util';
import { moveBatchCounters, type BatchFlags } from './batch-counters';
import { and } from './load';
import { logLine, pushLogs } from './job-updates';
import { errorSignature } from './error-signature';
import { filesNamedByResults, isInOutputLocation, legacyResultFiles } from './result-files';
import { flowState, pausedTypes, releaseJobSlot, releaseSlot, reserveSlot } from './flow.service';

export interface ClaimResult {
  job: JobDto;
  /** The fencing token: every later call for this job must present it. Only ever returned here. */
  lease: { worker_id: string; token: string; expires_at: Date };
}

/** completeJob's answer; `next` (the claim's answer, null when nothing was ready) only with claim_next. */
export interface CompleteResult extends WorkerTransitionResult {
  next?: ClaimResult | null;
}

export interface WorkerTransitionResult {
  job_id: string;
  status: 'pending' | 'completed' | 'failed';
  attempts: number;
  /** When a retried job may be claimed again. */
  available_at?: Date;
}

/**
 * Atomically takes the best claimable job: pending, of an active non-archived batch (or
 * standalone), not backing off, of an accepted type; highest priority first, then oldest.
 * Returns null when there is nothing to do.
 */
export async function claimNextJob(deps: DomainDeps, raw: z.input<typeof ClaimInput>): Promise<ClaimResult | null> {
  const input = parseInput(ClaimInput, raw);
  const now = nowOf(deps);
  for (let attempt = 0; attempt <= MAX_STOPPED_BATCH_RETRIES; attempt++) {
    const claimed = await takeNextJob(deps, input, now);
    if (!claimed) break;
    // Different documents, no order between them: one round trip of latency instead of two.
    const [flags] = await Promise.all([
      moveBatchCounters(deps, claimed.job.batch_id, transitionDelta('pending', 'processing')),
      touchWorker(deps, input.worker_id, now, { current_job_id: claimed.job.job_id, inc: { jobs_claimed: 1 } }),
    ]);
    if (!isStopped(flags)) return claimed;
    await releaseStoppedBatchClaim(deps, claimed, now, flags);
  }
  await touchWorker(deps, input.worker_id, now, { current_job_id: null });
  return null;
}

/** How many jobs of paused/archived batches one claim call steps over before answering "nothing". */
const MAX_STOPPED_BATCH_RETRIES = 3;

function isStopped(flags: BatchFlags | undefined): flags is BatchFlags {
  return flags !== undefined && (!flags.active || flags.archived);
}

/**
 * The claim filters on the job's copies of its batch's flags (`batch_active`, `archived`), which
 * only the app writes; the legacy side pauses (`isActive`) and archives on the batch document
 * alone. The counter move of the claim reads the batch's own flags anyway (no extra round trip):
 * a job of a paused or archived batch is put back as it was, the counters moved back, and the
 * batch's pending jobs get the right copies, so the next claim skips the whole batch. The
 * maintenance sweep copies the flags both ways (syncBatchFlags) for batches nobody claims from.
 */
async function releaseStoppedBatchClaim(deps: DomainDeps, claimed: ClaimResult, now: Date, flags: BatchFlags): Promise<void> {
  const { jobs } = driverCollections(deps.models);
  const released = await jobs.updateOne(
    { job_id: claimed.job.job_id, status: 'processing', 'lease.token': claimed.lease.token },
    {
      $set: { status: 'pending', updated_at: now, batch_active: flags.active, archived: flags.archived },
      $unset: { lease: 1, progress: 1, processing_started_at: 1 },
      $inc: { attempts: -1 },
    },
  );
  if (released.modifiedCount === 1) {
    await Promise.all([
      moveBatchCounters(deps, claimed.job.batch_id, transitionDelta('processing', 'pending')),
      releaseJobSlot(deps, claimed.job.job_type, claimed.lease.token),
    ]);
  }
  await jobs.updateMany({ batch_id: claimed.job.batch_id, status: 'pending' }, { $set: { batch_active: flags.active, archived: flags.archived } });
}

/**
 * The best claimable job, now processing under a new lease. Paused job types are left out by the
 * filter (`$nin` / a shorter `$in`: the claim stays on its index). Without limits that is the
 * claim's one write. With limited types among the candidates, the best candidate is looked at
 * first: a job of an unlimited type is taken with the limited types left out, one of a limited
 * type only after a slot of its type was reserved (flow.service), so no claimer ever holds a job
 * beyond a limit, even for a moment; a full type is stepped over for the rest of this claim.
 */
async function takeNextJob(deps: DomainDeps, input: ClaimInput, now: Date): Promise<ClaimResult | null> {
  const flow = await flowState(deps);
  const paused = pausedTypes(flow, now);
  const wanted = input.job_types && input.job_types.length > 0 ? input.job_types.filter((type) => !paused.includes(type)) : undefined;
  if (wanted && wanted.length === 0) return null;
  const typeFilter = (skip: readonly string[]): unknown =>
    wanted ? { $in: wanted.filter((type) => !skip.includes(type)) } : skip.length > 0 ? { $nin: [...skip] } : undefined;
  const limited = [...flow.limited].filter((type) => !paused.includes(type) && (!wanted || wanted.includes(type)));
  if (limited.length === 0) return takeJob(deps, input, now, typeFilter(paused));

  const full: string[] = [];
  for (let round = 0; round <= limited.length + 1; round++) {
    const skip = [...paused, ...full];
    const candidateTypes = typeFilter(skip);
    if (wanted && (candidateTypes as { $in: string[] }).$in.length === 0) return null;
    const best = await driverCollections(deps.models).jobs.findOne(claimFilter(now, candidateTypes), {
      sort: { priority: -1, created_at: 1 },
      projection: { _id: 0, job_type: 1 },
    });
    if (!best) return null;
    const type = best.job_type ?? '';
    if (!flow.limited.has(type)) {
      const unlimited = typeFilter([...paused, ...limited]);
      if (wanted && (unlimited as { $in: string[] }).$in.length === 0) return null;
      return takeJob(deps, input, now, unlimited);
    }
    const token = newLeaseToken();
    const slot = await reserveSlot(deps, flow, type, token, now);
    if (!slot) {
      full.push(type);
      continue;
    }
    const claimed = await takeJob(deps, input, now, type, token);
    if (claimed) return claimed;
    await releaseSlot(deps, type, token, { minute: slot.minute });
    full.push(type); // nothing of it left that this claim may take
  }
  return null;
}

/**
 * What a claim may take: pending, of an active non-archived batch (or standalone) whose start time
 * (`batch_not_before`, the batch's `not_before` copied onto its jobs) has come, not backing off.
 * Both time tests are residual to the {status, priority, created_at} scan.
 */
function claimFilter(now: Date, jobType: unknown): Record<string, unknown> {
  const filter: Record<string, unknown> = {
    status: 'pending',
    batch_active: { $ne: false },
    archived: { $ne: true },
    $or: [{ available_at: { $exists: false } }, { available_at: { $lte: now } }],
    $and: [{ $or: [{ batch_not_before: { $exists: false } }, { batch_not_before: { $lte: now } }] }],
  };
  if (jobType !== undefined) filter['job_type'] = jobType;
  return filter;
}

/** The claim's one write on event_jobs. */
async function takeJob(deps: DomainDeps, input: ClaimInput, now: Date, jobType: unknown, token: string = newLeaseToken()): Promise<ClaimResult | null> {
  const expiresAt = new Date(now.getTime() + input.lease_seconds * 1000);
  const job = await driverCollections(deps.models).jobs.findOneAndUpdate(
    claimFilter(now, jobType),
    {
      $set: {
        status: 'processing',
        processing_started_at: now,
        updated_at: now,
        progress: { step: 'initializing', percent: 0 },
        lease: { worker_id: input.worker_id, token, expires_at: expiresAt },
      },
      $inc: { attempts: 1 },
      $unset: { available_at: 1 },
    },
    { sort: { priority: -1, created_at: 1 }, returnDocument: 'after' },
  );
  if (!job) return null;
  return { job: toJobDto(job), lease: { worker_id: input.worker_id, token, expires_at: expiresAt } };
}

/** The filter of every call made under a lease: the job is processing and the token is current. */
function leased(jobId: string, token: string): Record<string, unknown> {
  return { job_id: jobId, status: 'processing', 'lease.token': token };
}

/**
 * Nothing matched the leased filter: NOT_FOUND when the job is gone, else a stale lease. A job
 * finished by someone else while this lease was on it (a legacy worker completing or failing it
 * with a plain update) loses the lease here, so no finished job keeps one.
 */
async function leaseMiss(deps: DomainDeps, jobId: string, token?: string): Promise<DomainError> {
  const exists = await deps.models.Job.exists({ job_id: jobId });
  if (!exists) return new DomainError(DomainErrorCode.NOT_FOUND, `Job ${jobId} not found`);
  if (token) {
    await deps.models.Job.updateOne(
      { job_id: jobId, status: { $in: ['completed', 'failed'] }, 'lease.token': token },
      { $unset: { lease: 1 } },
    );
  }
  return new DomainError(
    DomainErrorCode.CONFLICT,
    `The lease on job ${jobId} is no longer yours (expired, restarted, cancelled or claimed by another worker)`,
  );
}

/** Extends the lease; a worker calls it well before expires_at. */
export async function heartbeat(deps: DomainDeps, raw: z.input<typeof HeartbeatInput>): Promise<{ expires_at: Date }> {
  const input = parseInput(HeartbeatInput, raw);
  const now = nowOf(deps);
  const expiresAt = new Date(now.getTime() + input.lease_seconds * 1000);
  const job = await deps.models.Job.findOneAndUpdate(
    leased(input.job_id, input.token),
    { $set: { 'lease.expires_at': expiresAt, updated_at: now } },
    { returnDocument: 'after', lean: true, projection: { lease: 1, job_id: 1 } },
  );
  if (!job?.lease) throw await leaseMiss(deps, input.job_id, input.token);
  await touchWorker(deps, job.lease.worker_id, now, { current_job_id: job.job_id });
  return { expires_at: expiresAt };
}

export async function reportProgress(deps: DomainDeps, raw: z.input<typeof ReportProgressInput>): Promise<void> {
  const input = parseInput(ReportProgressInput, raw);
  const result = await deps.models.Job.updateOne(leased(input.job_id, input.token), {
    $set: { progress: compact(input.progress), updated_at: nowOf(deps) },
  });
  if (result.matchedCount === 0) throw await leaseMiss(deps, input.job_id, input.token);
}

/** Appends log lines, keeping the newest 1,000. */
export async function appendLogs(
  deps: DomainDeps,
  raw: z.input<typeof WorkerAppendLogsInput>,
): Promise<{ appended: number }> {
  const input = parseInput(WorkerAppendLogsInput, raw);
  const now = nowOf(deps);
  const lines = input.entries.map((entry) => logLine(entry.timestamp ?? now, entry.level, entry.message));
  const result = await deps.models.Job.updateOne(leased(input.job_id, input.token), {
    $push: pushLogs(lines),
    $set: { updated_at: now },
  });
  if (result.matchedCount === 0) throw await leaseMiss(deps, input.job_id, input.token);
  return { appended: lines.length };
}

export async function completeJob(
  deps: DomainDeps,
  raw: z.input<typeof CompleteJobInput>,
): Promise<CompleteResult> {
  const input = parseInput(CompleteJobInput, raw);
  const now = nowOf(deps);
  const resultFiles = await checkResultFiles(deps, input.job_id, input.token, input.results);
  const job = await driverCollections(deps.models).jobs.findOneAndUpdate(
    leased(input.job_id, input.token),
    {
      $set: {
        status: 'completed',
        completed_at: now,
        updated_at: now,
        progress: { step: 'completed', percent: 100 },
        results: compact(input.results),
        completed_lease_token: input.token,
        result_files: resultFiles,
      },
      $unset: { lease: 1, error: 1, error_signature: 1, available_at: 1 },
    },
    { returnDocument: 'before', projection: { job_id: 1, batch_id: 1, attempts: 1, lease: 1, job_type: 1 } },
  );
  let done: WorkerTransitionResult;
  if (job?.lease) {
    done = { job_id: job.job_id, status: 'completed', attempts: job.attempts ?? 1 };
  } else {
    // The same holder asking again (its first answer was lost to a restart or a network error)
    // gets the same answer; nothing is written twice, the counters moved once.
    const again = await deps.models.Job.findOne(
      { job_id: input.job_id, status: 'completed', completed_lease_token: input.token },
      { job_id: 1, attempts: 1 },
    ).lean<JobRecord>();
    if (!again) throw await leaseMiss(deps, input.job_id, input.token);
    done = { job_id: again.job_id, status: 'completed', attempts: again.attempts ?? 1 };
  }
  // The job's slot of a limited type goes back before claim_next reserves one (a no-op otherwise).
  if (job?.lease) await releaseJobSlot(deps, job.job_type, job.lease.token);
  // With claim_next: the next job is taken before the counters move, so both moves of one batch
  // (processing -> completed, pending -> processing) go into one $inc.
  const next = input.claim_next ? await takeNextJob(deps, input.claim_next, now) : undefined;
  const moves = new Map<string, Partial<BatchCounters>>();
  const addMove = (batchId: string | undefined, delta: Partial<BatchCounters>) => {
    if (!batchId) return;
    const sum = { ...moves.get(batchId) };
    for (const [key, n] of Object.entries(delta) as [keyof BatchCounters, number][]) sum[key] = (sum[key] ?? 0) + n;
    moves.set(batchId, sum);
  };
  if (job?.lease) addMove(job.batch_id, transitionDelta('processing', 'completed'));
  if (next) addMove(next.job.batch_id, transitionDelta('pending', 'processing'));
  const flagsOf = new Map<string, Promise<BatchFlags | undefined>>();
  for (const [batchId, delta] of moves) flagsOf.set(batchId, moveBatchCounters(deps, batchId, delta));
  const writes: Promise<unknown>[] = [...flagsOf.values()];
  // The lease holder's row counts the completion, the claimer's the claim: one write when they are
  // the same worker (the usual case), two when a worker claims under another id.
  const holder = job?.lease?.worker_id;
  const claimer = input.claim_next?.worker_id;
  if (holder && claimer === holder) {
    const inc = { jobs_completed: 1, jobs_claimed: next ? 1 : 0 };
    writes.push(touchWorker(deps, holder, now, { current_job_id: next?.job.job_id ?? null, inc }));
  } else {
    if (holder) writes.push(touchWorker(deps, holder, now, { current_job_id: null, inc: { jobs_completed: 1 } }));
    if (claimer) {
      const inc = { jobs_claimed: next ? 1 : 0 };
      writes.push(touchWorker(deps, claimer, now, { current_job_id: next?.job.job_id ?? null, inc }));
    }
  }
  await Promise.all(writes);
  const nextFlags = next?.job.batch_id ? await flagsOf.get(next.job.batch_id) : undefined;
  if (next && isStopped(nextFlags)) {
    // Its batch was paused or archived on the legacy side: put it back; the worker claims again.
    await releaseStoppedBatchClaim(deps, next, now, nextFlags);
    return { ...done, next: null };
  }
  return next === undefined ? done : { ...done, next };
}

/**
 * The files a completion names, checked and listed for `result_files`: markdown file and assets
 * must lie under the job's own output location and must not be files another user's job names
 * (400 naming the field); links of the markdown are kept when they pass the same two tests.
 */
async function checkResultFiles(
  deps: DomainDeps,
  jobId: string,
  token: string,
  results: z.output<typeof CompleteJobInput>['results'],
): Promise<string[]> {
  const { markdownFile, named, linked } = filesNamedByResults(results);
  if (named.length === 0 && linked.length === 0) return [];
  const job = await deps.models.Job.findOne(leased(jobId, token), { _id: 0, parameters: 1, user_id: 1 }).lean<JobRecord>();
  // No lease held: the completion below answers (a repeated completion, or a stale lease).
  if (!job) return [];
  const fieldErrors: Record<string, string[]> = Object.create(null);
  for (const file of named) {
    if (!file.path) fieldErrors[file.field] = ['Must be a relative path under the files root'];
    else if (!isInOutputLocation(file.path, job.parameters, markdownFile))
      fieldErrors[file.field] = ["Must lie under this job's sessions/<event>/<target_language>/ folder (attachments in assets/<markdown name>/)"];
  }
  const inside = [...named.map((file) => file.path), ...linked].filter(
    (path): path is string => path !== null && isInOutputLocation(path, job.parameters, markdownFile),
  );
  const others = inside.length === 0 ? new Set<string>() : await filesOfOtherUsers(deps, job.user_id, inside);
  for (const file of named) {
    if (file.path && others.has(file.path) && !fieldErrors[file.field]) fieldErrors[file.field] = ["Another user's job names this file"];
  }
  const fields = Object.keys(fieldErrors);
  if (fields.length > 0) {
    throw new DomainError(DomainErrorCode.VALIDATION, `Invalid input: ${fields.slice(0, 5).join(', ')}`, { fieldErrors, formErrors: [] });
  }
  return [...new Set(inside.filter((path) => !others.has(path)))];
}

/** Which of `paths` a job of someone else names (recorded, or a legacy job's markdown file / assets). */
async function filesOfOtherUsers(deps: DomainDeps, userId: string | undefined, paths: string[]): Promise<Set<string>> {
  const spellings = paths.flatMap((path) => [path, `./${path}`, `/${path}`]);
  const owners = await deps.models.Job.find(
    {
      user_id: userId === undefined ? { $exists: true } : { $ne: userId },
      $or: [{ result_files: { $in: paths } }, { 'results.markdown_file': { $in: spellings } }, { 'results.assets': { $in: spellings } }],
    },
    { _id: 0, result_files: 1, 'results.markdown_file': 1, 'results.assets': 1 },
  )
    .limit(100)
    .lean<JobRecord[]>();
  const taken = new Set<string>();
  for (const owner of owners) {
    for (const path of [...(owner.result_files ?? []), ...legacyResultFiles({ results: { markdown_file: owner.results?.markdown_file, assets: owner.results?.assets } })]) {
      taken.add(path);
    }
  }
  return new Set(paths.filter((path) => taken.has(path)));
}

/**
 * A retryable failure with attempts left goes back to pending, claimable after an exponential
 * backoff, keeping the error as the last one; otherwise the job fails for good.
 */
export async function failJob(deps: DomainDeps, raw: z.input<typeof FailJobInput>): Promise<WorkerTransitionResult> {
  const input = parseInput(FailJobInput, raw);
  const now = nowOf(deps);
  // Read first to decide retry vs fail; the write below is conditional on what was read.
  const current = await deps.models.Job.findOne(leased(input.job_id, input.token), {
    job_id: 1,
    attempts: 1,
    max_attempts: 1,
    lease: 1,
    job_type: 1,
  }).lean<JobRecord>();
  if (!current?.lease) throw await leaseMiss(deps, input.job_id, input.token);
  const attempts = current.attempts ?? 1;
  const retry = input.retryable && attempts < (current.max_attempts ?? DEFAULT_MAX_ATTEMPTS);
  const error = compact(input.error);
  const signature = errorSignature(error.code, error.message);
  const availableAt = new Date(now.getTime() + retryBackoffMs(attempts));
  const update = retry
    ? {
        $set: { status: 'pending', updated_at: now, error, error_signature: signature, available_at: availableAt },
        $unset: { lease: 1, progress: 1, processing_started_at: 1, results: 1 },
        $push: pushLogs([logLine(now, 'warning', `attempt ${attempts} failed (${error.code}); retry after ${availableAt.toISOString()}`)]),
      }
    : {
        $set: { status: 'failed', updated_at: now, completed_at: now, error, error_signature: signature },
        // Results another attempt (a legacy worker on the same job) wrote are not this failure's.
        $unset: { lease: 1, available_at: 1, results: 1 },
      };
  const job = await deps.models.Job.findOneAndUpdate({ ...leased(input.job_id, input.token), attempts: current.attempts ?? null }, update, {
    returnDocument: 'after',
    lean: true,
    projection: { job_id: 1, batch_id: 1 },
  });
  if (!job) throw await leaseMiss(deps, input.job_id, input.token);
  const to = retry ? 'pending' : 'failed';
  await Promise.all([
    moveBatchCounters(deps, job.batch_id, transitionDelta('processing', to)),
    touchWorker(deps, current.lease.worker_id, now, { current_job_id: null, inc: { jobs_failed: 1 } }),
    releaseJobSlot(deps, current.job_type, current.lease.token),
  ]);
  return retry
    ? { job_id: job.job_id, status: 'pending', attempts, available_at: availableAt }
    : { job_id: job.job_id, status: 'failed', attempts };
}

/**
 * Workers seen within the window, most recently seen first. Given an actor (the operator door),
 * each worker's `current_job` describes the job it holds (batch, name, lease) when the actor may
 * read that job; the worker door passes none.
 */
export async function listWorkers(
  deps: DomainDeps,
  raw: z.input<typeof ListWorkersInput> = {},
  actor?: Actor,
): Promise<WorkerDto[]> {
  const input = parseInput(ListWorkersInput, raw);
  const since = new Date(nowOf(deps).getTime() - input.seen_within_ms);
  const workers = (
    await deps.models.Worker.find({ last_seen_at: { $gte: since } }).sort({ last_seen_at: -1 }).limit(1000).lean()
  ).map(toWorkerDto);
  const jobIds = [...new Set(workers.flatMap((w) => (w.current_job_id ? [w.current_job_id] : [])))];
  if (!actor || jobIds.length === 0) return workers;
  const jobs = await deps.models.Job.find(and({ job_id: { $in: jobIds } }, readableFilter(actor)), JOB_LIST_PROJECTION).lean<
    JobRecord[]
  >();
  const byId = new Map(jobs.map((job) => [job.job_id, toWorkerJobDto(toJobListItemDto(job))]));
  for (const worker of workers) {
    const job = worker.current_job_id ? byId.get(worker.current_job_id) : undefined;
    if (job) worker.current_job = job;
  }
  return workers;
}

function toWorkerJobDto(job: JobListItemDto): WorkerJobDto {
  return compact({
    job_id: job.job_id,
    job_name: job.job_name,
    status: job.status,
    batch_id: job.batch_id,
    lease_expires_at: job.lease?.expires_at,
    lease_worker_id: job.lease?.worker_id,
  });
}

export interface LegacyActivity {
  /** Processing jobs without a lease (taken by a legacy worker), as the reader may see them. */
  processing_without_lease: number;
  /** When the most recent of them was taken. */
  last_started_at?: Date;
}

/**
 * Signs that legacy workers run on this queue: processing jobs without a lease (only a legacy
 * worker takes a job without one). Bounded by the status index to the processing jobs.
 */
export async function legacyActivity(deps: DomainDeps, actor: Actor): Promise<LegacyActivity> {
  const jobs = await deps.models.Job.find(and({ status: 'processing', lease: { $exists: false } }, readableFilter(actor)), {
    _id: 0,
    processing_started_at: 1,
  })
    .limit(1000)
    .lean<Pick<JobRecord, 'processing_started_at'>[]>();
  const started = jobs.flatMap((job) => (job.processing_started_at instanceof Date ? [job.processing_started_at.getTime()] : []));
  const activity: LegacyActivity = { processing_without_lease: jobs.length };
  if (started.length > 0) activity.last_started_at = new Date(Math.max(...started));
  return activity;
}

/** Processing jobs without a live lease and (legacy worker, no lease) untouched this long count as stale. */
export const LEGACY_STALE_AFTER_MS = 30 * 60 * 1000;

export interface StaleLeaseDto extends JobListItemDto {
  /** `lease_expired`: the worker stopped heartbeating; `legacy_no_lease`: a legacy worker took it long ago. */
  stale_reason: 'lease_expired' | 'legacy_no_lease';
}

/**
 * Processing jobs nobody works on any more, as the reader may see them, oldest first: leases
 * past `expires_at`, and legacy-taken jobs (no lease) started more than 30 minutes ago. The
 * periodic `recoverExpiredLeases` sweep clears them; until then the worker view shows them.
 */
export async function listStaleLeases(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ListStaleLeasesInput> = {},
): Promise<StaleLeaseDto[]> {
  const input = parseInput(ListStaleLeasesInput, raw);
  const now = nowOf(deps);
  const cutoff = new Date(now.getTime() - LEGACY_STALE_AFTER_MS);
  const filter = and(
    {
      status: 'processing',
      $or: [
        { 'lease.expires_at': { $lt: now } },
        { lease: { $exists: false }, processing_started_at: { $lt: cutoff } },
        { lease: { $exists: false }, processing_started_at: { $exists: false }, updated_at: { $lt: cutoff } },
      ],
    },
    readableFilter(actor),
  );
  const jobs = await deps.models.Job.find(filter, JOB_LIST_PROJECTION)
    .sort({ updated_at: 1 })
    .limit(input.limit)
    .lean<JobRecord[]>();
  return jobs.map((job) => ({
    ...toJobListItemDto(job),
    stale_reason: job.lease ? 'lease_expired' : 'legacy_no_lease',
  }));
}

interface WorkerTouch {
  /** null removes it (the worker is idle). */
  current_job_id: string | null;
  inc?: Partial<Record<'jobs_claimed' | 'jobs_completed' | 'jobs_failed', number>>;
}

/** A touch that only says "still here" is written at most this often per worker and process. */
const WORKER_SEEN_WRITE_MS = 1_000;
const MAX_REMEMBERED_WORKERS = 10_000;

interface WrittenTouch {
  at: number;
  current_job_id: string | null;
}

// What this process last wrote to each worker's row, per set of models (tests use several).
const lastTouches = new WeakMap<object, Map<string, WrittenTouch>>();

function touchesOf(deps: DomainDeps): Map<string, WrittenTouch> {
  let touches = lastTouches.get(deps.models);
  if (!touches) {
    touches = new Map();
    lastTouches.set(deps.models, touches);
  }
  return touches;
}

/**
 * Upserts the worker's row; the all-zero $inc creates the counters on first sight. A touch that
 * changes nothing but `last_seen_at` (an idle worker long-polling for a claim, a heartbeat on the
 * same job) is skipped when this process wrote the same current job for this worker less than
 * WORKER_SEEN_WRITE_MS ago: the row's last-seen time is then at most that much behind. Counts
 * and current-job changes are always written.
 */
async function touchWorker(deps: DomainDeps, workerId: string, now: Date, touch: WorkerTouch): Promise<void> {
  const touches = touchesOf(deps);
  const at = now.getTime();
  const last = touches.get(workerId);
  const counts = Object.values(touch.inc ?? {}).some((n) => n !== 0);
  if (!counts && last && last.current_job_id === touch.current_job_id && at >= last.at && at - last.at < WORKER_SEEN_WRITE_MS) {
    return;
  }
  const update: Record<string, unknown> = {
    $set: touch.current_job_id ? { last_seen_at: now, current_job_id: touch.current_job_id } : { last_seen_at: now },
    $inc: { jobs_claimed: 0, jobs_completed: 0, jobs_failed: 0, ...touch.inc },
    $setOnInsert: { first_seen_at: now },
  };
  if (!touch.current_job_id) update['$unset'] = { current_job_id: 1 };
  const { workers } = driverCollections(deps.models);
  try {
    await workers.updateOne({ worker_id: workerId }, update, { upsert: true });
  } catch (err) {
    // Two first calls of the same worker race on the unique index: the second one updates.
    if (!isDuplicateKey(err)) throw err;
    await workers.updateOne({ worker_id: workerId }, update);
  }
  touches.delete(workerId);
  if (touches.size >= MAX_REMEMBERED_WORKERS) touches.delete(touches.keys().next().value as string);
  touches.set(workerId, { at, current_job_id: touch.current_job_id });
}
