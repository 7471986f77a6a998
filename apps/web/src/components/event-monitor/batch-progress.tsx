'use client';

import { SegmentedProgress } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import type { Batch } from '../../client/types';

type BatchCounters = Pick<
  Batch,
  'batch_name' | 'total_jobs' | 'completed_jobs' | 'failed_jobs' | 'processing_jobs' | 'pending_jobs'
>;

/** The batch's jobs as one bar: completed / failed / processing / pending, with a counter line. */
export function BatchProgress({ batch }: { batch: BatchCounters }) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-1.5">
      <SegmentedProgress
        completed={batch.completed_jobs}
        failed={batch.failed_jobs}
        processing={batch.processing_jobs}
        pending={batch.pending_jobs}
        labels={{
          completed: t.status.completed,
          failed: t.status.failed,
          processing: t.status.processing,
          pending: t.status.pending,
          progress: `${t.progress.label}: ${batch.batch_name}`,
          done: t.progress.done,
        }}
      />
      <p
        className="text-muted-foreground flex flex-wrap gap-x-3 gap-y-0.5 text-xs"
        data-testid="batch-counters"
      >
        <span>{t.batch.jobs(batch.total_jobs)}</span>
        <span className="text-success">
          {t.status.completed}: {batch.completed_jobs}
        </span>
        <span className="text-destructive">
          {t.status.failed}: {batch.failed_jobs}
        </span>
        <span className="text-info">
          {t.status.processing}: {batch.processing_jobs}
        </span>
        <span>
          {t.status.pending}: {batch.pending_jobs}
        </span>
      </p>
    </div>
  );
}
