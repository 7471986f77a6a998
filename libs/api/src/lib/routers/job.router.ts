import { z } from 'zod';
import {
  cancelJob,
  CancelJobInput,
  changeLanguage,
  createJob,
  CreateJobInput,
  deleteJob,
  DeleteJobInput,
  getJob,
  getJobLogs,
  GetJobLogsInput,
  JobId,
  LanguageCode,
  listJobs,
  ListJobsInput,
  restartJob,
  RestartJobInput,
} from '@event-monitor/domain';
import { readProcedure, router, writeProcedure } from '../trpc';

const JobRef = z.strictObject({ job_id: JobId });

export const jobRouter = router({
  list: readProcedure
    .input(ListJobsInput.optional())
    .query(async ({ ctx, input }) => listJobs(await ctx.getDomain(), ctx.actor, input ?? {})),
  get: readProcedure
    .input(JobRef)
    .query(async ({ ctx, input }) => getJob(await ctx.getDomain(), ctx.actor, input.job_id)),
  logs: readProcedure.input(JobRef.extend(GetJobLogsInput.shape)).query(async ({ ctx, input }) => {
    const { job_id, ...options } = input;
    return getJobLogs(await ctx.getDomain(), ctx.actor, job_id, options);
  }),
  create: writeProcedure
    .input(CreateJobInput)
    .mutation(async ({ ctx, input }) => createJob(await ctx.getDomain(), ctx.actor, input)),
  delete: writeProcedure
    .input(JobRef.extend(DeleteJobInput.shape))
    .mutation(async ({ ctx, input }) =>
      deleteJob(await ctx.getDomain(), ctx.actor, input.job_id, { reason: input.reason }),
    ),
  restart: writeProcedure.input(JobRef.extend(RestartJobInput.shape)).mutation(async ({ ctx, input }) => {
    const { job_id, ...options } = input;
    return restartJob(await ctx.getDomain(), ctx.actor, job_id, options);
  }),
  cancel: writeProcedure.input(JobRef.extend(CancelJobInput.shape)).mutation(async ({ ctx, input }) => {
    const { job_id, ...options } = input;
    return cancelJob(await ctx.getDomain(), ctx.actor, job_id, options);
  }),
  changeLanguage: writeProcedure
    .input(JobRef.extend({ target_language: LanguageCode, reset_to_pending: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) =>
      changeLanguage(await ctx.getDomain(), ctx.actor, {
        target: { job_id: input.job_id },
        target_language: input.target_language,
        reset_to_pending: input.reset_to_pending,
      }),
    ),
});
