'use client';

import { useState } from 'react';
import { LanguagesIcon, RotateCcwIcon, Trash2Icon } from 'lucide-react';
import { Button, ConfirmDialog } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job } from '../../../client/types';
import { ChangeLanguageDialog } from '../change-language-dialog';
import { RestartJobDialog } from './restart-job-dialog';
import { useDeleteJob } from './use-job-mutations';

/** A writer's buttons on one job (restart, change language, delete) and their dialogs. */
export function JobActions({ job, onDeleted }: { job: Job; onDeleted: () => void }) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<null | 'restart' | 'delete' | 'language'>(null);
  const remove = useDeleteJob(onDeleted);
  return (
    <>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="outline" onClick={() => setDialog('restart')} disabled={job.status === 'processing'}>
          <RotateCcwIcon aria-hidden="true" />
          {t.job.restart}
        </Button>
        <Button size="sm" variant="outline" onClick={() => setDialog('language')}>
          <LanguagesIcon aria-hidden="true" />
          {t.batch.changeLanguage}
        </Button>
        <Button size="sm" variant="outline" className="text-destructive" onClick={() => setDialog('delete')}>
          <Trash2Icon aria-hidden="true" />
          {t.job.delete}
        </Button>
      </div>

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
