'use client';

import { useI18n } from '../../client/i18n/i18n-provider';
import type { JobListItem } from '../../client/types';
import { useNow } from '../workers/use-now';
import { firstLine, formatWait, scheduledRetry } from './triage-format';

/** The error column: code, the first line of the message, and a scheduled retry as such. */
export function ErrorCell({ job, now }: { job: JobListItem; now: number | null }) {
  if (!job.error) return <span className="text-muted-foreground">—</span>;
  const message = firstLine(job.error.message);
  return (
    <div className="flex max-w-72 min-w-0 flex-col gap-0.5" data-testid="job-error">
      <span className="font-mono text-xs font-medium break-all">{job.error.code || 'UNKNOWN'}</span>
      {message ? (
        <span className="text-muted-foreground truncate text-xs" title={message}>
          {message}
        </span>
      ) : null}
      <RetryNote job={job} now={now} />
    </div>
  );
}

/** "retry 2/3 in 40 s" for a job waiting for its next attempt; nothing otherwise. */
export function RetryNote({
  job,
  now,
}: {
  job: Pick<JobListItem, 'status' | 'error' | 'attempts' | 'max_attempts'> & { available_at?: string | Date };
  now: number | null;
}) {
  const { t } = useI18n();
  const retry = scheduledRetry(job, now);
  if (!retry) return null;
  return (
    <span className="text-warning text-xs" data-testid="retry-note">
      {retry.inMs === null || retry.inMs === 0
        ? t.triage.retryDue(retry.attempt, retry.max)
        : t.triage.retryIn(retry.attempt, retry.max, formatWait(retry.inMs))}
    </span>
  );
}

/** RetryNote with its own clock, ticking every second (the job sheet's countdown). */
export function LiveRetryNote({ job }: { job: Parameters<typeof RetryNote>[0]['job'] }) {
  const now = useNow(1_000);
  return <RetryNote job={job} now={now} />;
}
