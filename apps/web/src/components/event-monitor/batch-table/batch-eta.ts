// The compact batch table's numbers: progress, the estimated time left, and the order of the rows.
// Pure functions of a batch's counters and the current time, so they are unit-tested without a browser.

/** The counters the estimate reads (a batch from `batch.list`). */
export interface EtaBatch {
  batch_name: string;
  user_id?: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
  created_at: Date | string;
  total_jobs: number;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  isActive: boolean;
}

/** Fewer finished jobs than this give no rate worth extrapolating. */
export const MIN_FINISHED_FOR_ETA = 2;

/**
 * The time left, in ms, from the batch's observed throughput: jobs finished (completed or failed:
 * both leave the queue) since the batch was created, over the time elapsed, applied to the jobs
 * still pending or processing. Null ("unknown") while it cannot be estimated: fewer than
 * MIN_FINISHED_FOR_ETA finished, nothing pending (the last jobs' durations are not a rate), the
 * batch paused, or a creation time not in the past. 0 when nothing is left.
 */
export function estimateEta(batch: EtaBatch, now: number): number | null {
  const left = batch.pending_jobs + batch.processing_jobs;
  if (left === 0) return 0;
  const finished = batch.completed_jobs + batch.failed_jobs;
  const elapsed = now - new Date(batch.created_at).getTime();
  if (!batch.isActive || batch.pending_jobs === 0 || finished < MIN_FINISHED_FOR_ETA || !(elapsed > 0))
    return null;
  return Math.round((left * elapsed) / finished);
}

/** Finished jobs as a whole percentage of the batch (0 for an empty batch). */
export function progressPercent(
  batch: Pick<EtaBatch, 'total_jobs' | 'completed_jobs' | 'failed_jobs'>,
): number {
  if (batch.total_jobs <= 0) return 0;
  return Math.min(100, Math.floor(((batch.completed_jobs + batch.failed_jobs) * 100) / batch.total_jobs));
}

export const BATCH_SORT_FIELDS = ['name', 'owner', 'status', 'progress', 'eta', 'created'] as const;
export type BatchSortField = (typeof BATCH_SORT_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';

/** Statuses in the order of attention: what runs, what waits, what failed, what is done. */
const STATUS_ORDER = ['processing', 'pending', 'failed', 'completed'] as const;

type Key = number | string | null;

function keyOf(batch: EtaBatch, field: BatchSortField, now: number): Key {
  switch (field) {
    case 'name':
      return batch.batch_name.toLocaleLowerCase();
    case 'owner':
      return batch.user_id ?? null;
    case 'status':
      return STATUS_ORDER.indexOf(batch.status);
    case 'progress':
      return progressPercent(batch);
    case 'eta':
      return estimateEta(batch, now);
    case 'created':
      return new Date(batch.created_at).getTime();
  }
}

/**
 * The rows in the order asked for; unknown values (no ETA, no owner) go last in both directions,
 * ties keep the server's order (newest first).
 */
export function sortBatches<B extends EtaBatch>(
  batches: readonly B[],
  field: BatchSortField,
  direction: SortDirection,
  now: number,
): B[] {
  const sign = direction === 'asc' ? 1 : -1;
  return batches
    .map((batch, index) => ({ batch, index, key: keyOf(batch, field, now) }))
    .sort((a, b) => {
      if (a.key === null || b.key === null)
        return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
      const order =
        typeof a.key === 'string' ? a.key.localeCompare(String(b.key)) : a.key - (b.key as number);
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map(({ batch }) => batch);
}
