'use client';

import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@event-monitor/ui';
import { useI18n } from '../client/i18n/i18n-provider';
import { JOB_STATUS_VALUES, type JobStatusValue } from '../client/types';

/** A job status to filter by, or every status. */
export type StatusChoice = JobStatusValue | 'all';

/** The job status filter ("All statuses" and each status), as the jobs views show it. */
export function StatusSelect({
  value,
  onValueChange,
  className,
}: {
  value: StatusChoice;
  onValueChange: (value: StatusChoice) => void;
  /** The trigger's classes (its width in the row it sits in). */
  className?: string;
}) {
  const { t } = useI18n();
  return (
    <Select value={value} onValueChange={(next) => onValueChange(next as StatusChoice)}>
      <SelectTrigger className={className} aria-label={t.jobs.filterStatus}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value="all">{t.status.all}</SelectItem>
        {JOB_STATUS_VALUES.map((status) => (
          <SelectItem key={status} value={status}>
            {t.status[status]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
