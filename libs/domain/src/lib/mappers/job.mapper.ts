import type {
  JobErrorRecord,
  JobParametersRecord,
  JobRecord,
  JobResultsRecord,
  LogEntryRecord,
  ProgressRecord,
} from '../models/job.model';
import type { AccessControlRecord } from '../models/shared-schemas';
import { DEFAULT_MAX_ATTEMPTS } from '../job-state';
import { isJobStatus, isLogLevel, type JobStatus, type LogLevel } from '@event-monitor/contracts';
import { compact } from '../util';
import { accessControlOf } from './batch.mapper';

export interface LogEntryDto {
  timestamp: Date;
  level: LogLevel;
  message: string;
}

export interface JobParametersDto {
  event?: string;
  session?: string;
  url?: string;
  filename?: string;
  track?: string;
  day?: string;
  starttime?: string;
  endtime?: string;
  speakers: string[];
  video_url?: string;
  attachments_url?: string;
  source_language: string;
  target_language: string;
  use_cache: boolean;
}

export interface JobResultsDto {
  markdown_file?: string;
  markdown_content?: string;
  assets: string[];
  web_text?: string;
  video_transcript?: string;
  attachments_text?: string;
  context?: Record<string, unknown>;
  attachments_url?: string;
}

/** The lease as anyone but the claiming worker sees it: never the token. */
export interface LeaseDto {
  worker_id: string;
  expires_at: Date;
}

export interface JobDto {
  job_id: string;
  job_type: string;
  job_name: string;
  status: JobStatus;
  created_at: Date;
  updated_at: Date;
  parameters: JobParametersDto;
  archived: boolean;
  user_id?: string;
  access_control?: AccessControlRecord;
  batch_id?: string;
  progress?: ProgressRecord;
  logs: LogEntryDto[];
  results?: JobResultsDto;
  error?: JobErrorRecord;
  processing_started_at?: Date;
  completed_at?: Date;
  priority: number;
  attempts: number;
  max_attempts: number;
  available_at?: Date;
  lease?: LeaseDto;
  batch_active: boolean;
  started_at?: Date;
  event_type?: string;
}

/** What a table row needs: no logs, no result content, only the parameters a table shows. */
export interface JobListItemDto {
  job_id: string;
  job_type: string;
  job_name: string;
  status: JobStatus;
  created_at: Date;
  updated_at: Date;
  batch_id?: string;
  user_id?: string;
  parameters: Pick<
    JobParametersDto,
    'event' | 'session' | 'track' | 'day' | 'starttime' | 'endtime' | 'speakers' | 'source_language' | 'target_language'
  >;
  progress?: ProgressRecord;
  error?: { code: string; message: string };
  has_results: boolean;
  processing_started_at?: Date;
  completed_at?: Date;
  priority: number;
  attempts: number;
  max_attempts: number;
  lease?: LeaseDto;
  archived: boolean;
  /** A pending job with an error is waiting for its retry: not claimable before this. */
  available_at?: Date;
}

/** The projection for JobListItemDto: the light fields only. */
export const JOB_LIST_PROJECTION = {
  _id: 0,
  job_id: 1,
  job_type: 1,
  job_name: 1,
  status: 1,
  created_at: 1,
  updated_at: 1,
  batch_id: 1,
  user_id: 1,
  'parameters.event': 1,
  'parameters.session': 1,
  'parameters.track': 1,
  'parameters.day': 1,
  'parameters.starttime': 1,
  'parameters.endtime': 1,
  'parameters.speakers': 1,
  'parameters.source_language': 1,
  'parameters.target_language': 1,
  progress: 1,
  'error.code': 1,
  'error.message': 1,
  'results.markdown_file': 1,
  processing_started_at: 1,
  completed_at: 1,
  priority: 1,
  attempts: 1,
  max_attempts: 1,
  'lease.worker_id': 1,
  'lease.expires_at': 1,
  archived: 1,
  available_at: 1,
} as const;


const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function toLogEntryDto(entry: Partial<LogEntryRecord> & Record<string, unknown>): LogEntryDto {
  const level = typeof entry.level === 'string' ? entry.level.toLowerCase() : 'info';
  const timestamp = entry.timestamp instanceof Date ? entry.timestamp : new Date(String(entry.timestamp ?? 0));
  return {
    timestamp: Number.isNaN(timestamp.getTime()) ? new Date(0) : timestamp,
    level: isLogLevel(level) ? level : level === 'warn' ? 'warning' : 'info',
    message: typeof entry.message === 'string' ? entry.message : String(entry.message ?? ''),
  };
}

/** Log lines from `logs` (workers) and `log_entries` (legacy model class), oldest first. */
export function mergeLogs(record: Pick<JobRecord, 'logs' | 'log_entries'>): LogEntryDto[] {
  const lines = [...(Array.isArray(record.log_entries) ? record.log_entries : []), ...(Array.isArray(record.logs) ? record.logs : [])]
    .filter((entry): entry is LogEntryRecord => entry !== null && typeof entry === 'object')
    .map((entry) => toLogEntryDto(entry as LogEntryRecord & Record<string, unknown>));
  // Stable sort keeps the stored order for equal timestamps.
  return lines.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
}

export function toParametersDto(parameters: JobParametersRecord | null | undefined): JobParametersDto {
  const p = parameters ?? {};
  const dto: JobParametersDto = {
    speakers: Array.isArray(p.speakers) ? p.speakers.filter((s): s is string => typeof s === 'string') : [],
    source_language: text(p.source_language) || 'en',
    target_language: text(p.target_language) || 'de',
    use_cache: p.use_cache !== false,
  };
  for (const key of ['event', 'session', 'url', 'filename', 'track', 'day', 'starttime', 'endtime', 'video_url', 'attachments_url'] as const) {
    const value = text(p[key]);
    if (value !== undefined) dto[key] = value;
  }
  return dto;
}

