import { z } from 'zod';
import {
  archiveBatch,
  BatchId,
  batchStats,
  changeLanguage,
  ChangeLanguageInput,
  countBatchTabs,
  createBatch,
  CreateBatchInput,
  deleteBatch,
  DeleteBatchInput,
  FailAllInput,
  failAllBatches,
  getBatch,
  listBatches,
  ListBatchesInput,
  previewFailAll,
  previewSetAllPending,
  restartBatch,
  RestartBatchInput,
  setAllPending,
  SetAllPendingInput,
  setBatchActive,
  unarchiveBatch,
} from '@event-monitor/domain';
import { readProcedure, router, writeProcedure } from '../trpc';

const BatchRef = z.strictObject({ batch_id: BatchId });

export const batchRouter = router({
  list: readProcedure
    .input(ListBatchesInput.optional())
    .query(async ({ ctx, input }) => listBatches(await ctx.getDomain(), ctx.actor, input ?? {})),
  tabs: readProcedure.query(async ({ ctx }) => countBatchTabs(await ctx.getDomain(), ctx.actor)),
  stats: readProcedure.query(async ({ ctx }) => batchStats(await ctx.getDomain(), ctx.actor)),
  get: readProcedure
    .input(BatchRef)
    .query(async ({ ctx, input }) => getBatch(await ctx.getDomain(), ctx.actor, input.batch_id)),
  create: writeProcedure
    .input(CreateBatchInput)
    .mutation(async ({ ctx, input }) => createBatch(await ctx.getDomain(), ctx.actor, input)),
  delete: writeProcedure
    .input(BatchRef.extend(DeleteBatchInput.shape))
    .mutation(async ({ ctx, input }) =>
      deleteBatch(await ctx.getDomain(), ctx.actor, input.batch_id, { reason: input.reason }),
    ),
  archive: writeProcedure
    .input(BatchRef)
    .mutation(async ({ ctx, input }) => archiveBatch(await ctx.getDomain(), ctx.actor, input.batch_id)),
  unarchive: writeProcedure
    .input(BatchRef)
    .mutation(async ({ ctx, input }) => unarchiveBatch(await ctx.getDomain(), ctx.actor, input.batch_id)),
  toggleActive: writeProcedure
    .input(BatchRef.extend({ active: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) =>
      setBatchActive(await ctx.getDomain(), ctx.actor, input.batch_id, input.active),
    ),
  previewFailAll: readProcedure.query(async ({ ctx }) => previewFailAll(await ctx.getDomain(), ctx.actor)),
  failAll: writeProcedure
    .input(FailAllInput.optional())
    .mutation(async ({ ctx, input }) => failAllBatches(await ctx.getDomain(), ctx.actor, input ?? {})),
  previewSetAllPending: readProcedure.query(async ({ ctx }) =>
    previewSetAllPending(await ctx.getDomain(), ctx.actor),
  ),
  setAllPending: writeProcedure
    .input(SetAllPendingInput.optional())
    .mutation(async ({ ctx, input }) => setAllPending(await ctx.getDomain(), ctx.actor, input ?? {})),
  restart: writeProcedure
    .input(BatchRef.extend(RestartBatchInput.shape))
    .mutation(async ({ ctx, input }) =>
      restartBatch(await ctx.getDomain(), ctx.actor, input.batch_id, { scope: input.scope, reason: input.reason }),
    ),
  changeLanguage: writeProcedure
    .input(ChangeLanguageInput)
    .mutation(async ({ ctx, input }) => changeLanguage(await ctx.getDomain(), ctx.actor, input)),
});
