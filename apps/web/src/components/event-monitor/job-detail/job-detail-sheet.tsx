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
import { useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../../client/errors';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { BatchRights } from '../../../client/batch-rights';
import { JobDetail } from './job-detail';
import { JobDeleting, useJob } from './use-job';

export interface JobDetailSheetProps {
  jobId: string | null;
  onClose: () => void;
  /** The rights on the job's batch (its `can`); absent: by role. */
  rights?: BatchRights;
}

/** A job in a side sheet: progress, logs (following new lines), result, error, timeline and actions. */
export function JobDetailSheet({ jobId, onClose, rights }: JobDetailSheetProps) {
  const { t } = useI18n();
  // A job deleted from the sheet closes it at once (the URL follows later): its query stops
  // before the caches are refetched.
  const [deletedId, setDeletedId] = useState<string | null>(null);
  const shownId = jobId !== null && jobId === deletedId ? null : jobId;
  const [deleting, setDeleting] = useState(false);
  const deletingValue = useMemo(() => ({ deleting, setDeleting }), [deleting]);
  const job = useJob(shownId, deleting);
  // After a delete the sheet's opener (the job's row) is about to go: returning focus to it lost
  // focus to <body> whenever the refetch that removes the row landed after the sheet had closed
  // (CI under load). The page's main region takes it instead.
  const closedByDelete = useRef(false);
  const onCloseAutoFocus = (event: Event) => {
    if (!closedByDelete.current) return;
    closedByDelete.current = false;
    event.preventDefault();
    document.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
  };
  return (
    <Sheet open={shownId !== null} onOpenChange={(open) => !open && onClose()}>
      <SheetContent
        side="right"
        closeLabel={t.common.close}
        className="w-full overflow-y-auto sm:max-w-2xl"
        onCloseAutoFocus={onCloseAutoFocus}
      >
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
          <JobDeleting value={deletingValue}>
            <JobDetail
              job={job.data}
              onDeleted={() => {
                closedByDelete.current = true;
                setDeletedId(job.data.job_id);
                setDeleting(false);
                onClose();
              }}
              rights={rights}
            />
          </JobDeleting>
        )}
      </SheetContent>
    </Sheet>
  );
}