/** Key names the dashboard's transport (superjson) refuses to send; input refuses them too. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A stored free-form value (a legacy worker's `results.context`, `error.details`) with any reserved
 * key renamed `<key>_`: one such key would otherwise make every read of the job fail at the tRPC door.
 */
export function withoutReservedKeys<T>(value: T, depth = 0): T {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withoutReservedKeys(item, depth + 1)) as T;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.defineProperty(copy, RESERVED_KEYS.has(key) ? `${key}_` : key, {
      value: withoutReservedKeys(inner, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy as T;
}

function toResultsDto(results: JobResultsRecord): JobResultsDto {
  const { assets, ...rest } = compact(withoutReservedKeys(results));
  return { ...(rest as Omit<JobResultsDto, 'assets'>), assets: Array.isArray(assets) ? assets : [] };
}

function toProgress(progress: ProgressRecord | null | undefined): ProgressRecord | undefined {
  if (!progress || typeof progress !== 'object') return undefined;
  const percent = Math.min(100, Math.max(0, Math.round(Number(progress.percent) || 0)));
  return compact({ step: String(progress.step ?? ''), percent, message: text(progress.message) });
}

function statusOf(record: { status: string }): JobStatus {
  return isJobStatus(record.status) ? record.status : 'pending';
}

function common(record: JobRecord) {
  return compact({
    job_id: record.job_id,
    job_type: record.job_type ?? '',
    job_name: record.job_name || defaultName(record),
    status: statusOf(record),
    created_at: record.created_at,
    updated_at: record.updated_at ?? record.created_at,
    batch_id: record.batch_id,
    user_id: record.user_id,
    progress: toProgress(record.progress),
    processing_started_at: record.processing_started_at,
    completed_at: record.completed_at,
    priority: record.priority ?? 0,
    attempts: record.attempts ?? 0,
    max_attempts: record.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    // Only a processing job has a lease: one left on a finished job (a legacy worker finished it
    // first) or on a job a legacy maintenance call reset is not shown.
    lease:
      record.lease && record.status === 'processing' ? { worker_id: record.lease.worker_id, expires_at: record.lease.expires_at } : undefined,
    archived: record.archived === true,
  });
}

function defaultName(record: JobRecord): string {
  const p = record.parameters ?? {};
  return [p.event, p.track, p.session].filter((part): part is string => typeof part === 'string' && part.trim() !== '').join(' - ') || record.job_id;
}

/**
 * Results belong to a completed job. Legacy writers leave them on jobs that moved on (a legacy
 * worker failing a job another attempt completed, `update_jobs_status_by_batch` setting pending),
 * and those must not be shown as this attempt's results.
 */
function showsResults(record: JobRecord): boolean {
  return record.status === 'completed' && record.results !== null && typeof record.results === 'object';
}

/**
 * A completed job has no error: a legacy job the timeout failed and its legacy worker then
 * completed keeps the PROCESSING_TIMEOUT error (the legacy completion does not remove it).
 */
function showsError(record: JobRecord): boolean {
  return record.status !== 'completed' && record.error !== null && typeof record.error === 'object';
}

/** Keys starting with `$` (the literal `{"$toString": ...}` legacy reset_stalled_jobs writes) are dropped. */
function withoutOperatorKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOperatorKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const cleaned: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('$')) continue;
    const kept = withoutOperatorKeys(v);
    // An object that held only operator keys is dropped with them.
    const emptied = kept !== null && typeof kept === 'object' && !Array.isArray(kept) && !(kept instanceof Date) && Object.keys(kept).length === 0;
    if (!emptied || (v !== null && typeof v === 'object' && Object.keys(v).length === 0)) cleaned[key] = kept;
  }
  return cleaned;
}

function toErrorDto(error: JobErrorRecord): JobErrorRecord {
  const dto = compact({ ...error, code: String(error.code ?? ''), message: String(error.message ?? '') });
  if (error.details !== undefined) {
    const details = withoutOperatorKeys(error.details);
    if (details && typeof details === 'object' && Object.keys(details).length > 0) dto.details = details as JobErrorRecord['details'];
    else delete dto.details;
  }
  return dto;
}

export function toJobDto(record: JobRecord): JobDto {
  const dto: JobDto = {
    ...common(record),
    parameters: toParametersDto(record.parameters),
    logs: mergeLogs(record),
    batch_active: record.batch_active !== false,
  };
  if (record.access_control) dto.access_control = accessControlOf(record);
  if (showsResults(record)) dto.results = toResultsDto(record.results as JobResultsRecord);
  if (showsError(record)) dto.error = toErrorDto(withoutReservedKeys(record.error as JobErrorRecord));
  if (record.available_at) dto.available_at = record.available_at;
  if (record.started_at instanceof Date) dto.started_at = record.started_at;
  if (typeof record.event_type === 'string' && record.event_type !== '') dto.event_type = record.event_type;
  return dto;
}

export function toJobListItemDto(record: JobRecord): JobListItemDto {
  const p = toParametersDto(record.parameters);
  const dto: JobListItemDto = {
    ...common(record),
    parameters: compact({
      event: p.event,
      session: p.session,
      track: p.track,
      day: p.day,
      starttime: p.starttime,
      endtime: p.endtime,
      speakers: p.speakers,
      source_language: p.source_language,
      target_language: p.target_language,
    }),
    has_results: showsResults(record),
  };
  if (showsError(record) && record.error) {
    dto.error = { code: String(record.error.code ?? ''), message: String(record.error.message ?? '') };
  }
  if (record.status === 'pending' && record.available_at instanceof Date) dto.available_at = record.available_at;
  return dto;
}
