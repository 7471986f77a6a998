import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import { assertCanCreate, defaultAccessControl, readableFilter } from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import { JOB_LIST_PROJECTION, mergeLogs, toJobDto, toJobListItemDto, type JobDto, type JobListItemDto, type LogEntryDto } from '../mappers/job.mapper';
import type { JobRecord } from '../models/job.model';
import {
  CancelJobInput,
  CreateJobInput,
  DeleteJobInput,
  GetJobLogsInput,
  ListJobsInput,
  RestartJobInput,
} from '@event-monitor/contracts';
import { countersOf } from '../mappers/batch.mapper';
import type { BatchRecord } from '../models/batch.model';
import { isJobStatus, type JobStatus } from '@event-monitor/contracts';
import { recordAudit } from './audit.service';
import { moveBatchCounters } from './batch-counters';
import { buildJobRecord } from './job-records';
import { runIdempotent, type DerivedIds } from './idempotency.service';
import { catchUpSearch } from './search-index.service';
import { searchFilterOf } from './search-terms';
import { boundedCount, readPage, type BoundedTotal, type KeysetSort } from './keyset-page';
import { applyTransition, forcedFailUpdate, restartUpdate } from './job-updates';
import { and, loadBatch, loadJob } from './load';
import { countersImpossible } from './shown-counters';

export interface JobList {
  jobs: JobListItemDto[];
  /** Matches of the filter (not of the page): from the batch counters, or counted up to the cap. */
  total: number;
  /** false when the count stopped at the cap. */
  total_exact: boolean;
  limit: number;
  skip: number;
  /** The `cursor` of the next page (valid for the same sort); null on the last page. */
  next_cursor: string | null;
}

/** The job list's filters (what the actor may read, batch, status, failure signature, search, global view's filters). */
export interface JobListFilterInput {
  batch_id?: string | undefined;
  status?: string | undefined;
  error_signature?: string | undefined;
  search?: string | undefined;
  job_type?: string | undefined;
  language?: string | undefined;
  owner?: string | undefined;
  created_from?: Date | undefined;
  created_to?: Date | undefined;
}

/**
 * The one filter of "jobs matching the list's filters that the actor may read": the job list
 * and the export use it, so they cannot disagree about what matches.
 */
export function jobListFilter(actor: Actor, input: JobListFilterInput): Record<string, unknown> {
  const created =
    input.created_from || input.created_to
      ? { created_at: { ...(input.created_from ? { $gte: input.created_from } : {}), ...(input.created_to ? { $lt: input.created_to } : {}) } }
      : undefined;
  return and(
    readableFilter(actor),
    input.batch_id ? { batch_id: input.batch_id } : undefined,
    input.status ? { status: input.status } : input.error_signature ? { status: 'failed' } : undefined,
    input.error_signature ? { error_signature: input.error_signature } : undefined,
    input.job_type ? { job_type: input.job_type } : undefined,
    input.language ? { 'parameters.target_language': input.language } : undefined,
    input.owner ? { user_id: input.owner } : undefined,
    created,
    searchFilterOf(input.search),
  );
}

/** Jobs the actor may read, one page at a time in the asked sort (keyset cursor or legacy skip). */
export async function listJobs(deps: DomainDeps, actor: Actor, raw: z.input<typeof ListJobsInput> = {}): Promise<JobList> {
  const input = parseInput(ListJobsInput, raw);
  // A batch the actor may not read is NOT_FOUND rather than an empty page (same answer as getBatch).
  const batch = input.batch_id ? await loadBatch(deps, actor, input.batch_id, 'read') : undefined;
  if (searchFilterOf(input.search)) await catchUpSearch(deps);
  const filter = jobListFilter(actor, input);
  const sort: KeysetSort = { list: 'jobs', field: input.sort.field, direction: input.sort.direction === 'asc' ? 1 : -1 };
  const [page, count] = await Promise.all([
    readPage(deps.models.Job, filter, sort, input, { ...JOB_LIST_PROJECTION, _id: 1 }),
    batch && !narrowed(input) && !countersImpossible(batch)
      ? Promise.resolve(totalFromCounters(batch, input.status))
      : boundedCount(deps.models.Job, filter, deps.countCap),
  ]);
  return {
    jobs: page.rows.map(toJobListItemDto),
    ...count,
    limit: input.limit,
    skip: input.skip ?? 0,
    next_cursor: page.next_cursor,
  };
}

