import { randomUUID } from 'node:crypto';
import {
  DEFAULT_MAX_ATTEMPTS,
  defaultAccessControl,
  deriveBatchStatus,
  type BatchRecord,
  type JobRecord,
} from '@event-monitor/domain';

/** What a bench job carries: the keys a conference-session job has, with the defaults zod fills in. */
export function jobParameters(index: number) {
  return {
    event: 'Bench Conference',
    session: `Session ${index}`,
    track: `Track ${index % 8}`,
    filename: `session-${index}.md`,
    speakers: [] as string[],
    source_language: 'en',
    target_language: 'de',
    use_cache: true,
  };
}

/** The body of one job in POST /batches: what a client sends. */
export function jobInput(index: number) {
  const { event, session, track, filename } = jobParameters(index);
  return { job_type: 'bench', parameters: { event, session, track, filename } };
}

export type JobStatusValue = 'pending' | 'processing' | 'completed' | 'failed';

/**
 * A job document as the domain writes it (mirrors buildJobRecord in libs/domain job-records.ts,
 * which the domain does not export): same keys, same defaults, no null values.
 */
export function jobRecord(
  index: number,
  now: Date,
  placement: { batchId: string; userId: string; archived?: boolean; status?: JobStatusValue },
): JobRecord {
  const parameters = jobParameters(index);
  const status = placement.status ?? 'pending';
  const record: JobRecord = {
    job_id: `job-${randomUUID()}`,
    job_type: 'bench',
    job_name: `${parameters.event} - ${parameters.track} - ${parameters.session}`,
    status,
    created_at: new Date(now.getTime() + index),
    updated_at: now,
    parameters,
    archived: placement.archived ?? false,
    user_id: placement.userId,
    access_control: defaultAccessControl(placement.userId),
    batch_id: placement.batchId,
    priority: 0,
    attempts: status === 'pending' ? 0 : 1,
    max_attempts: DEFAULT_MAX_ATTEMPTS,
    batch_active: true,
  } as JobRecord;
  if (status === 'completed' || status === 'failed') {
    Object.assign(record, { completed_at: now, processing_started_at: now });
  }
  if (status === 'completed') Object.assign(record, { results: { markdown_file: parameters.filename } });
  if (status === 'failed') Object.assign(record, { error: { code: 'BENCH', message: 'seeded failure' } });
  if (status === 'processing') Object.assign(record, { processing_started_at: now });
  return record;
}

/** A batch document as createBatch writes it, with counters that match `counts`. */
export function batchRecord(
  batchId: string,
  name: string,
  now: Date,
  userId: string,
  counts: Record<JobStatusValue, number>,
  archived = false,
): BatchRecord {
  const total = counts.pending + counts.processing + counts.completed + counts.failed;
  const { status, done } = deriveBatchStatus({
    total_jobs: total,
    pending_jobs: counts.pending,
    processing_jobs: counts.processing,
    completed_jobs: counts.completed,
    failed_jobs: counts.failed,
  });
  const record = {
    batch_id: batchId,
    batch_name: name,
    status,
    created_at: now,
    updated_at: now,
    user_id: userId,
    access_control: defaultAccessControl(userId),
    total_jobs: total,
    pending_jobs: counts.pending,
    processing_jobs: counts.processing,
    completed_jobs: counts.completed,
    failed_jobs: counts.failed,
    archived,
    isActive: true,
  } as BatchRecord;
  if (done) Object.assign(record, { completed_at: now });
  return record;
}
