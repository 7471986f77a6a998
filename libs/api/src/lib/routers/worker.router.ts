import { listWorkers, ListWorkersInput } from '@event-monitor/domain';
import { readProcedure, router } from '../trpc';

export const workerRouter = router({
  /** Workers seen recently (from their claims and heartbeats). */
  list: readProcedure
    .input(ListWorkersInput.optional())
    .query(async ({ ctx, input }) => listWorkers(await ctx.getDomain(), input ?? {})),
});
