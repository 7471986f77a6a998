'use client';

import { useState } from 'react';
import { BanIcon, LanguagesIcon, PencilIcon, RotateCcwIcon, Trash2Icon } from 'lucide-react';
import { Button, ConfirmDialog } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';
import { ChangeLanguageDialog } from '../change-language-dialog';
import { ReasonField, reasonOf } from '../reason-field';
import { EditJobDialog } from './edit-job-dialog';
import { RestartJobDialog } from './restart-job-dialog';
import { useCancelJob, useDeleteJob } from './use-job-mutations';

/** A writer's buttons on one job (edit, restart, cancel, change language; delete for administrators) and their dialogs. */
export function JobActions({ job, onDeleted, canAdmin = true }: { job: Job; onDeleted: () => void; canAdmin?: boolean }) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<null | 'restart' | 'cancel' | 'delete' | 'language' | 'edit'>(null);
  const editable = job.status === 'pending' || job.status === 'failed';
  const [reason, setReason] = useState('');
  const remove = useDeleteJob(onDeleted);
  const cancel = useCancelJob();
  const unfinished = job.status === 'pending' || job.status === 'processing';
  return (
    <>
      <div className="flex flex-wrap gap-2">
        {editable ? (
          <Button size="sm" variant="outline" onClick={() => setDialog('edit')}>
            <PencilIcon aria-hidden="true" />
            {t.form.editJob}
          </Button>
        ) : null}
        <Button size="sm" variant="outline" onClick={() => setDialog('restart')} disabled={job.status === 'processing'}>
          <RotateCcwIcon aria-hidden="true" />
          {t.job.restart}
        </Button>
        {unfinished ? (
          <Button size="sm" variant="outline" className="text-destructive" onClick={() => setDialog('cancel')}>
            <BanIcon aria-hidden="true" />
            {t.job.cancel}
          </Button>
        ) : null}
        <Button size="sm" variant="outline" onClick={() => setDialog('language')}>
          <LanguagesIcon aria-hidden="true" />
          {t.batch.changeLanguage}
        </Button>
        {canAdmin ? (
          <Button size="sm" variant="outline" className="text-destructive" onClick={() => setDialog('delete')}>
            <Trash2Icon aria-hidden="true" />
            {t.job.delete}
          </Button>
        ) : null}
      </div>

      {dialog === 'edit' ? <EditJobDialog job={job} open onOpenChange={(open) => !open && setDialog(null)} /> : null}

      {dialog === 'restart' ? (
        <RestartJobDialog job={job} open onOpenChange={(open) => !open && setDialog(null)} />
      ) : null}
      {dialog === 'language' ? (
        <ChangeLanguageDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          target={{ kind: 'jobs', jobIds: [job.job_id], current: job.parameters.target_language }}
        />
      ) : null}
      <ConfirmDialog
        open={dialog === 'cancel'}
        onOpenChange={(open) => {
          if (!open) setReason('');
          if (!open) setDialog(null);
        }}
        title={t.job.cancelTitle}
        description={t.job.cancelDescription}
        confirmLabel={t.job.cancel}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={() => cancel.mutateAsync({ job_id: job.job_id, reason: reasonOf(reason) })}
      >
        <ReasonField id={`cancel-reason-${job.job_id}`} value={reason} onChange={setReason} />
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.job.deleteTitle}
        description={t.job.deleteDescription}
        confirmLabel={t.common.delete}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={() => remove.mutateAsync({ job_id: job.job_id })}
      />
    </>
  );
}
