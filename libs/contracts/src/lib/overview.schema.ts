import { z } from 'zod';

/** Workers seen (claim, heartbeat, any worker call) this recently count as active on the overview. */
export const ACTIVE_WORKER_WINDOW_MS = 5 * 60_000;
/** The throughput window of the overview: jobs finished this recently. */
export const THROUGHPUT_WINDOW_MS = 60 * 60_000;

const Count = z.number().int().min(0);
const DateTime = z.string().meta({ format: 'date-time' });

/** The dashboard's totals and throughput strip (`batch.overview`). */
export const BatchOverviewJson = z
  .object({
    /** The server's clock when it counted: the windows end here. */
    at: DateTime,
    /** Jobs waiting and being worked on now, from the counters of the current batches the caller may read. */
    now: z.object({ pending: Count, processing: Count }),
    /** Jobs of the batches the caller may read that finished in the last hour (by `completed_at`). */
    last_hour: z.object({ since: DateTime, completed: Count, failed: Count }),
    /** Workers seen by the server within `seen_within_ms` (the queue is shared: all of them). */
    workers: z.object({ active: Count, seen_within_ms: Count }),
  })
  .meta({ id: 'BatchOverview' });
export type BatchOverviewJson = z.infer<typeof BatchOverviewJson>;
