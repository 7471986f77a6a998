import { JOB_STATUSES, LOG_LEVELS } from '@event-monitor/contracts';
import { Schema, type Model, type Types } from 'mongoose';
import { JOBS_COLLECTION } from './indexes';
import {
  accessControlSchema,
  collectionOptions,
  declareIndexes,
  type AccessControlRecord,
} from './shared-schemas';

export interface LogEntryRecord {
  timestamp: Date;
  level: string;
  message: string;
}

export interface ProgressRecord {
  step: string;
  percent: number;
  message?: string;
}

export interface JobErrorRecord {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface JobResultsRecord {
  markdown_file?: string | null;
  markdown_content?: string | null;
  assets?: string[] | null;
  web_text?: string | null;
  video_transcript?: string | null;
  attachments_text?: string | null;
  context?: Record<string, unknown> | null;
  attachments_url?: string | null;
}

/** The legacy side writes all 14 keys, null allowed inside; we write only the keys that have a value. */
export interface JobParametersRecord {
  event?: string | null;
  session?: string | null;
  url?: string | null;
  filename?: string | null;
  track?: string | null;
  day?: string | null;
  starttime?: string | null;
  endtime?: string | null;
  speakers?: string[] | null;
  video_url?: string | null;
  attachments_url?: string | null;
  source_language?: string | null;
  target_language?: string | null;
  use_cache?: boolean | null;
}

export interface LeaseRecord {
  worker_id: string;
  token: string;
  expires_at: Date;
}

/** A job as it may be stored: written by us or by the Python side (keys may be missing). */
export interface JobRecord {
  _id?: Types.ObjectId;
  job_id: string;
  job_type?: string;
  job_name?: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  parameters?: JobParametersRecord;
  archived?: boolean;
  user_id?: string;
  access_control?: AccessControlRecord;
  batch_id?: string;
  progress?: ProgressRecord;
  /** Where workers append log lines. */
  logs?: LogEntryRecord[];
  /** Where the legacy model class keeps log lines; read, never written. */
  log_entries?: LogEntryRecord[];
  results?: JobResultsRecord;
  error?: JobErrorRecord;
  processing_started_at?: Date;
  completed_at?: Date;
  // Ours (additive; the Python reader ignores them):
  priority?: number;
  attempts?: number;
  max_attempts?: number;
  /** Not claimable before this instant (retry backoff). */
  available_at?: Date;
  lease?: LeaseRecord;
  /** The lease token the job was completed under: a retried complete (reply lost) succeeds again. */
  completed_lease_token?: string;
  /** The files the results name, recorded at completion: who may read the job may read these (result-files.ts). */
  result_files?: string[];
  /** Copy of the batch's isActive so the claim is one query; missing means true. */
  batch_active?: boolean;
  /** Copy of the batch's `not_before` (ours): the claim skips the job until then; missing means no start time. */
  batch_not_before?: Date;
  /** Concept fields, optional on every document: when work started (a client may set it) and a free label. */
  started_at?: Date;
  event_type?: string;
  /** The failure's signature (error-signature.ts), set with `error`; legacy failures get it from the sweep. */
  error_signature?: string;
  /** The lower-cased words the job search matches (search-terms.ts), kept by the search indexer. */
  search_terms?: string[];
}

export type JobModel = Model<JobRecord>;
export const JOB_MODEL_NAME = 'EventJob';

const logEntrySchema = new Schema(
  { timestamp: Date, level: { type: String, enum: LOG_LEVELS }, message: String },
  { _id: false, strict: 'throw' },
);

const progressSchema = new Schema(
  { step: String, percent: { type: Number, min: 0, max: 100 }, message: String },
  { _id: false, strict: 'throw' },
);

const errorSchema = new Schema(
  { code: String, message: String, details: Schema.Types.Mixed },
  { _id: false, strict: 'throw' },
);

const resultsSchema = new Schema(
  {
    markdown_file: String,
    markdown_content: String,
    assets: { type: [String], default: undefined },
    web_text: String,
    video_transcript: String,
    attachments_text: String,
    context: Schema.Types.Mixed,
    attachments_url: String,
  },
  { _id: false, strict: 'throw', minimize: true },
);

const parametersSchema = new Schema(
  {
    event: String,
    session: String,
    url: String,
    filename: String,
    track: String,
    day: String,
    starttime: String,
    endtime: String,
    speakers: { type: [String], default: undefined },
    video_url: String,
    attachments_url: String,
    source_language: String,
    target_language: String,
    use_cache: Boolean,
  },
  { _id: false, strict: 'throw' },
);

const leaseSchema = new Schema(
  { worker_id: String, token: String, expires_at: Date },
  { _id: false, strict: 'throw' },
);

export const jobSchema = new Schema(
  {
    job_id: { type: String, required: true },
    job_type: String,
    job_name: String,
    status: { type: String, enum: JOB_STATUSES, required: true },
    created_at: Date,
    updated_at: Date,
    parameters: parametersSchema,
    archived: Boolean,
    user_id: String,
    access_control: accessControlSchema,
    batch_id: String,
    progress: progressSchema,
    logs: { type: [logEntrySchema], default: undefined },
    log_entries: { type: [Schema.Types.Mixed], default: undefined },
    results: resultsSchema,
    error: errorSchema,
    processing_started_at: Date,
    completed_at: Date,
    priority: Number,
    attempts: Number,
    max_attempts: Number,
    available_at: Date,
    lease: leaseSchema,
    completed_lease_token: String,
    result_files: { type: [String], default: undefined },
    batch_active: Boolean,
    batch_not_before: Date,
    started_at: Date,
    event_type: String,
    error_signature: String,
    search_terms: { type: [String], default: undefined },
  },
  collectionOptions(JOBS_COLLECTION),
);
declareIndexes(jobSchema, JOBS_COLLECTION);
