'use client';

import type { Row } from '@tanstack/react-table';
import { Checkbox, cn, StatusBadge } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { JobListItem } from '../../../client/types';
import { jobDuration } from '../job-format';
import { ProgressCell } from './progress-cell';
import { useRowWindow } from './use-row-window';

const ITEM_HEIGHT = 122;

/** Narrow screens: one card per job, the same rows and selection as the table. */
export function JobRowsList({
  rows,
  virtual,
  canWrite,
  now,
  onOpenJob,
}: {
  rows: Row<JobListItem>[];
  virtual: boolean;
  canWrite: boolean;
  now: number | null;
  onOpenJob: (jobId: string) => void;
}) {
  const { t } = useI18n();
  const listWindow = useRowWindow(rows.length, virtual, ITEM_HEIGHT);
  return (
    <div ref={listWindow.scrollRef} className={cn('md:hidden', virtual && 'h-[75vh] overflow-y-auto')}>
      <ul
        className="flex flex-col"
        aria-label={t.jobs.title}
        style={{ paddingTop: listWindow.before, paddingBottom: listWindow.after }}
      >
        {listWindow.indexes.map((index) => {
          const row = rows[index];
          if (!row) return null;
          const job = row.original;
          return (
            <li key={row.id} ref={listWindow.measure} data-index={index} className="pb-2" data-testid="job-item">
              <div className="flex flex-col gap-2 rounded-md border p-3">
                <div className="flex items-start gap-2">
                  {canWrite ? (
                    <Checkbox
                      className="mt-0.5"
                      aria-label={t.jobs.selectRow(job.job_name)}
                      checked={row.getIsSelected()}
                      onCheckedChange={(value) => row.toggleSelected(value === true)}
                    />
                  ) : null}
                  <button
                    type="button"
                    className="focus-visible:ring-ring/50 min-w-0 flex-1 rounded-sm text-left text-sm font-medium break-words outline-none focus-visible:ring-[3px]"
                    onClick={() => onOpenJob(job.job_id)}
                    aria-label={t.jobs.open(job.job_name)}
                  >
                    {job.job_name}
                  </button>
                  <StatusBadge status={job.status} label={t.status[job.status]} />
                </div>
                <ProgressCell job={job} />
                <p className="text-muted-foreground flex flex-wrap gap-x-3 text-xs">
                  <span className="font-mono">
                    {job.parameters.source_language} → {job.parameters.target_language}
                  </span>
                  <span>
                    {t.jobs.attempts}: {job.attempts}/{job.max_attempts}
                  </span>
                  <span>
                    {t.jobs.duration}: {jobDuration(job, now)}
                  </span>
                  {job.lease ? <span>{job.lease.worker_id}</span> : null}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
