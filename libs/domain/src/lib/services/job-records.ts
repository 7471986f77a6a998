import type { JobRecord } from '../models/job.model';
import type { AccessControlRecord } from '../models/shared-schemas';
import { DEFAULT_MAX_ATTEMPTS } from '../job-state';
import type { BatchJobInput } from '@event-monitor/contracts';
import { compact, defaultJobName, newJobId } from '../util';

export interface JobPlacement {
  batch_id?: string;
  user_id: string;
  access_control: AccessControlRecord;
  archived: boolean;
  batch_active: boolean;
  /** The batch's start time, copied for the claim. */
  batch_not_before?: Date;
}

/** A new pending job document: only keys with a value (never null or undefined). `jobId`: a derived id (idempotent creation). */
export function buildJobRecord(input: BatchJobInput, now: Date, placement: JobPlacement, jobId: string = newJobId()): JobRecord {
  const parameters = compact(input.parameters);
  return compact({
    job_id: jobId,
    job_type: input.job_type ?? '',
    job_name: input.job_name || defaultJobName(parameters) || undefined,
    status: 'pending',
    created_at: now,
    updated_at: now,
    parameters,
    archived: placement.archived,
    user_id: placement.user_id,
    access_control: placement.access_control,
    batch_id: placement.batch_id,
    priority: input.priority ?? 0,
    attempts: 0,
    max_attempts: input.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    event_type: input.event_type || undefined,
    batch_active: placement.batch_active,
    batch_not_before: placement.batch_not_before,
  });
}
