import { legacyActivity, listStaleLeases, ListStaleLeasesInput, listWorkers, ListWorkersInput } from '@event-monitor/domain';
import { readProcedure, router } from '../trpc';

export const workerRouter = router({
  /** Workers seen recently (from their claims and heartbeats), with the jobs they hold as far as the caller may read them. */
  list: readProcedure
    .input(ListWorkersInput.optional())
    .query(async ({ ctx, input }) => listWorkers(await ctx.getDomain(), input ?? {}, ctx.actor)),
  /** Processing jobs with an expired lease (or legacy-taken long ago) that the caller may read. */
  staleLeases: readProcedure
    .input(ListStaleLeasesInput.optional())
    .query(async ({ ctx, input }) => listStaleLeases(await ctx.getDomain(), ctx.actor, input ?? {})),
  /** Processing jobs without a lease: legacy workers are taking jobs from this queue. */
  legacyActivity: readProcedure.query(async ({ ctx }) => legacyActivity(await ctx.getDomain(), ctx.actor)),
});
