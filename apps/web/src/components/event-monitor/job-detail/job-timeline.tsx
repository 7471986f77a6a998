'use client';

import { Skeleton } from '@event-monitor/ui';
import { errorMessage } from '../../../client/errors';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';
import { AuditEventSummary } from '../../audit/audit-event';
import { useJobTimeline } from './use-job-timeline';

/** The timeline tab: milestones and audit events (these stand out), then attempts and last update. */
export function JobTimeline({ job }: { job: Job }) {
  const { t, formatDateTime } = useI18n();
  const { entries, trail } = useJobTimeline(job);
  return (
    <div className="flex flex-col gap-4">
      <ol className="relative ml-2 flex flex-col gap-3 border-l pl-4 text-sm" aria-label={t.job.timeline}>
        {entries.map((entry) => {
          const audit = 'event' in entry;
          return (
            <li key={entry.key} className="relative" data-audit={audit || undefined}>
              <span
                aria-hidden="true"
                className={`absolute top-1.5 -left-[21px] size-2.5 rounded-full ${audit ? 'bg-primary' : 'bg-border'}`}
              />
              <time dateTime={entry.at.toISOString()} className="text-muted-foreground block text-xs">
                {formatDateTime(entry.at)}
              </time>
              {'event' in entry ? (
                <AuditEventSummary event={entry.event} />
              ) : (
                <span className="font-medium">{entry.milestone}</span>
              )}
            </li>
          );
        })}
      </ol>
      {trail.isPending ? <Skeleton className="h-10 w-full" /> : null}
      {trail.isError ? <p className="text-destructive text-sm">{errorMessage(trail.error, t)}</p> : null}
      <dl className="text-muted-foreground grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt>{t.jobs.attempts}</dt>
        <dd className="text-foreground">{t.job.attemptsOf(job.attempts, job.max_attempts)}</dd>
        <dt>{t.job.updatedAt}</dt>
        <dd className="text-foreground">{formatDateTime(job.updated_at)}</dd>
      </dl>
    </div>
  );
}
