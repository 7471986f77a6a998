import {
  batchProgress,
  BatchProgressInput,
  durationPercentiles,
  failuresByCode,
  jobThroughput,
  MetricsRangeInput,
  queueDepthSeries,
} from '@event-monitor/domain';
import { readProcedure, router } from '../trpc';

/** The metrics page: time-bucketed aggregations over the window `range` (1h, 24h, 7d) ending now. */
export const metricsRouter = router({
  /** Completed and failed jobs per bucket (jobs the caller may read). */
  throughput: readProcedure
    .input(MetricsRangeInput)
    .query(async ({ ctx, input }) => jobThroughput(await ctx.getDomain(), ctx.actor, input)),
  /** p50/p90/p99 processing time of the jobs completed in the window. */
  durations: readProcedure
    .input(MetricsRangeInput)
    .query(async ({ ctx, input }) => durationPercentiles(await ctx.getDomain(), ctx.actor, input)),
  /** Failures of the window by error code, top 10. */
  failures: readProcedure
    .input(MetricsRangeInput)
    .query(async ({ ctx, input }) => failuresByCode(await ctx.getDomain(), ctx.actor, input)),
  /** Pending and processing jobs over time (every job: the queue is shared, only totals are shown). */
  queueDepth: readProcedure
    .input(MetricsRangeInput)
    .query(async ({ ctx, input }) => queueDepthSeries(await ctx.getDomain(), input)),
  /** The newest current batches and their counters (a snapshot: the range does not apply). */
  batchProgress: readProcedure
    .input(BatchProgressInput)
    .query(async ({ ctx, input }) => batchProgress(await ctx.getDomain(), ctx.actor, input)),
});
