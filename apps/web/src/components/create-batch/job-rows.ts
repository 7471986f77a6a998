import type { FieldError, FieldErrors, Resolver } from 'react-hook-form';
import type { z } from 'zod';
import { CreateBatchInput, MAX_JOBS_PER_BATCH, NewBatchJobInput } from '@event-monitor/contracts';
import type { Dictionary } from '../../client/i18n/dictionaries';
import type { CreateBatchRequest } from '../../client/types';

/** One job row as the form edits it: plain strings (speakers comma-separated) and a flag. */
export interface JobRow {
  event: string;
  session: string;
  track: string;
  day: string;
  starttime: string;
  endtime: string;
  speakers: string;
  url: string;
  video_url: string;
  attachments_url: string;
  filename: string;
  source_language: string;
  target_language: string;
  use_cache: boolean;
  /** Per-row job options (from an import); empty: the batch's options below apply. */
  job_type?: string;
  priority?: string;
  max_attempts?: string;
}

export const TEXT_FIELDS = [
  'event',
  'session',
  'track',
  'day',
  'starttime',
  'endtime',
  'speakers',
  'url',
  'video_url',
  'attachments_url',
  'filename',
] as const satisfies readonly (keyof JobRow)[];
export const URL_FIELDS = ['url', 'video_url', 'attachments_url'] as const;

export function emptyRow(): JobRow {
  return {
    event: '',
    session: '',
    track: '',
    day: '',
    starttime: '',
    endtime: '',
    speakers: '',
    url: '',
    video_url: '',
    attachments_url: '',
    filename: '',
    source_language: 'en',
    target_language: 'de',
    use_cache: true,
  };
}

/** What a failed check means for the operator, in their language (the schema's own text otherwise). */
function messageOf(issue: z.core.$ZodIssue, field: string | undefined, t: Dictionary): string {
  if (field === 'session' && issue.code === 'custom') return t.form.needsSessionOrUrl;
  if (field && (URL_FIELDS as readonly string[]).includes(field)) return t.createBatch.invalidUrl;
  if (field === 'source_language' || field === 'target_language') return t.createBatch.invalidLanguage;
  if (issue.path.length === 1 && issue.path[0] === 'jobs') {
    return issue.code === 'too_small' ? t.createBatch.atLeastOne : t.createBatch.tooMany(MAX_JOBS_PER_BATCH);
  }
  return issue.message;
}

function setError(errors: Record<string, unknown>, path: string, error: FieldError): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = errors;
  for (const key of keys.slice(0, -1))
    node = (node[key] ??= /^\d+$/.test(key) ? [] : {}) as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  node[last] ??= error;
}

/**
 * The form's resolver: the rows become the tRPC input and are checked with the server's own
 * schema (`CreateBatchInput` from @event-monitor/contracts), so browser and server apply the same
 * rules; each failing field is shown on its row.
 */
export function createBatchResolver(t: Dictionary, table?: TableRows): Resolver<FormValues> {
  return async (values) => {
    // Many rows live outside the form (see TableRows): they are checked here with the rest.
    const rows = table?.rows();
    const result = CreateBatchInput.safeParse(toCreateBatchInput(rows ? { ...values, jobs: rows } : values));
    table?.onErrors({});
    if (result.success) return { values, errors: {} };
    const errors: Record<string, unknown> = {};
    const byRow: Record<number, string[]> = {};
    for (const issue of result.error.issues) {
      const serverPath = issue.path.map(String).join('.');
      const field = issue.path[0] === 'jobs' ? String(issue.path[3] ?? issue.path[2] ?? '') || undefined : undefined;
      const message = messageOf(issue, field, t);
      // A batch option's problem (priority 500) is shown on the option, not on every row.
      const option = issue.path.length === 3 && ['job_type', 'priority', 'max_attempts'].includes(String(issue.path[2]));
      const row = rows && !option && issue.path[0] === 'jobs' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
      if (row !== undefined) (byRow[row] ??= []).push(field ? `${field}: ${message}` : message);
      else setError(errors, formPathOf(serverPath) ?? (serverPath === 'jobs' ? 'jobs.root' : 'root'), { type: issue.code, message });
    }
    const badRows = Object.keys(byRow).length;
    if (badRows > 0) {
      table?.onErrors(byRow);
      setError(errors, 'jobs.root', { type: 'rows', message: t.form.rowsWithErrors(badRows) });
    }
    return { values: {}, errors: errors as FieldErrors<FormValues> };
  };
}

