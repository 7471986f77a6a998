'use client';

import {
  Alert,
  AlertDescription,
  Sheet,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
  Skeleton,
} from '@event-monitor/ui';
import { errorMessage } from '../../../client/errors';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { BatchRights } from '../../../client/batch-rights';
import { JobDetail } from './job-detail';
import { useJob } from './use-job';

export interface JobDetailSheetProps {
  jobId: string | null;
  onClose: () => void;
  /** The rights on the job's batch (its `can`); absent: by role. */
  rights?: BatchRights;
}

/** A job in a side sheet: progress, logs (following new lines), result, error, timeline and actions. */
export function JobDetailSheet({ jobId, onClose, rights }: JobDetailSheetProps) {
  const { t } = useI18n();
  const job = useJob(jobId);
  return (
    <Sheet open={jobId !== null} onOpenChange={(open) => !open && onClose()}>
      <SheetContent side="right" closeLabel={t.common.close} className="w-full overflow-y-auto sm:max-w-2xl">
        <SheetHeader>
          <SheetTitle className="pr-6 break-words">{job.data?.job_name ?? t.job.details}</SheetTitle>
          <SheetDescription>{t.job.details}</SheetDescription>
        </SheetHeader>
        {job.isPending ? (
          <div className="flex flex-col gap-3 px-4">
            <Skeleton className="h-6 w-1/2" />
            <Skeleton className="h-2 w-full" />
            <Skeleton className="h-40 w-full" />
          </div>
        ) : job.isError ? (
          <div className="px-4">
            <Alert variant="destructive">
              <AlertDescription>
                {job.error.data?.code === 'NOT_FOUND' ? t.job.notFound : errorMessage(job.error, t)}
              </AlertDescription>
            </Alert>
          </div>
        ) : (
          <JobDetail job={job.data} onDeleted={onClose} rights={rights} />
        )}
      </SheetContent>
    </Sheet>
  );
}
