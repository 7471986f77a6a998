import * as React from 'react';
import type { JobStatus } from '@event-monitor/contracts';
import { cn } from '../lib/utils';
import { Badge, type BadgeProps } from './badge';

export { JOB_STATUSES, type JobStatus } from '@event-monitor/contracts';

const defaultStatusLabels: Record<JobStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
};

const statusVariant: Record<JobStatus, NonNullable<BadgeProps['variant']>> = {
  pending: 'outline',
  processing: 'info',
  completed: 'success',
  failed: 'destructive',
};

export type StatusBadgeProps = Omit<React.ComponentProps<'span'>, 'children'> & {
  status: JobStatus;
  /** Visible text; defaults to the English status name. */
  label?: string;
};

/** A coloured badge for a job/translation status, with `data-status` for styling and tests. */
export function StatusBadge({ status, label, className, ...props }: StatusBadgeProps) {
  return (
    <Badge
      data-slot="status-badge"
      data-status={status}
      variant={statusVariant[status]}
      className={cn(status === 'pending' && 'text-muted-foreground', className)}
      {...props}
    >
      {status === 'processing' && (
        <span aria-hidden="true" className="relative flex size-1.5 shrink-0">
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-current opacity-75 motion-reduce:animate-none" />
          <span className="relative inline-flex size-1.5 rounded-full bg-current" />
        </span>
      )}
      {label ?? defaultStatusLabels[status]}
    </Badge>
  );
}
