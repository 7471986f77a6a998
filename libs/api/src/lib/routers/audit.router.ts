import { z } from 'zod';
import {
  auditTrailFor,
  AuditTrailInput,
  BatchId,
  JobId,
  listAuditEvents,
  ListAuditEventsInput,
} from '@event-monitor/domain';
import { withActorNames } from '../audit-actors';
import { adminProcedure, readProcedure, router } from '../trpc';

export const auditRouter = router({
  /** The admin audit page: every event, filtered, newest first, actors by name. */
  list: adminProcedure
    .input(ListAuditEventsInput.optional())
    .query(async ({ ctx, input }) =>
      withActorNames(await ctx.getAuth(), ctx.actor, await listAuditEvents(await ctx.getDomain(), ctx.actor, input ?? {})),
    ),
  /** A batch's timeline (its own and its jobs' events); NOT_FOUND when the caller may not read the batch. */
  forBatch: readProcedure
    .input(z.strictObject({ batch_id: BatchId, ...AuditTrailInput.shape }))
    .query(async ({ ctx, input }) => {
      const { batch_id, ...options } = input;
      const trail = await auditTrailFor(await ctx.getDomain(), ctx.actor, { batch_id }, options);
      return withActorNames(await ctx.getAuth(), ctx.actor, trail);
    }),
  /** A job's timeline (its own events and those of its batch); NOT_FOUND when not readable. */
  forJob: readProcedure
    .input(z.strictObject({ job_id: JobId, ...AuditTrailInput.shape }))
    .query(async ({ ctx, input }) => {
      const { job_id, ...options } = input;
      const trail = await auditTrailFor(await ctx.getDomain(), ctx.actor, { job_id }, options);
      return withActorNames(await ctx.getAuth(), ctx.actor, trail);
    }),
});
