import type { DomainDeps } from '../context';
import { DomainError, DomainErrorCode } from '../errors';
import { assertEvent, assertTransition, sourcesOf, transitionDelta, type BatchCounters, type JobEvent } from '../job-state';
import type { JobRecord, LogEntryRecord } from '../models/job.model';
import type { JobStatus, LogLevel } from '@event-monitor/contracts';
import { MAX_LOG_LINES } from '@event-monitor/contracts';
import { moveBatchCounters } from './batch-counters';
import { errorSignature } from './error-signature';

type Update = Record<string, Record<string, unknown>>;

export function logLine(now: Date, level: LogLevel, message: string): LogEntryRecord {
  return { timestamp: now, level, message };
}

/** `$push` that keeps the newest MAX_LOG_LINES lines. */
export function pushLogs(lines: LogEntryRecord[]): Record<string, unknown> {
  return { logs: { $each: lines, $slice: -MAX_LOG_LINES } };
}

/** What a restart removes: the legacy restart left these behind and showed stale results. */
export const RESTART_UNSET = {
  results: 1,
  error: 1,
  progress: 1,
  completed_at: 1,
  processing_started_at: 1,
  lease: 1,
  completed_lease_token: 1,
  result_files: 1,
  available_at: 1,
  error_signature: 1,
} as const;

export interface RestartOptions {
  bypassCache?: boolean;
  targetLanguage?: string;
}

export function restartUpdate(now: Date, message: string, options: RestartOptions = {}): Update {
  const set: Record<string, unknown> = { status: 'pending', updated_at: now, attempts: 0 };
  if (options.bypassCache) set['parameters.use_cache'] = false;
  if (options.targetLanguage) set['parameters.target_language'] = options.targetLanguage;
  return { $set: set, $unset: { ...RESTART_UNSET }, $push: pushLogs([logLine(now, 'info', message)]) };
}

/**
 * pending|processing -> failed by a user or a sweep; a worker still holding the lease loses it,
 * and results a legacy writer left on the job (a legacy completion the job was re-taken after,
 * `update_jobs_status_by_batch`) go too: a failed job carries no results.
 */
export function forcedFailUpdate(now: Date, code: string, message: string, level: LogLevel = 'warning'): Update {
  return {
    $set: { status: 'failed', updated_at: now, completed_at: now, error: { code, message }, error_signature: errorSignature(code, message) },
    $unset: { lease: 1, available_at: 1, results: 1 },
    $push: pushLogs([logLine(now, level, message)]),
  };
}

/**
 * One job transition: ONE findOneAndUpdate with the status read in the filter, then the batch
 * counters. When nothing matched, re-reads to tell NOT_FOUND / INVALID_TRANSITION / CONFLICT
 * apart; nothing is written in that case.
 */
export async function applyTransition(
  deps: DomainDeps,
  job: Pick<JobRecord, 'job_id' | 'status'>,
  event: JobEvent,
  update: Update,
  extraFilter: Record<string, unknown> = {},
): Promise<JobRecord> {
  const to = assertEvent(event, job.status);
  const after = await deps.models.Job.findOneAndUpdate({ ...extraFilter, job_id: job.job_id, status: job.status }, update, {
    returnDocument: 'after',
    lean: true,
  });
  if (!after) throw await explainMiss(deps, job.job_id, event);
  await moveBatchCounters(deps, after.batch_id, transitionDelta(job.status as JobStatus, to));
  return after;
}

async function explainMiss(deps: DomainDeps, jobId: string, event: JobEvent): Promise<DomainError> {
  const current = await deps.models.Job.findOne({ job_id: jobId }, { status: 1 }).lean();
  if (!current) return new DomainError(DomainErrorCode.NOT_FOUND, `Job ${jobId} not found`);
  if (!sourcesOf(event).includes(current.status as JobStatus)) {
    return new DomainError(DomainErrorCode.INVALID_TRANSITION, `Cannot ${event} a ${current.status} job`, {
      from: current.status,
      event,
    });
  }
  return new DomainError(DomainErrorCode.CONFLICT, `Job ${jobId} changed concurrently; try again`);
}

/**
 * A bulk transition of one batch: one updateMany per source status (the status in the filter
 * makes modifiedCount exact), then one $inc of the counters.
 */
export async function bulkTransition(
  deps: DomainDeps,
  batchId: string,
  from: readonly JobStatus[],
  to: JobStatus,
  update: Update,
  extraFilter: Record<string, unknown> = {},
): Promise<number> {
  let moved = 0;
  const delta: Partial<BatchCounters> = {};
  for (const source of from) {
    assertTransition(source, to);
    const result = await deps.models.Job.updateMany({ ...extraFilter, batch_id: batchId, status: source }, update);
    const n = result.modifiedCount;
    moved += n;
    for (const [key, value] of Object.entries(transitionDelta(source, to, n)) as [keyof BatchCounters, number][]) {
      delta[key] = (delta[key] ?? 0) + value;
    }
  }
  await moveBatchCounters(deps, batchId, delta);
  return moved;
}
