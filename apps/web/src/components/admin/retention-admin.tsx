'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { ArchiveIcon, PlayIcon, Trash2Icon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  ConfirmDialog,
  Skeleton,
  toast,
} from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { OptionalNumberField, optionalNumberOf } from '../optional-number-field';
import { AdminPageHeader } from './admin-nav';

type Preview = RouterOutputs['retention']['preview'];

/** How many batch names the preview lists per action. */
const SHOWN = 10;

const textOf = (days: number | undefined) => (days === undefined ? '' : String(days));

/** The installation's days for archiving and deleting; empty turns an action off (keyed by the stored days, so a change elsewhere resets the fields). */
function PolicyForm({ policy }: { policy: Preview['policy'] }) {
  const { t, formatDateTime } = useI18n();
  const utils = trpc.useUtils();
  const [archiveDays, setArchiveDays] = useState(textOf(policy.archive_finished_after_days));
  const [deleteDays, setDeleteDays] = useState(textOf(policy.delete_archived_after_days));
  const save = trpc.retention.setPolicy.useMutation({
    onSuccess: () => {
      toast.success(t.retention.saved);
      void utils.retention.preview.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ archive_finished_after_days: optionalNumberOf(archiveDays), delete_archived_after_days: optionalNumberOf(deleteDays) });
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t.retention.policy}</CardTitle>
        <CardDescription>{t.retention.policyHint}</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4 sm:grid-cols-3" onSubmit={submit} aria-label={t.retention.policy}>
          <OptionalNumberField id="retention-archive" label={t.retention.archiveAfter} placeholder={t.retention.off} value={archiveDays} onChange={setArchiveDays} />
          <OptionalNumberField id="retention-delete" label={t.retention.deleteAfter} placeholder={t.retention.off} value={deleteDays} onChange={setDeleteDays} />
          <div className="flex items-end">
            <Button type="submit" disabled={save.isPending}>
              {t.retention.save}
            </Button>
          </div>
        </form>
        <p className="text-muted-foreground mt-3 text-sm" data-testid="retention-last-run">
          {policy.last_auto_run_at ? t.retention.lastAutoRun(formatDateTime(policy.last_auto_run_at)) : t.retention.neverAutoRun}
        </p>
      </CardContent>
    </Card>
  );
}

function ActionList({ title, icon, action, testId }: { title: string; icon: ReactNode; action: Preview['archive']; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-2" data-testid={testId}>
      <h3 className="flex items-center gap-2 font-medium">
        {icon}
        {title}: <span className="tabular-nums">{action.count}</span>
      </h3>
      {action.batches.length === 0 ? (
        <p className="text-muted-foreground text-sm">{t.retention.nothing}</p>
      ) : (
        <ul className="list-disc pl-5 text-sm">
          {action.batches.map((batch) => (
            <li key={batch.batch_id}>
              {batch.batch_name} <span className="text-muted-foreground font-mono text-xs">{batch.batch_id}</span>
            </li>
          ))}
          {action.count > action.batches.length ? (
            <li className="text-muted-foreground list-none">{t.retention.more(action.count - action.batches.length)}</li>
          ) : null}
        </ul>
      )}
    </div>
  );
}

/** /admin/retention: the retention policy, what its next run would do, and a run now. Admins only. */
export function RetentionAdmin() {
  const { t } = useI18n();
  const utils = trpc.useUtils();
  const preview = trpc.retention.preview.useQuery({ limit: SHOWN });
  const [confirming, setConfirming] = useState(false);
  const run = trpc.retention.run.useMutation({
    onSuccess: (result) => {
      toast.success(t.retention.ran(result.archive.count, result.delete.count));
      void utils.retention.preview.invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });

  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title={t.retention.title} description={t.retention.description} />
      {preview.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : preview.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{errorMessage(preview.error, t)}</AlertDescription>
        </Alert>
      ) : (
        <>
          <PolicyForm
            key={`${preview.data.policy.archive_finished_after_days ?? ''}/${preview.data.policy.delete_archived_after_days ?? ''}`}
            policy={preview.data.policy}
          />
          <Card>
            <CardHeader>
              <CardTitle>{t.retention.preview}</CardTitle>
              <CardDescription>{t.retention.previewHint}</CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-4">
              <div className="grid gap-4 sm:grid-cols-2">
                <ActionList title={t.retention.willArchive} icon={<ArchiveIcon aria-hidden="true" className="size-4" />} action={preview.data.archive} testId="retention-archive" />
                <ActionList title={t.retention.willDelete} icon={<Trash2Icon aria-hidden="true" className="size-4" />} action={preview.data.delete} testId="retention-delete" />
              </div>
              {preview.data.held > 0 ? <p className="text-muted-foreground text-sm">{t.retention.held(preview.data.held)}</p> : null}
              <div>
                <Button
                  onClick={() => setConfirming(true)}
                  disabled={run.isPending || (preview.data.archive.count === 0 && preview.data.delete.count === 0)}
                >
                  <PlayIcon aria-hidden="true" />
                  {t.retention.runNow}
                </Button>
              </div>
            </CardContent>
          </Card>
          <ConfirmDialog
            open={confirming}
            onOpenChange={setConfirming}
            title={t.retention.runTitle}
            description={t.retention.runDescription(preview.data.archive.count, preview.data.delete.count)}
            confirmLabel={t.retention.runNow}
            cancelLabel={t.common.cancel}
            destructive={preview.data.delete.count > 0}
            onConfirm={() => run.mutateAsync({ limit: SHOWN })}
          />
        </>
      )}
    </div>
  );
}