/** The rows of a large import, kept outside the form state, and where their problems go. */
export interface TableRows {
  rows: () => JobRow[] | null;
  onErrors: (byRow: Record<number, string[]>) => void;
}

/** Checks one imported row with the server's schema of a batch's job (its parameters and options). */
function rowErrors(row: JobRow, t: Dictionary): string[] {
  const [job] = toCreateBatchInput({ ...emptyOptions(), jobs: [row] }).jobs;
  const result = NewBatchJobInput.safeParse(job);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = String(issue.path[0] === 'parameters' ? (issue.path[1] ?? '') : (issue.path[0] ?? ''));
    return `${field}: ${messageOf(issue, field, t)}`;
  });
}

/** The batch's own fields; job type, priority and max attempts apply to every row that sets none. */
export interface BatchOptions {
  batch_name: string;
  job_type: string;
  priority: string;
  max_attempts: string;
  visibility: 'private' | 'public';
  /** datetime-local values (the browser's local time), '' for none. */
  not_before: string;
  deadline: string;
}

export function emptyOptions(): BatchOptions {
  return { batch_name: '', job_type: '', priority: '', max_attempts: '', visibility: 'private', not_before: '', deadline: '' };
}

/** A datetime-local value (local time, no offset) as an ISO instant; '' -> not given, nonsense stays for the check. */
export function instantOf(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

export interface FormValues extends BatchOptions {
  jobs: JobRow[];
}

/** A number field's text as the schema takes it: empty -> not given, else a number (NaN fails the check). */
function numberOf(value: string | undefined): number | undefined {
  const text = (value ?? '').trim();
  return text === '' ? undefined : Number(text);
}

/** A row with nothing typed in (the untouched form's row). */
export function isEmptyRow(row: JobRow | undefined): boolean {
  return !!row && TEXT_FIELDS.every((key) => row[key] === '');
}

const orUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The form's values as the tRPC input. */
export function toCreateBatchInput(values: FormValues): CreateBatchRequest {
  return {
    batch_name: orUndefined(values.batch_name),
    visibility: values.visibility,
    not_before: instantOf(values.not_before),
    deadline: instantOf(values.deadline),
    jobs: values.jobs.map((row) => ({
      job_type: orUndefined(row.job_type ?? '') ?? orUndefined(values.job_type),
      priority: numberOf(row.priority) ?? numberOf(values.priority),
      max_attempts: numberOf(row.max_attempts) ?? numberOf(values.max_attempts),
      parameters: {
        event: orUndefined(row.event),
        session: orUndefined(row.session),
        track: orUndefined(row.track),
        day: orUndefined(row.day),
        starttime: orUndefined(row.starttime),
        endtime: orUndefined(row.endtime),
        speakers: splitSpeakers(row.speakers),
        url: orUndefined(row.url),
        video_url: orUndefined(row.video_url),
        attachments_url: orUndefined(row.attachments_url),
        filename: orUndefined(row.filename),
        source_language:
          row.source_language as CreateBatchRequest['jobs'][number]['parameters']['source_language'],
        target_language:
          row.target_language as CreateBatchRequest['jobs'][number]['parameters']['target_language'],
        use_cache: row.use_cache,
      },
    })),
  };
}

export function splitSpeakers(value: string): string[] {
  return value
    .split(/[,;|]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Server paths (`jobs.3.parameters.video_url`) to form paths (`jobs.3.video_url`). */
export function formPathOf(serverPath: string): string | null {
  if (['batch_name', 'visibility', 'not_before', 'deadline'].includes(serverPath)) return serverPath;
  // A row's options come from the batch's fields unless its import set them.
  const option = serverPath.match(/^jobs\.\d+\.(job_type|priority|max_attempts)$/);
  if (option) return option[1] as string;
  const match = serverPath.match(/^jobs\.(\d+)\.parameters\.([a-z_]+)/);
  if (match) return `jobs.${match[1]}.${match[2]}`;
  const row = serverPath.match(/^jobs\.(\d+)\./);
  return row ? `jobs.${row[1]}.event` : null;
}

// ---- import ---------------------------------------------------------------------------------

const ALIASES: Record<string, keyof JobRow> = {
  title: 'session',
  name: 'session',
  session_title: 'session',
  room: 'track',
  date: 'day',
  start: 'starttime',
  start_time: 'starttime',
  end: 'endtime',
  end_time: 'endtime',
  speaker: 'speakers',
  video: 'video_url',
  videourl: 'video_url',
  attachments: 'attachments_url',
  slides: 'attachments_url',
  link: 'url',
  source: 'source_language',
  target: 'target_language',
  cache: 'use_cache',
  type: 'job_type',
  attempts: 'max_attempts',
};
const KNOWN = new Set<string>([...Object.keys(emptyRow()), 'job_type', 'priority', 'max_attempts']);

export interface ImportedRow {
  index: number;
  row: JobRow;
  errors: string[];
}

export interface ImportResult {
  rows: ImportedRow[];
  warnings: string[];
}

function normaliseKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(asText).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const named = (value as { name?: unknown }).name;
    return typeof named === 'string' ? named : '';
  }
  return String(value).trim();
}

function asBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = asText(value).toLowerCase();
  return !['false', '0', 'no', 'nein', 'n'].includes(text);
}

