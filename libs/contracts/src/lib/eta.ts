// The estimated time left of a batch from its observed throughput: the dashboard's ETA column and,
// through schedule.ts, the server's `deadline_risk`. Its own module so the dashboard's first load
// takes only this (the deadline badges load lazily).

/** The counters the estimate reads (a batch DTO or a batch from `batch.list`). */
export interface EtaBatch {
  created_at: Date | string;
  total_jobs: number;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  isActive: boolean;
  completed_at?: Date | string;
  not_before?: Date | string;
  deadline?: Date | string;
}

/** Fewer finished jobs than this give no rate worth extrapolating. */
export const MIN_FINISHED_FOR_ETA = 2;

const timeOf = (value: Date | string): number => new Date(value).getTime();

/**
 * The time left, in ms, from the batch's observed throughput: jobs finished (completed or failed:
 * both leave the queue) since the batch started (created, or its `not_before` when later), over
 * the time elapsed, applied to the jobs still pending or processing. Null ("unknown") while it
 * cannot be estimated: fewer than MIN_FINISHED_FOR_ETA finished, nothing pending (the last jobs'
 * durations are not a rate), the batch paused, or a start not in the past. 0 when nothing is left.
 */
export function estimateEta(batch: EtaBatch, now: number): number | null {
  const left = batch.pending_jobs + batch.processing_jobs;
  if (left === 0) return 0;
  const finished = batch.completed_jobs + batch.failed_jobs;
  const start = Math.max(timeOf(batch.created_at), batch.not_before === undefined ? -Infinity : timeOf(batch.not_before));
  const elapsed = now - start;
  if (!batch.isActive || batch.pending_jobs === 0 || finished < MIN_FINISHED_FOR_ETA || !(elapsed > 0)) return null;
  return Math.round((left * elapsed) / finished);
}
