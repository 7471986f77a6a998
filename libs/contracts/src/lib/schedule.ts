// Scheduled batches (issue 20 item 4): the estimated time left and whether a deadline holds. Pure
// functions of a batch's counters and the current time, shared by the server (`deadline_risk` in
// the batch JSON) and the dashboard (the ETA column and the deadline badge), so both say the same.

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

export const DEADLINE_RISKS = ['on_track', 'at_risk', 'missed', 'unknown'] as const;
export type DeadlineRisk = (typeof DEADLINE_RISKS)[number];

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

/**
 * Whether the batch makes its deadline, from its ETA: `missed` once the deadline passed with work
 * left (or the work finished after it), `on_track` when done in time or the ETA ends before the
 * deadline, `at_risk` when it ends after, `unknown` while there is no ETA. Undefined without a deadline.
 */
export function deadlineRisk(batch: EtaBatch, now: number): DeadlineRisk | undefined {
  if (batch.deadline === undefined) return undefined;
  const deadline = timeOf(batch.deadline);
  if (batch.pending_jobs + batch.processing_jobs === 0) {
    const finished = batch.completed_at === undefined ? now : timeOf(batch.completed_at);
    return finished <= deadline ? 'on_track' : 'missed';
  }
  if (now > deadline) return 'missed';
  const eta = estimateEta(batch, now);
  if (eta === null) return 'unknown';
  return now + eta <= deadline ? 'on_track' : 'at_risk';
}

/** Ms until a scheduled batch may start; null when it has no start time or the time has passed. */
export function startsIn(batch: Pick<EtaBatch, 'not_before'>, now: number): number | null {
  if (batch.not_before === undefined) return null;
  const left = timeOf(batch.not_before) - now;
  return left > 0 ? left : null;
}