function toRow(record: Record<string, unknown>, unknown: Set<string>): JobRow {
  const source =
    record.parameters && typeof record.parameters === 'object'
      ? { ...record, ...(record.parameters as Record<string, unknown>) }
      : record;
  const row = emptyRow();
  for (const [rawKey, value] of Object.entries(source)) {
    if (rawKey === 'parameters') continue;
    const key = normaliseKey(rawKey);
    const field = (KNOWN.has(key) ? key : ALIASES[key]) as keyof JobRow | undefined;
    if (!field) {
      if (!['job_name', 'id'].includes(key)) unknown.add(rawKey);
      continue;
    }
    if (field === 'use_cache') row.use_cache = value === '' || value === undefined ? true : asBoolean(value);
    else if (asText(value) !== '') (row as unknown as Record<string, string>)[field] = asText(value);
  }
  row.source_language = row.source_language.toLowerCase();
  row.target_language = row.target_language.toLowerCase();
  return row;
}

/**
 * Parses a conference schedule (CSV with a header row, or JSON) into rows with their errors.
 * The CSV parser loads on first use: it is not part of the create page's first load.
 */
export async function parseSchedule(fileName: string, content: string, t: Dictionary): Promise<ImportResult> {
  let records: Record<string, unknown>[];
  const warnings: string[] = [];
  const trimmed = content.trim();
  if (fileName.toLowerCase().endsWith('.json') || trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const parsed: unknown = JSON.parse(trimmed);
    const list = Array.isArray(parsed)
      ? parsed
      : parsed && typeof parsed === 'object'
        ? ((parsed as Record<string, unknown>).jobs ??
          (parsed as Record<string, unknown>).sessions ??
          (parsed as Record<string, unknown>).events)
        : undefined;
    if (!Array.isArray(list)) throw new Error(t.createBatch.importFailed);
    records = list.filter(
      (item): item is Record<string, unknown> => item !== null && typeof item === 'object',
    );
  } else {
    const { default: Papa } = await import('papaparse');
    const parsed = Papa.parse<Record<string, string>>(trimmed, { header: true, skipEmptyLines: 'greedy' });
    for (const error of parsed.errors.slice(0, 5)) {
      warnings.push(`${t.createBatch.row((error.row ?? 0) + 1)}: ${error.message}`);
    }
    records = parsed.data;
  }
  const unknown = new Set<string>();
  const rows = records.map((record, index) => {
    const row = toRow(record, unknown);
    return { index, row, errors: rowErrors(row, t) };
  });
  for (const column of unknown) warnings.push(t.createBatch.unknownColumn(column));
  return { rows, warnings };
}
