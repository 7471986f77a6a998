import { z } from 'zod';
import { ErrorSignature } from './triage.schema';
import {
  BatchId,
  BooleanLike,
  intLike,
  JOB_BYTE_LIMITS,
  JobStatus,
  jsonSize,
  LanguageCode,
  LogLevel,
  OptionalHttpUrl,
  optionalText,
  PageCursor,
  UserId,
} from './common.schema';
import { IdempotencyKey } from './idempotency.schema';

/** The 14 keys the Python worker reads from `parameters`. */
export const JobParametersInput = z.strictObject({
  event: optionalText(500),
  session: optionalText(500),
  url: OptionalHttpUrl,
  filename: optionalText(500),
  track: optionalText(500),
  day: optionalText(100),
  starttime: optionalText(100),
  endtime: optionalText(100),
  speakers: z
    .array(z.string().trim().min(1).max(200))
    .max(100)
    .nullish()
    .transform((v) => v ?? []),
  video_url: OptionalHttpUrl,
  attachments_url: OptionalHttpUrl,
  source_language: LanguageCode.default('en'),
  target_language: LanguageCode.default('de'),
  use_cache: z.boolean().default(true),
})
  .refine((parameters) => jsonSize(parameters) <= JOB_BYTE_LIMITS.parameters, {
    message: `Must be at most ${JOB_BYTE_LIMITS.parameters} bytes as JSON`,
  })
  .describe('The job\'s parameters: at most 64 KiB as UTF-8 JSON.');
export type JobParametersInput = z.infer<typeof JobParametersInput>;

const jobShape = {
  job_type: z.string().trim().max(100).optional(),
  job_name: optionalText(500),
  priority: z.number().int().min(-100).max(100).optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
  /** The concept's optional job field (a free label, e.g. "conference"); the worker ignores it. */
  event_type: optionalText(100),
  parameters: JobParametersInput,
};

export const CreateJobInput = z.strictObject({ ...jobShape, batch_id: BatchId.optional(), idempotency_key: IdempotencyKey.optional() });
export type CreateJobInput = z.infer<typeof CreateJobInput>;

/** A job inside CreateBatchInput: the batch is given by the envelope. */
export const BatchJobInput = z.strictObject(jobShape);
export type BatchJobInput = z.infer<typeof BatchJobInput>;

/**
 * A job of the default type (the session processor, `job_type` empty) needs something to work
 * on: a session, its page URL or its video URL. An empty row of the create form would otherwise become a job that
 * workers claim and fail. Jobs of another type carry what their own worker needs.
 */
export function needsSessionOrUrl(
  job: {
    job_type?: string | undefined;
    parameters: { session?: string | undefined; url?: string | undefined; video_url?: string | undefined };
  },
  ctx: z.RefinementCtx,
): void {
  if (job.job_type) return;
  // A URL that is present but malformed has its own message: this one is for a row with neither.
  const { session, url, video_url } = job.parameters;
  if (session || url || video_url) return;
  ctx.addIssue({ code: 'custom', path: ['parameters', 'session'], message: 'A job needs a session or a URL' });
}

/** A batch's job as CreateBatchInput checks it (the rule above on top of BatchJobInput). */
export const NewBatchJobInput = BatchJobInput.superRefine(needsSessionOrUrl);

/**
 * The editable fields of a pending or failed job. `parameters` replaces the job's parameters as a
 * whole (checked as on create); fields left out stay as they are.
 */
export const UpdateJobInput = z.strictObject({
  job_name: z.string().trim().max(500).optional(),
  job_type: jobShape.job_type,
  event_type: z.string().trim().max(100).optional(),
  // Numbers or integer text (the CLI passes options as text).
  priority: intLike(-100, 100).optional(),
  max_attempts: intLike(1, 20).optional(),
  parameters: JobParametersInput.optional(),
});
export type UpdateJobInput = z.infer<typeof UpdateJobInput>;

