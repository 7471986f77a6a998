import type { JobStatus } from '@event-monitor/contracts';
import type { WorkerRecord } from '../models/worker.model';

/** The job a worker holds, as the reader may see it (only when the reader may read the job). */
export interface WorkerJobDto {
  job_id: string;
  job_name: string;
  status: JobStatus;
  batch_id?: string;
  /** The job's lease now (it may have passed to another worker since). */
  lease_expires_at?: Date;
  lease_worker_id?: string;
}

export interface WorkerDto {
  worker_id: string;
  first_seen_at?: Date;
  last_seen_at: Date;
  current_job_id?: string;
  /** Set by listWorkers for an operator who may read the job. */
  current_job?: WorkerJobDto;
  jobs_claimed: number;
  jobs_completed: number;
  jobs_failed: number;
}

export function toWorkerDto(record: WorkerRecord): WorkerDto {
  const dto: WorkerDto = {
    worker_id: record.worker_id,
    last_seen_at: record.last_seen_at,
    jobs_claimed: record.jobs_claimed ?? 0,
    jobs_completed: record.jobs_completed ?? 0,
    jobs_failed: record.jobs_failed ?? 0,
  };
  if (record.first_seen_at) dto.first_seen_at = record.first_seen_at;
  if (record.current_job_id) dto.current_job_id = record.current_job_id;
  return dto;
}
