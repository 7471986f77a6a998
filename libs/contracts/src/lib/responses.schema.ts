/**
 * The JSON shapes of what the batch and job operations answer (the `data` of the REST success
 * envelope, dates as ISO strings), for the operation table and the OpenAPI document. The REST
 * adapter checks each against the domain DTO it describes, so a DTO field a shape forgets is a
 * type error there.
 */
import { z } from 'zod';
import { BulkAction } from './bulk.schema';
import { JobStatus, LogLevel, Visibility } from './common.schema';
import { DEADLINE_RISKS } from './schedule';

// A plain string with the format, not the long ISO regex zod would emit into the document.
const DateTime = z.string().meta({ format: 'date-time' });
const Count = z.number().int().min(0);
const FreeObject = z.record(z.string(), z.unknown());

export const AccessControlJson = z.object({
  visibility: Visibility,
  read_access: z.array(z.string()),
  write_access: z.array(z.string()),
  admin_access: z.array(z.string()),
});

export const BatchJson = z
  .object({
    batch_id: z.string(),
    batch_name: z.string(),
    status: JobStatus,
    created_at: DateTime,
    updated_at: DateTime,
    completed_at: DateTime.optional(),
    user_id: z.string().optional(),
    access_control: AccessControlJson,
    total_jobs: Count,
    pending_jobs: Count,
    processing_jobs: Count,
    completed_jobs: Count,
    failed_jobs: Count,
    archived: z.boolean(),
    isActive: z.boolean(),
    not_before: DateTime.optional().meta({ description: 'No job of the batch is handed to a worker before this instant' }),
    deadline: DateTime.optional().meta({ description: 'When the batch should be done' }),
    deadline_risk: z
      .enum(DEADLINE_RISKS)
      .optional()
      .meta({
        description:
          'With a deadline: on_track (done in time, or the ETA from the observed throughput ends before it), at_risk (the ETA ends ' +
          'after it), missed (it passed with work left, or the work finished after it), unknown (no ETA yet: fewer than 2 jobs finished, paused, not started)',
      }),
    /** What the caller may do with this batch (on reads): write = restart, archive, edit; admin = delete. */
    can: z.object({ write: z.boolean(), admin: z.boolean() }).optional(),
  })
  .meta({ id: 'Batch' });

const ProgressJson = z.object({ step: z.string(), percent: z.number().int().min(0).max(100), message: z.string().optional() });
const LeaseJson = z.object({ worker_id: z.string(), expires_at: DateTime });

export const LogEntryJson = z
  .object({ timestamp: DateTime, level: LogLevel, message: z.string() })
  .meta({ id: 'LogEntry' });

const ParametersJson = z.object({
  event: z.string().optional(),
  session: z.string().optional(),
  url: z.string().optional(),
  filename: z.string().optional(),
  track: z.string().optional(),
  day: z.string().optional(),
  starttime: z.string().optional(),
  endtime: z.string().optional(),
  speakers: z.array(z.string()),
  video_url: z.string().optional(),
  attachments_url: z.string().optional(),
  source_language: z.string(),
  target_language: z.string(),
  use_cache: z.boolean(),
});

const ResultsJson = z.object({
  markdown_file: z.string().optional(),
  markdown_content: z.string().optional(),
  assets: z.array(z.string()),
  web_text: z.string().optional(),
  video_transcript: z.string().optional(),
  attachments_text: z.string().optional(),
  context: FreeObject.optional(),
  attachments_url: z.string().optional(),
});

export const JobJson = z
  .object({
    job_id: z.string(),
    job_type: z.string(),
    job_name: z.string(),
    status: JobStatus,
    created_at: DateTime,
    updated_at: DateTime,
    parameters: ParametersJson,
    archived: z.boolean(),
    user_id: z.string().optional(),
    access_control: AccessControlJson.optional(),
    batch_id: z.string().optional(),
    progress: ProgressJson.optional(),
    logs: z.array(LogEntryJson),
    results: ResultsJson.optional(),
    error: z.object({ code: z.string(), message: z.string(), details: FreeObject.optional() }).optional(),
    processing_started_at: DateTime.optional(),
    completed_at: DateTime.optional(),
    priority: z.number().int(),
    attempts: Count,
    max_attempts: Count,
    available_at: DateTime.optional(),
    lease: LeaseJson.optional(),
    batch_active: z.boolean(),
    /** Concept fields, optional: absent on legacy documents. */
    started_at: DateTime.optional(),
    event_type: z.string().optional(),
  })
  .meta({ id: 'Job' });

