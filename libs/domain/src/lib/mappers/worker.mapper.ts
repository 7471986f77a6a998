import type { WorkerRecord } from '../models/worker.model';

export interface WorkerDto {
  worker_id: string;
  first_seen_at?: Date;
  last_seen_at: Date;
  current_job_id?: string;
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
