import { Progress } from '@event-monitor/ui';
import type { JobListItem } from '../../../client/types';

export function ProgressCell({ job }: { job: JobListItem }) {
  const percent = job.status === 'completed' ? 100 : (job.progress?.percent ?? 0);
  return (
    <div className="flex min-w-28 flex-col gap-1">
      <Progress value={percent} aria-label={`${job.job_name}: ${percent}%`} className="h-1.5" />
      <span className="text-muted-foreground truncate text-xs">
        {percent}%{job.progress?.step && job.status === 'processing' ? ` · ${job.progress.step}` : ''}
      </span>
    </div>
  );
}