/** Whether the list asks for less than one batch's jobs of one status (then the counters do not answer). */
function narrowed(input: ListJobsInput): boolean {
  return Boolean(input.search || input.error_signature || input.job_type || input.language || input.owner || input.created_from || input.created_to);
}

/**
 * The jobs of one batch (all, or of one status) are its counters: exact by construction (see
 * docs/decisions.md), so no count query; counters that cannot be right (a legacy worker wrote
 * them) are counted instead. A job of a readable batch is readable: jobs carry its ACL.
 */
function totalFromCounters(batch: BatchRecord, status: JobStatus | undefined): BoundedTotal {
  const counters = countersOf(batch);
  return { total: status ? counters[`${status}_jobs`] : counters.total_jobs, total_exact: true };
}

/** What an id names among what the actor may read (the jobs page's go-to-id). */
export interface Located {
  job: { job_id: string; batch_id: string | null } | null;
  batch: { batch_id: string } | null;
}

const nullIfNotFound = (error: unknown): null => {
  if (error instanceof DomainError && error.code === DomainErrorCode.NOT_FOUND) return null;
  throw error;
};

/**
 * A job with this id, else a batch, that the actor may read; neither is an answer, not an error
 * (a job or batch the actor may not read is "neither", as NOT_FOUND says elsewhere).
 */
export async function locateId(deps: DomainDeps, actor: Actor, id: string): Promise<Located> {
  const job = await loadJob(deps, actor, id, 'read').catch(nullIfNotFound);
  if (job) return { job: { job_id: job.job_id, batch_id: job.batch_id ?? null }, batch: null };
  const batch = await loadBatch(deps, actor, id, 'read').catch(nullIfNotFound);
  return { job: null, batch: batch ? { batch_id: batch.batch_id } : null };
}

export async function getJob(deps: DomainDeps, actor: Actor, jobId: string): Promise<JobDto> {
  return toJobDto(await loadJob(deps, actor, jobId, 'read', true));
}

/** A job in an existing batch the actor may write (counters follow), or a standalone job. */
export async function createJob(deps: DomainDeps, actor: Actor, raw: z.input<typeof CreateJobInput>): Promise<JobDto> {
  assertCanCreate(actor);
  const { idempotency_key: key, ...input } = parseInput(CreateJobInput, raw);
  if (key === undefined) return insertJob(deps, actor, input);
  return runIdempotent(deps, actor, { operation: 'job.create', key, input }, (ids) => insertJob(deps, actor, input, ids));
}

/** Writes one job; with derived ids (an idempotency key) a takeover that finds it written answers it. */
async function insertJob(deps: DomainDeps, actor: Actor, input: Omit<CreateJobInput, 'idempotency_key'>, ids?: DerivedIds): Promise<JobDto> {
  const { batch_id: batchId, ...jobInput } = input;
  const now = nowOf(deps);
  const jobId = ids?.id('job');
  let record: JobRecord;
  if (batchId) {
    const batch = await loadBatch(deps, actor, batchId, 'write');
    record = buildJobRecord(
      jobInput,
      now,
      {
        batch_id: batch.batch_id,
        // Jobs carry their batch's owner and ACL so a job query needs no join.
        user_id: batch.user_id ?? actor.userId,
        access_control: batch.access_control ?? defaultAccessControl(batch.user_id ?? actor.userId),
        archived: batch.archived === true,
        batch_active: batch.isActive !== false,
        batch_not_before: batch.not_before,
      },
      jobId,
    );
  } else {
    record = buildJobRecord(
      jobInput,
      now,
      {
        user_id: actor.userId,
        access_control: defaultAccessControl(actor.userId),
        archived: false,
        batch_active: true,
      },
      jobId,
    );
  }
  try {
    await deps.models.Job.insertMany([record], { lean: true });
  } catch (err) {
    // A takeover of a crashed first request: the job it wrote is this job (derived id).
    if (!(ids?.takeover && isDuplicateKey(err))) throw err;
    const earlier = await deps.models.Job.findOne({ job_id: record.job_id }).lean<JobRecord>();
    if (!earlier) throw err;
    return toJobDto(earlier);
  }
  await moveBatchCounters(deps, record.batch_id, { total_jobs: 1, pending_jobs: 1 });
  await recordAudit(deps, actor, {
    action: 'job.create',
    target: { type: 'job', ids: [record.job_id] },
    count: 1,
    details: { batch_id: record.batch_id },
  });
  return toJobDto(record);
}

