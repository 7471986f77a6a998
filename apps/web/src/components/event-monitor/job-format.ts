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

export function jobDuration(job: Pick<JobListItem, 'processing_started_at' | 'completed_at' | 'status'>, now = Date.now()): string {
  if (!job.processing_started_at) return '—';
  const start = new Date(job.processing_started_at).getTime();
  const end = job.completed_at ? new Date(job.completed_at).getTime() : job.status === 'processing' ? now : NaN;
  return formatDuration(end - start);
}

/** A URL of the files route for a result path the worker reported. */
export function fileUrl(path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `/api/event-job/files/${path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/')}`;
}