export const JobListItemJson = z
  .object({
    job_id: z.string(),
    job_type: z.string(),
    job_name: z.string(),
    status: JobStatus,
    created_at: DateTime,
    updated_at: DateTime,
    batch_id: z.string().optional(),
    user_id: z.string().optional(),
    parameters: ParametersJson.pick({
      event: true,
      session: true,
      track: true,
      day: true,
      starttime: true,
      endtime: true,
      speakers: true,
      source_language: true,
      target_language: true,
    }),
    progress: ProgressJson.optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    has_results: z.boolean(),
    processing_started_at: DateTime.optional(),
    completed_at: DateTime.optional(),
    priority: z.number().int(),
    attempts: Count,
    max_attempts: Count,
    lease: LeaseJson.optional(),
    archived: z.boolean(),
    available_at: DateTime.optional(),
  })
  .meta({ id: 'JobListItem' });

const page = {
  total: Count.meta({ description: 'Matches of the filter: exact, or the count cap when total_exact is false' }),
  total_exact: z.boolean().meta({ description: 'false when counting stopped at the cap (there are more than total)' }),
  limit: Count,
  skip: Count,
  next_cursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `cursor` for the next page (same filter and sort); null on the last page' }),
};

export const BatchListJson = z.object({ batches: z.array(BatchJson), ...page });
export const JobListJson = z.object({ jobs: z.array(JobListItemJson), ...page });
/** `batch_id` repeats `batch.batch_id` at the top, where the concept's clients read it. */
export const CreatedBatchJson = z.object({ batch: BatchJson, batch_id: z.string(), job_ids: z.array(z.string()) });
export const BulkResultJson = z.object({ batches: Count, jobs: Count });
export const DeletedBatchJson = z.object({ deleted_jobs: Count });
export const DeletedJobJson = z.object({ job_id: z.string(), deleted: z.literal(true) });
/** What an id names among what the caller may read: a job (with its batch, null for a standalone job), a batch, or nothing. */
export const LocatedJson = z.object({
  job: z.object({ job_id: z.string(), batch_id: z.string().nullable() }).nullable(),
  batch: z.object({ batch_id: z.string() }).nullable(),
});
export const RestartedJson = z.object({ restarted: Count });

export const ChangeLanguageResultJson = z.object({
  updated: Count,
  restarted: Count,
  skipped: Count,
});

export const BatchStatsJson = z.object({
  batches: z.object({
    total: Count,
    pending: Count,
    processing: Count,
    completed: Count,
    failed: Count,
    archived: Count,
    active: Count,
  }),
  jobs: z.object({ pending: Count, processing: Count, completed: Count, failed: Count }),
});

export const BatchTabsJson = z.object({ current: Count, archived: Count });

/** One batch a bulk action would touch (null batch_id: the standalone jobs). */
export const BulkBatchJson = z.object({
  batch_id: z.string().nullable(),
  batch_name: z.string().nullable(),
  owner: z.string().nullable(),
  jobs: Count,
});

export const BulkPreviewJson = z
  .object({
    action: BulkAction,
    /** Jobs the action would change now. */
    jobs: Count,
    /** Batches those jobs are in. */
    batches: Count,
    /** The batches with the most of those jobs first (at most 100). */
    affected: z.array(BulkBatchJson),
    /** The owners of every affected batch. */
    owners: z.array(z.string()),
    /** The selection reaches more than one batch: the change needs `confirm` = `confirm_phrase`. */
    confirm_required: z.boolean(),
    confirm_phrase: z.string(),
  })
  .meta({ id: 'BulkPreview' });

export const BulkRunJson = z
  .object({
    action: BulkAction,
    /** Jobs selected when the run started. */
    matched: Count,
    /** Of those, changed (each by one conditional update). */
    changed: Count,
    /** Of those, left alone because they changed meanwhile (e.g. a worker completed them). */
    skipped: Count,
    /** Batches with a changed job. */
    batches: Count,
    /** change_language with reset_to_pending: jobs sent back to pending. */
    restarted: Count,
  })
  .meta({ id: 'BulkRun' });

export const BulkProgressJson = z
  .object({
    run_id: z.string(),
    /**
     * `unknown`: no run of the caller has this id (yet: a poll may arrive before the run starts; or
     * it finished more than a day ago); `running`; `finished` (counts final); `failed` (stopped by an error).
     */
    state: z.enum(['unknown', 'running', 'finished', 'failed']),
    action: BulkAction.optional(),
    /** Jobs selected when the run started. */
    matched: Count,
    /** Of those, handled so far (changed or skipped). */
    done: Count,
    changed: Count,
    started_at: DateTime.optional(),
    updated_at: DateTime.optional(),
  })
  .meta({ id: 'BulkProgress' });

/** The flow controls of one job type (pause, limits) and what its limits hold right now. */
export const JobTypeFlowJson = z.object({
  job_type: z.string(),
  paused: z.boolean(),
  resume_at: DateTime.optional(),
  paused_at: DateTime.optional(),
  max_concurrent: Count.optional(),
  rate_per_minute: Count.optional(),
  /** Slots held: jobs of the type processing under a limit (claims in flight included). */
  processing: Count,
  /** Jobs of the type started in the current minute window. */
  started_this_minute: Count,
  updated_at: DateTime.optional(),
});
export const JobTypeFlowListJson = z.object({ job_types: z.array(JobTypeFlowJson) });