/** Deletes a job if it still has the status read; the batch counters follow. */
export async function deleteJob(
  deps: DomainDeps,
  actor: Actor,
  jobId: string,
  raw: z.input<typeof DeleteJobInput> = {},
): Promise<{ job_id: string; deleted: true }> {
  const input = parseInput(DeleteJobInput, raw);
  const job = await loadJob(deps, actor, jobId, 'admin');
  const { deletedCount } = await deps.models.Job.deleteOne({ job_id: job.job_id, status: job.status });
  if (deletedCount === 0) {
    const still = await deps.models.Job.exists({ job_id: job.job_id });
    if (!still) throw new DomainError(DomainErrorCode.NOT_FOUND, `Job ${job.job_id} not found`);
    throw new DomainError(DomainErrorCode.CONFLICT, `Job ${job.job_id} changed concurrently; try again`);
  }
  if (isJobStatus(job.status)) {
    await moveBatchCounters(deps, job.batch_id, { total_jobs: -1, [`${job.status}_jobs`]: -1 });
  }
  await recordAudit(deps, actor, {
    action: 'job.delete',
    target: { type: 'job', ids: [job.job_id] },
    count: 1,
    reason: input.reason,
    details: { batch_id: job.batch_id, status: job.status },
  });
  return { job_id: job.job_id, deleted: true };
}

/**
 * completed|failed -> pending, removing results, error, progress, completed_at and the lease
 * (the legacy restart left stale results behind), attempts back to 0, and a log line.
 */
export async function restartJob(
  deps: DomainDeps,
  actor: Actor,
  jobId: string,
  raw: z.input<typeof RestartJobInput> = {},
): Promise<JobDto> {
  const input = parseInput(RestartJobInput, raw);
  const job = await loadJob(deps, actor, jobId, 'write');
  const details = [input.bypass_cache ? 'without cache' : '', input.target_language ? `target language ${input.target_language}` : '']
    .filter(Boolean)
    .join(', ');
  const update = restartUpdate(nowOf(deps), `restarted by ${actor.userId}${details ? ` (${details})` : ''}`, {
    bypassCache: input.bypass_cache,
    targetLanguage: input.target_language,
  });
  const after = await applyTransition(deps, job, 'restart', update);
  await recordAudit(deps, actor, {
    action: 'job.restart',
    target: { type: 'job', ids: [job.job_id] },
    count: 1,
    details: { batch_id: job.batch_id, bypass_cache: input.bypass_cache, target_language: input.target_language },
  });
  return toJobDto(after);
}

/** pending|processing -> failed with error CANCELLED; a worker holding the lease loses it. */
export async function cancelJob(
  deps: DomainDeps,
  actor: Actor,
  jobId: string,
  raw: z.input<typeof CancelJobInput> = {},
): Promise<JobDto> {
  const input = parseInput(CancelJobInput, raw);
  const job = await loadJob(deps, actor, jobId, 'write');
  const update = forcedFailUpdate(nowOf(deps), 'CANCELLED', input.reason || `Cancelled by ${actor.userId}`);
  const after = await applyTransition(deps, job, 'cancel', update);
  await recordAudit(deps, actor, {
    action: 'job.cancel',
    target: { type: 'job', ids: [job.job_id] },
    count: 1,
    reason: input.reason,
    details: { batch_id: job.batch_id, from: job.status },
  });
  return toJobDto(after);
}

/** The newest `limit` log lines (from `logs` and legacy `log_entries`), oldest first. */
export async function getJobLogs(
  deps: DomainDeps,
  actor: Actor,
  jobId: string,
  raw: z.input<typeof GetJobLogsInput> = {},
): Promise<LogEntryDto[]> {
  const input = parseInput(GetJobLogsInput, raw);
  const job = await loadJob(deps, actor, jobId, 'read');
  const record = await deps.models.Job.findOne({ job_id: job.job_id }, { logs: 1, log_entries: 1 }).lean<JobRecord>();
  if (!record) throw new DomainError(DomainErrorCode.NOT_FOUND, `Job ${job.job_id} not found`);
  const lines = mergeLogs(record).filter((line) => !input.level || line.level === input.level);
  return lines.slice(-input.limit);
}
