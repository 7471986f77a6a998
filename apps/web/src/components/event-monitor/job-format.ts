import type { JobListItem } from '../../client/types';

/** "1 h 02 min", "3 min 05 s", "12 s": how long a job ran (or has been running). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * How long a job ran. A running job needs `now`, which the caller reads after hydration (`useNow`):
 * null (server pass, hydration) renders '—' so server and browser HTML agree.
 */
export function jobDuration(job: Pick<JobListItem, 'processing_started_at' | 'completed_at' | 'status'>, now: number | null): string {
  if (!job.processing_started_at) return '—';
  const start = new Date(job.processing_started_at).getTime();
  const end = job.completed_at ? new Date(job.completed_at).getTime() : job.status === 'processing' && now !== null ? now : NaN;
  return formatDuration(end - start);
}

/** A URL of the files route for a result path the worker reported. */
export function fileUrl(path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `/api/event-job/files/${path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/')}`;
}

/** One file a job's results name: what to show, and a link when the value is a path. */
export interface ResultFile {
  label: string;
  href: string | null;
}

const MAX_LABEL = 300;

/** Any stored value as short text: legacy results hold numbers, objects and nulls where paths belong. */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL)}…` : text;
}

function resultFile(value: unknown): ResultFile | null {
  const label = displayValue(value).trim();
  if (label === '') return null;
  return { label, href: typeof value === 'string' ? fileUrl(value.trim()) : null };
}

/**
 * The files and markdown of a job's results, whatever shape a legacy worker stored: a non-string
 * markdown file or asset is shown as text without a link, nested lists are flattened, empty
 * entries are left out.
 */
export function resultFiles(results: unknown): { markdownFile: ResultFile | null; assets: ResultFile[]; markdownContent: string | null } {
  if (!results || typeof results !== 'object' || Array.isArray(results)) return { markdownFile: null, assets: [], markdownContent: null };
  const record = results as Record<string, unknown>;
  const rawAssets = Array.isArray(record['assets']) ? (record['assets'] as unknown[]).flat(3) : record['assets'] === undefined ? [] : [record['assets']];
  const content = record['markdown_content'];
  return {
    markdownFile: resultFile(record['markdown_file']),
    assets: rawAssets.map(resultFile).filter((file): file is ResultFile => file !== null),
    markdownContent: typeof content === 'string' ? content || null : content === null || content === undefined ? null : displayValue(content) || null,
  };
}
