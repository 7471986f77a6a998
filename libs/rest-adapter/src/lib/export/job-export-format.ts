import type { JobListItemDto } from '@event-monitor/domain';

/** The columns of a CSV export, in order: a header name and how a job fills it. */
export const CSV_COLUMNS: readonly [string, (job: JobListItemDto) => unknown][] = [
  ['job_id', (job) => job.job_id],
  ['batch_id', (job) => job.batch_id],
  ['job_name', (job) => job.job_name],
  ['job_type', (job) => job.job_type],
  ['status', (job) => job.status],
  ['event', (job) => job.parameters.event],
  ['session', (job) => job.parameters.session],
  ['track', (job) => job.parameters.track],
  ['speakers', (job) => job.parameters.speakers?.join('; ')],
  ['source_language', (job) => job.parameters.source_language],
  ['target_language', (job) => job.parameters.target_language],
  ['priority', (job) => job.priority],
  ['attempts', (job) => job.attempts],
  ['max_attempts', (job) => job.max_attempts],
  ['error_code', (job) => job.error?.code],
  ['error_message', (job) => job.error?.message.split(/\r?\n/, 1)[0]],
  ['has_results', (job) => job.has_results],
  ['created_at', (job) => job.created_at],
  ['updated_at', (job) => job.updated_at],
  ['completed_at', (job) => job.completed_at],
];

/**
 * Spreadsheet formula injection: a cell that starts with = + - @, a tab or a carriage return is
 * a formula (or becomes one) in Excel, LibreOffice and Google Sheets. OWASP's advice: prefix it
 * with a single quote, which the spreadsheet shows as text and does not evaluate.
 */
export function defuseCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV cell (RFC 4180): defused, quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = defuseCell(value instanceof Date ? value.toISOString() : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`;
}

export function csvRow(job: JobListItemDto): string {
  return `${CSV_COLUMNS.map(([, cell]) => csvCell(cell(job))).join(',')}\r\n`;
}

/**
 * A JSON export row: the job as the list returns it, with every string defused too, since a JSON
 * export is often opened in a spreadsheet as well.
 */
export function jsonRow(job: JobListItemDto): string {
  return JSON.stringify(job, (_key, value: unknown) =>
    typeof value === 'string' ? defuseCell(value) : value,
  );
}
