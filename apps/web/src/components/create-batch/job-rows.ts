import Papa from 'papaparse';
import { z } from 'zod';
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

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * A deliberately small client-side check (the server's schema is authoritative and its field errors
 * are shown per field): lengths, http(s) URLs, known language codes.
 */
export function rowSchema(t: Dictionary, languageCodes: readonly string[]) {
  const text = (max: number) => z.string().trim().max(max);
  const url = z
    .string()
    .trim()
    .max(2048)
    .refine((v) => v === '' || isHttpUrl(v), t.createBatch.invalidUrl);
  const language = z.string().refine((v) => languageCodes.includes(v), t.createBatch.invalidLanguage);
  return z.object({
    event: text(500),
    session: text(500),
    track: text(500),
    day: text(100),
    starttime: text(100),
    endtime: text(100),
    speakers: text(20_000),
    url,
    video_url: url,
    attachments_url: url,
    filename: text(500),
    source_language: language,
    target_language: language,
    use_cache: z.boolean(),
  });
}

export function formSchema(t: Dictionary, languageCodes: readonly string[], maxJobs: number) {
  return z.object({
    batch_name: z.string().trim().max(200),
    jobs: z.array(rowSchema(t, languageCodes)).min(1, t.createBatch.atLeastOne).max(maxJobs, t.createBatch.tooMany(maxJobs)),
  });
}

export interface FormValues {
  batch_name: string;
  jobs: JobRow[];
}

const orUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** The form's values as the tRPC input. */
export function toCreateBatchInput(values: FormValues): CreateBatchRequest {
  return {
    batch_name: orUndefined(values.batch_name),
    jobs: values.jobs.map((row) => ({
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
        source_language: row.source_language as CreateBatchRequest['jobs'][number]['parameters']['source_language'],
        target_language: row.target_language as CreateBatchRequest['jobs'][number]['parameters']['target_language'],
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
  if (serverPath === 'batch_name') return 'batch_name';
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
};
const KNOWN = new Set<string>([...Object.keys(emptyRow())]);

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
  return key.trim().toLowerCase().replace(/[\s-]+/g, '_');
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
      if (!['job_name', 'job_type', 'priority', 'max_attempts', 'id'].includes(key)) unknown.add(rawKey);
      continue;
    }
    if (field === 'use_cache') row.use_cache = value === '' || value === undefined ? true : asBoolean(value);
    else if (asText(value) !== '') (row as unknown as Record<string, string>)[field] = asText(value);
  }
  row.source_language = row.source_language.toLowerCase();
  row.target_language = row.target_language.toLowerCase();
  return row;
}

/** Parses a conference schedule (CSV with a header row, or JSON) into rows with their errors. */
export function parseSchedule(
  fileName: string,
  content: string,
  t: Dictionary,
  languageCodes: readonly string[],
): ImportResult {
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
    records = list.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object');
  } else {
    const parsed = Papa.parse<Record<string, string>>(trimmed, { header: true, skipEmptyLines: 'greedy' });
    for (const error of parsed.errors.slice(0, 5)) {
      warnings.push(`${t.createBatch.row((error.row ?? 0) + 1)}: ${error.message}`);
    }
    records = parsed.data;
  }
  const unknown = new Set<string>();
  const schema = rowSchema(t, languageCodes);
  const rows = records.map((record, index) => {
    const row = toRow(record, unknown);
    const result = schema.safeParse(row);
    const errors = result.success
      ? []
      : result.error.issues.map((issue) => `${String(issue.path[0] ?? '')}: ${issue.message}`);
    return { index, row, errors };
  });
  for (const column of unknown) warnings.push(t.createBatch.unknownColumn(column));
  return { rows, warnings };
}
