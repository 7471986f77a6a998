import type { RouterOutputs } from '@event-monitor/client';
import { details, formatDate, type Cell } from './output';

// How each kind of object looks in a table or as details.

type Batch = RouterOutputs['batch']['get'];
type JobItem = RouterOutputs['job']['list']['jobs'][number];
type Job = RouterOutputs['job']['get'];
type Token = RouterOutputs['token']['list'][number];
type User = RouterOutputs['user']['list'][number];

export const BATCH_HEAD = [
  'Batch',
  'Name',
  'Status',
  'Jobs',
  'Pending',
  'Running',
  'Done',
  'Failed',
  'Active',
  'Created',
];

export function batchRow(b: Batch): Cell[] {
  return [
    b.batch_id,
    b.batch_name,
    b.archived ? `${b.status} (archived)` : b.status,
    b.total_jobs,
    b.pending_jobs,
    b.processing_jobs,
    b.completed_jobs,
    b.failed_jobs,
    b.isActive,
    formatDate(b.created_at),
  ];
}

export function batchDetails(b: Batch): string {
  return details([
    ['Batch', b.batch_id],
    ['Name', b.batch_name],
    ['Status', b.status],
    ['Archived', b.archived],
    ['Active', b.isActive],
    [
      'Jobs',
      `${b.total_jobs} (pending ${b.pending_jobs}, running ${b.processing_jobs}, done ${b.completed_jobs}, failed ${b.failed_jobs})`,
    ],
    ['Visibility', b.access_control.visibility],
    ['Owner', b.user_id],
    ['Created', formatDate(b.created_at)],
    ['Updated', formatDate(b.updated_at)],
    ['Completed', formatDate(b.completed_at)],
  ]);
}

export const JOB_HEAD = ['Job', 'Name', 'Status', 'Batch', 'Attempts', 'Progress', 'Updated'];

function progressText(progress: JobItem['progress']): string {
  if (!progress) return '';
  return [`${progress.percent}%`, progress.step, progress.message].filter(Boolean).join(' ');
}

export function jobRow(j: JobItem): Cell[] {
  return [
    j.job_id,
    j.job_name,
    j.error ? `${j.status} (${j.error.code})` : j.status,
    j.batch_id,
    `${j.attempts}/${j.max_attempts}`,
    progressText(j.progress),
    formatDate(j.updated_at),
  ];
}

const LOG_LINES = 10;

export function jobDetails(j: Job): string {
  const p = j.parameters;
  const table = details([
    ['Job', j.job_id],
    ['Name', j.job_name],
    ['Type', j.job_type],
    ['Status', j.status],
    ['Batch', j.batch_id],
    ['Error', j.error ? `${j.error.code}: ${j.error.message}` : undefined],
    ['Progress', progressText(j.progress)],
    ['Attempts', `${j.attempts}/${j.max_attempts}`],
    ['Priority', j.priority],
    ['Worker', j.lease ? `${j.lease.worker_id} (lease until ${formatDate(j.lease.expires_at)})` : undefined],
    ['Event', p.event],
    ['Session', p.session],
    ['Track', p.track],
    [
      'Day',
      [p.day, p.starttime && p.endtime ? `${p.starttime}-${p.endtime}` : p.starttime]
        .filter(Boolean)
        .join(' '),
    ],
    ['Speakers', p.speakers.join(', ')],
    ['URL', p.url],
    ['Video URL', p.video_url],
    ['Attachments URL', p.attachments_url],
    ['Languages', `${p.source_language} -> ${p.target_language}${p.use_cache ? '' : ' (no cache)'}`],
    ['Result', j.results ? (j.results.markdown_file ?? 'yes') : undefined],
    ['Created', formatDate(j.created_at)],
    ['Started', formatDate(j.processing_started_at)],
    ['Completed', formatDate(j.completed_at)],
    ['Updated', formatDate(j.updated_at)],
  ]);
  if (j.logs.length === 0) return table;
  const lines = j.logs
    .slice(-LOG_LINES)
    .map((line) => `${formatDate(line.timestamp)} ${line.level.toUpperCase().padEnd(8)} ${line.message}`);
  const heading = j.logs.length > LOG_LINES ? `Logs (last ${LOG_LINES} of ${j.logs.length}):` : 'Logs:';
  return [table, heading, ...lines].join('\n');
}

export const TOKEN_HEAD = [
  'Token id',
  'Name',
  'Starts with',
  'User',
  'Scopes',
  'Enabled',
  'Created',
  'Last used',
  'Expires',
];

export function tokenRow(t: Token): Cell[] {
  return [
    t.id,
    t.name,
    t.start,
    t.userId,
    t.scopes.join(','),
    t.enabled,
    formatDate(t.createdAt),
    formatDate(t.lastUsedAt) || 'never',
    formatDate(t.expiresAt) || 'never',
  ];
}

export const USER_HEAD = ['User id', 'Email', 'Name', 'Role', 'Created'];

export function userRow(u: User): Cell[] {
  return [u.id, u.email, u.name, u.role, formatDate(u.createdAt)];
}
