import { z } from 'zod';
import { boundedRecord, DateLike, HttpUrl, intLike, JOB_BYTE_LIMITS, JobId, jsonSize, LogLevel, utf8Length } from './common.schema';

const MB = 1024 * 1024;

export const ProgressInput = z.strictObject({
  step: z.string().trim().min(1).max(100),
  percent: z.number().int().min(0).max(100),
  message: z.string().max(1000).optional(),
});
export type ProgressInput = z.infer<typeof ProgressInput>;

export const LogEntryInput = z.strictObject({
  level: LogLevel,
  /** At most 4000 characters and 4 KiB as UTF-8: 1000 kept lines stay within 4 MiB of the job. */
  message: z
    .string()
    .max(4000)
    .refine((text) => utf8Length(text) <= JOB_BYTE_LIMITS.logMessage, { message: `Must be at most ${JOB_BYTE_LIMITS.logMessage} bytes as UTF-8` })
    .describe('At most 4000 characters and 4096 bytes as UTF-8; a job keeps its newest 1000 lines.'),
  timestamp: DateLike.optional(),
});
export type LogEntryInput = z.infer<typeof LogEntryInput>;

export const MAX_LOG_LINES = 1000;

export const AppendLogsInput = z.strictObject({ entries: z.array(LogEntryInput).min(1).max(500) });
export type AppendLogsInput = z.infer<typeof AppendLogsInput>;

/** The result keys the Python reader knows; nulls are accepted and dropped. */
export const JobResultsInput = z.strictObject({
  markdown_file: z.string().max(1000).nullish(),
  markdown_content: z.string().max(5 * MB).nullish(),
  assets: z.array(z.string().max(1000)).max(1000).nullish(),
  web_text: z.string().max(2 * MB).nullish(),
  video_transcript: z.string().max(2 * MB).nullish(),
  attachments_text: z.string().max(2 * MB).nullish(),
  context: boundedRecord(1 * MB).nullish(),
  attachments_url: z.union([HttpUrl, z.literal('')]).nullish(),
})
  .refine((results) => jsonSize(results) <= JOB_BYTE_LIMITS.results, {
    message: `All results together must be at most ${JOB_BYTE_LIMITS.results} bytes as JSON (MongoDB stores at most 16 MiB per job)`,
  })
  .describe('All results together: at most 8 MiB as UTF-8 JSON (a job document must stay under MongoDB\'s 16 MiB); more is a 400 naming `results`.');
export type JobResultsInput = z.infer<typeof JobResultsInput>;

export const JobErrorInput = z.strictObject({
  code: z.string().trim().min(1).max(100),
  message: z.string().max(4000),
  details: boundedRecord(JOB_BYTE_LIMITS.errorDetails).optional(),
});
export type JobErrorInput = z.infer<typeof JobErrorInput>;

export const WorkerId = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'Letters, digits and . _ : @ - only (max 128)');

export const ClaimInput = z.strictObject({
  worker_id: WorkerId,
  job_types: z.array(z.string().trim().max(100)).max(20).optional(),
  lease_seconds: intLike(10, 3600).default(300),
});
export type ClaimInput = z.infer<typeof ClaimInput>;

/** Every worker call after the claim names the job and proves it holds the lease. */
export const LeaseRef = z.strictObject({
  job_id: JobId,
  token: z.string().min(1).max(200),
});
export type LeaseRef = z.infer<typeof LeaseRef>;

export const HeartbeatInput = LeaseRef.extend({ lease_seconds: intLike(10, 3600).default(300) });
export type HeartbeatInput = z.infer<typeof HeartbeatInput>;

export const ReportProgressInput = LeaseRef.extend({ progress: ProgressInput });
export type ReportProgressInput = z.infer<typeof ReportProgressInput>;

export const WorkerAppendLogsInput = LeaseRef.extend(AppendLogsInput.shape);
export type WorkerAppendLogsInput = z.infer<typeof WorkerAppendLogsInput>;

export const CompleteJobInput = LeaseRef.extend({
  results: JobResultsInput,
  /**
   * Claim the next job in the same call (the claim's own fields): one round trip per job instead
   * of two. The answer's `next` is the claim's answer.
   */
  claim_next: ClaimInput.optional(),
});
export type CompleteJobInput = z.infer<typeof CompleteJobInput>;

export const FailJobInput = LeaseRef.extend({
  error: JobErrorInput,
  /** Retry later (with backoff) while attempts remain; otherwise the job fails for good. */
  retryable: z.boolean().default(false),
});
export type FailJobInput = z.infer<typeof FailJobInput>;

export const ListWorkersInput = z.strictObject({
  seen_within_ms: intLike(1_000, 30 * 24 * 3600 * 1000).default(10 * 60 * 1000),
});
export type ListWorkersInput = z.infer<typeof ListWorkersInput>;

/** The worker view's list of processing jobs nobody is working on any more. */
export const ListStaleLeasesInput = z.strictObject({ limit: intLike(1, 500).default(100) });
export type ListStaleLeasesInput = z.infer<typeof ListStaleLeasesInput>;

export const RecoverLeasesInput = z.strictObject({
  /** Processing jobs without a lease (legacy worker) older than this fail with PROCESSING_TIMEOUT. */
  legacy_timeout_ms: intLike(60_000, 30 * 24 * 3600 * 1000).default(2 * 3600 * 1000),
  limit: intLike(1, 10_000).default(1000),
});
export type RecoverLeasesInput = z.infer<typeof RecoverLeasesInput>;

export const ReconcileBatchesInput = z.strictObject({ limit: intLike(1, 10_000).default(100) });
export type ReconcileBatchesInput = z.infer<typeof ReconcileBatchesInput>;
