import { Progress } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';

/** The job's progress bar with its step and message. */
export function JobProgress({ job }: { job: Job }) {
  const { t } = useI18n();
  const percent = job.status === 'completed' ? 100 : (job.progress?.percent ?? 0);
  return (
    <section aria-label={t.job.progress} className="flex flex-col gap-1.5">
      <Progress value={percent} aria-label={`${t.job.progress}: ${percent}%`} />
      <p className="text-muted-foreground text-xs">
        {percent}%{job.progress?.step ? ` · ${t.job.step}: ${job.progress.step}` : ''}
        {job.progress?.message ? ` · ${job.progress.message}` : ''}
      </p>
    </section>
  );
}
