import { z } from 'zod';
import { needsSessionOrUrl, RenameBatchInput, UpdateJobInput } from '@event-monitor/contracts';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import { toBatchDto, withRights, type BatchDto } from '../mappers/batch.mapper';
import { toJobDto, type JobDto } from '../mappers/job.mapper';
import type { JobRecord } from '../models/job.model';
import { compact } from '../util';
import { recordAudit } from './audit.service';
import { loadBatch, loadJob } from './load';
import { checkSchedule } from './schedule.service';

/**
 * Renames a batch the actor may write and/or changes its schedule (start time, deadline; null
 * removes one: the key goes, never null). The jobs' copies of the start time (`batch_not_before`,
 * what the claim reads) are written first, so a start moved into the future holds for the next
 * claim already; a job a worker took before that keeps running. Each change is its own audit
 * event: `batch.rename` (from, to) and `batch.schedule` (the new values).
 */
export async function renameBatch(
  deps: DomainDeps,
  actor: Actor,
  batchId: string,
  raw: z.input<typeof RenameBatchInput>,
): Promise<BatchDto> {
  const input = parseInput(RenameBatchInput, raw);
  const batch = await loadBatch(deps, actor, batchId, 'write');
  const now = nowOf(deps);
  const renamed = input.batch_name !== undefined;
  const scheduled = input.not_before !== undefined || input.deadline !== undefined;
  if (!renamed && !scheduled) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'Invalid input: nothing to change', {
      fieldErrors: {},
      formErrors: ['Give batch_name, not_before or deadline'],
    });
  }
  const notBefore = input.not_before === undefined ? batch.not_before : (input.not_before ?? undefined);
  const deadline = input.deadline === undefined ? batch.deadline : (input.deadline ?? undefined);
  if (scheduled) checkSchedule(now, notBefore, deadline, input.deadline instanceof Date);

  const set: Record<string, unknown> = { updated_at: now };
  const unset: Record<string, ''> = {};
  if (renamed) set['batch_name'] = input.batch_name;
  for (const [field, value] of [['not_before', input.not_before], ['deadline', input.deadline]] as const) {
    if (value instanceof Date) set[field] = value;
    else if (value === null) unset[field] = '';
  }
  if (input.not_before !== undefined) {
    await deps.models.Job.updateMany(
      { batch_id: batch.batch_id },
      notBefore ? { $set: { batch_not_before: notBefore } } : { $unset: { batch_not_before: 1 } },
    );
  }
  const after = await deps.models.Batch.findOneAndUpdate(
    { batch_id: batch.batch_id },
    Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set },
    { returnDocument: 'after', lean: true },
  );
  if (!after) throw new DomainError(DomainErrorCode.NOT_FOUND, `Batch ${batch.batch_id} not found`);
  if (renamed) {
    await recordAudit(deps, actor, {
      action: 'batch.rename',
      target: { type: 'batch', ids: [batch.batch_id] },
      count: 1,
      details: { from: batch.batch_name ?? batch.batch_id, to: input.batch_name },
    });
  }
  if (scheduled) {
    await recordAudit(deps, actor, {
      action: 'batch.schedule',
      target: { type: 'batch', ids: [batch.batch_id] },
      count: 1,
      details: compact({ not_before: notBefore?.toISOString(), deadline: deadline?.toISOString() }),
    });
  }
  return withRights(actor, after, toBatchDto(after, now));
}

/** Only jobs no worker holds and that hold no result are edited. */
const EDITABLE = ['pending', 'failed'];

/** The job as it would be after the edit still has something to work on (the create rule). */
const EditedJob = z
  .object({
    job_type: z.string().optional(),
    parameters: z.object({ session: z.string().optional(), url: z.string().optional() }),
  })
  .superRefine(needsSessionOrUrl);

/**
 * Edits a pending or failed job's name, type, priority, attempts or parameters (`parameters`
 * replaces them as a whole). One conditional update on the status and `updated_at` read: a job a
 * worker claimed (or anyone changed) meanwhile is left as it is and the caller gets CONFLICT.
 */
export async function updateJob(
  deps: DomainDeps,
  actor: Actor,
  jobId: string,
  raw: z.input<typeof UpdateJobInput>,
): Promise<JobDto> {
  const input = parseInput(UpdateJobInput, raw);
  const job = await loadJob(deps, actor, jobId, 'write', true);
  if (!EDITABLE.includes(job.status)) {
    throw new DomainError(DomainErrorCode.INVALID_TRANSITION, `Job ${job.job_id} is ${job.status}: only pending or failed jobs can be edited`);
  }
  const parameters = input.parameters ? compact(input.parameters) : undefined;
  parseInput(EditedJob, {
    job_type: input.job_type ?? job.job_type ?? '',
    parameters: { session: (parameters ?? job.parameters)?.session ?? undefined, url: (parameters ?? job.parameters)?.url ?? undefined },
  });
  const set: Record<string, unknown> = compact({
    job_name: input.job_name || undefined,
    job_type: input.job_type,
    event_type: input.event_type || undefined,
    priority: input.priority,
    max_attempts: input.max_attempts,
    parameters,
  });
  const unset: Record<string, ''> = {};
  // An emptied name or label is removed (the legacy reader expects the key absent, never null).
  if (input.job_name === '') unset['job_name'] = '';
  if (input.event_type === '') unset['event_type'] = '';
  const fields = [...Object.keys(set), ...Object.keys(unset)];
  if (fields.length === 0) return toJobDto(job);

  const filter: Record<string, unknown> = { job_id: job.job_id, status: job.status };
  if (job.updated_at instanceof Date) filter['updated_at'] = job.updated_at;
  const after = await deps.models.Job.findOneAndUpdate(
    filter,
    { $set: { ...set, updated_at: nowOf(deps) }, ...(fields.length > Object.keys(set).length ? { $unset: unset } : {}) },
    { returnDocument: 'after', lean: true },
  );
  if (!after) {
    const now = await deps.models.Job.findOne({ job_id: job.job_id }, { status: 1 }).lean<JobRecord>();
    if (!now) throw new DomainError(DomainErrorCode.NOT_FOUND, `Job ${job.job_id} not found`);
    throw new DomainError(DomainErrorCode.CONFLICT, `Job ${job.job_id} changed meanwhile (now ${now.status}); it was not edited`);
  }
  await recordAudit(deps, actor, {
    action: 'job.update',
    target: { type: 'job', ids: [job.job_id] },
    count: 1,
    details: { batch_id: job.batch_id, fields },
  });
  return toJobDto(after);
}