export const JobSortField = z.enum(['created_at', 'updated_at', 'status', 'job_name', 'priority']);
export type JobSortField = z.infer<typeof JobSortField>;

export const SortDirection = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirection>;

/**
 * An instant as a URL carries it: an ISO 8601 date-time with offset, or a date (its midnight UTC).
 * A Date passes too: a door that parsed the query already hands the domain the parsed value.
 */
export const IsoInstant = z.union(
  [
    z.date(),
    z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
    z.iso.date().transform((text) => new Date(`${text}T00:00:00Z`)),
  ],
  { error: 'Must be an ISO 8601 date or date-time with offset' },
);

/** The job list's fields without the cross-field rule (for doors that reshape the query, e.g. REST). */
export const ListJobsFields = z.strictObject({
  batch_id: BatchId.optional(),
  status: JobStatus.optional(),
  /**
   * Words (any order, any case): each must start a word of the job's name, id, batch id, type, a
   * parameter (URLs split into words), its error or the start of its result text.
   */
  search: z.string().trim().max(200).optional(),
  /** Jobs of this type (the default type is the empty string and cannot be asked for). */
  job_type: z.string().trim().min(1).max(100).optional(),
  /** Jobs whose target language is this. */
  language: LanguageCode.optional(),
  /** Jobs owned by this user (the batch owner's id). */
  owner: UserId.optional(),
  /** Jobs created at or after this instant. */
  created_from: IsoInstant.optional(),
  /** Jobs created before this instant. */
  created_to: IsoInstant.optional(),
  /** Jobs of one failure signature (the failures view); without `status`, the failed ones. */
  error_signature: ErrorSignature.optional(),
  sort: z
    .strictObject({ field: JobSortField.default('created_at'), direction: SortDirection.default('desc') })
    .default({ field: 'created_at', direction: 'desc' }),
  limit: intLike(1, 200).default(50),
  /** Where the page starts: the `next_cursor` of the previous page (made for the same sort). Not together with `skip`. */
  cursor: PageCursor.optional(),
  /** Legacy offset paging (slow deep in a list); prefer `cursor`. */
  skip: intLike(0, 1_000_000).optional(),
});

export const ListJobsInput = ListJobsFields.refine((input) => input.sort.field === 'created_at' || input.batch_id !== undefined, {
  // Only created_at has an index across all jobs; other columns sort one batch's jobs (at most 10,000) in memory.
  message: "Sorting by anything but created_at needs batch_id (one batch's jobs)",
  path: ['sort', 'field'],
}).refine((input) => !input.created_from || !input.created_to || input.created_from < input.created_to, {
  message: 'Must be after created_from',
  path: ['created_to'],
});
export type ListJobsInput = z.infer<typeof ListJobsInput>;

/** An id typed into the jobs page's search box (go-to-id): a job id or a batch id. */
export const LocateIdInput = z.strictObject({ id: z.string().trim().min(1).max(200) });
export type LocateIdInput = z.infer<typeof LocateIdInput>;

export const RestartJobInput = z.strictObject({
  /** Sets parameters.use_cache = false so the worker recomputes everything. */
  bypass_cache: BooleanLike.optional(),
  target_language: LanguageCode.optional(),
});
export type RestartJobInput = z.infer<typeof RestartJobInput>;

export const CancelJobInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export type CancelJobInput = z.infer<typeof CancelJobInput>;

/** Optional input of deleteJob; the reason is stored in the audit trail. */
export const DeleteJobInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export type DeleteJobInput = z.infer<typeof DeleteJobInput>;

export const GetJobLogsInput = z.strictObject({
  /** Only lines of exactly this level. */
  level: LogLevel.optional(),
  /** The newest `limit` lines, in chronological order. */
  limit: intLike(1, 1000).default(1000),
});
export type GetJobLogsInput = z.infer<typeof GetJobLogsInput>;

