// The compact batch table's numbers: progress, the estimated time left, and the order of the rows.
// Pure functions of a batch's counters and the current time, so they are unit-tested without a browser.

import { estimateEta, type EtaBatch as ContractsEtaBatch } from '@event-monitor/contracts';

// The estimate itself lives in contracts: the server's `deadline_risk` comes from the same function.
export { estimateEta, MIN_FINISHED_FOR_ETA } from '@event-monitor/contracts';

/** The fields the table sorts by besides the counters (a batch from `batch.list`). */
export interface EtaBatch extends ContractsEtaBatch {
  batch_name: string;
  user_id?: string;
  status: 'pending' | 'processing' | 'completed' | 'failed';
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
