import { assertAccess, type AccessLevel } from '../access/access.policy';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import type { BatchRecord } from '../models/batch.model';
import type { JobRecord } from '../models/job.model';
import { BatchId, JobId } from '@event-monitor/contracts';

/** ANDs filters, skipping empty ones (a plain merge would let one $or overwrite another). */
export function and(...filters: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
  const parts = filters.filter((f): f is Record<string, unknown> => !!f && Object.keys(f).length > 0);
  if (parts.length === 0) return {};
  const [only] = parts;
  return parts.length === 1 && only ? only : { $and: parts };
}

/**
 * Batches that are not archived. An `$in` of the two values (null also matches a missing field)
 * rather than `$ne: true`: a negation bounds no index scan, this bounds the archived index and
 * lets MongoDB merge its two ranges in created_at order.
 */
export const CURRENT_BATCH = { archived: { $in: [false, null] } };

/** Ids arrive from doors as `unknown`; an object like {$ne: null} must never reach a filter. */
export function parseJobId(raw: unknown): string {
  return parseInput(JobId, raw);
}

export function parseBatchId(raw: unknown): string {
  return parseInput(BatchId, raw);
}

export async function loadBatch(deps: DomainDeps, actor: Actor, rawId: unknown, level: AccessLevel): Promise<BatchRecord> {
  const batchId = parseBatchId(rawId);
  const batch = await deps.models.Batch.findOne({ batch_id: batchId }).lean();
  if (!batch) throw new DomainError(DomainErrorCode.NOT_FOUND, `Batch ${batchId} not found`);
  assertAccess(actor, batch, level, `batch ${batchId}`);
  return batch;
}

/** Reads a job for an access check and a transition; heavy fields stay out unless asked for. */
export async function loadJob(
  deps: DomainDeps,
  actor: Actor,
  rawId: unknown,
  level: AccessLevel,
  full = false,
): Promise<JobRecord> {
  const jobId = parseJobId(rawId);
  const projection: Record<string, 1> = full
    ? {}
    : { job_id: 1, status: 1, batch_id: 1, user_id: 1, access_control: 1, attempts: 1, max_attempts: 1, lease: 1 };
  const job = await deps.models.Job.findOne({ job_id: jobId }, projection).lean<JobRecord>();
  if (!job) throw new DomainError(DomainErrorCode.NOT_FOUND, `Job ${jobId} not found`);
  assertAccess(actor, job, level, `job ${jobId}`);
  return job;
}
