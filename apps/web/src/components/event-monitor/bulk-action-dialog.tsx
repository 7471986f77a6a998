'use client';

import { useState } from 'react';
import type { z } from 'zod';
import type { BulkSelection } from '@event-monitor/contracts';
import { Input, Label, Progress, toast } from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { LazyConfirmDialog } from '../lazy';
import { ReasonField } from './reason-field';

/** The bulk actions this dialog runs (language and priority have their own forms or the CLI). */
export type DialogBulkAction = 'restart' | 'fail' | 'cancel' | 'delete';
export type BulkSelectionInput = z.input<typeof BulkSelection>;

export interface BulkActionDialogProps {
  action: DialogBulkAction;
  selection: BulkSelectionInput;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone?: () => void;
  /** Instead of the action's own title. */
  title?: string;
}

const SHOWN_BATCHES = 8;
const PROGRESS_POLL_MS = 500;

/** A v4 UUID; crypto.randomUUID exists only on secure origins (https, localhost), getRandomValues everywhere. */
function newRunId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One bulk action over a selection (ids or a filter), server-side: the preview counts the jobs and
 * lists the batches and owners, the reason is required, and beyond one batch the user types the
 * preview's phrase. One request, one audit event.
 */
export function BulkActionDialog({ action, selection, open, onOpenChange, onDone, title }: BulkActionDialogProps) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState('');
  const preview = trpc.job.bulkPreview.useQuery({ ...selection, action }, { enabled: open, staleTime: 0 });
  const mutations = {
    restart: trpc.job.bulkRestart.useMutation(),
    fail: trpc.job.bulkFail.useMutation(),
    cancel: trpc.job.bulkCancel.useMutation(),
    delete: trpc.job.bulkDelete.useMutation(),
  };
  // The run's id: while the one request runs, its progress is polled by this id (large selections).
  const [runId, setRunId] = useState<string | null>(null);
  const progress = trpc.job.bulkProgress.useQuery(
    { run_id: runId ?? '' },
    { enabled: runId !== null, refetchInterval: PROGRESS_POLL_MS, staleTime: 0, gcTime: 0 },
  );
  // Shown while the request is out: running, or finished with the answer still on its way.
  const running =
    runId !== null && (progress.data?.state === 'running' || progress.data?.state === 'finished') && progress.data.matched > 0
      ? progress.data
      : null;
  const data = preview.data;
  const ready =
    !!data && data.jobs > 0 && reason.trim() !== '' && (!data.confirm_required || confirm.trim() === data.confirm_phrase);

  const close = (next: boolean) => {
    if (!next) {
      setReason('');
      setConfirm('');
    }
    onOpenChange(next);
  };

  const run = async () => {
    const id = newRunId();
    setRunId(id);
    try {
      const result = await mutations[action].mutateAsync({
        ...selection,
        reason: reason.trim(),
        ...(data?.confirm_required ? { confirm: confirm.trim() } : {}),
        run_id: id,
      });
      toast.success(t.bulk.done(result.changed, result.skipped));
      setReason('');
      setConfirm('');
      onDone?.();
      void invalidate();
    } catch (error) {
      toast.error(errorMessage(error, t));
      void preview.refetch();
      throw error;
    } finally {
      setRunId(null);
    }
  };

  return (
    <LazyConfirmDialog
      open={open}
      onOpenChange={close}
      title={title ?? t.bulk.titles[action]}
      description={!data ? t.bulk.counting : data.jobs === 0 ? t.bulk.nothing : t.bulk.summary(data.jobs, data.batches)}
      confirmLabel={t.bulk[action]}
      cancelLabel={t.common.cancel}
      destructive={action !== 'restart'}
      pending={preview.isFetching}
      confirmDisabled={!ready}
      onConfirm={run}
    >
      {data && data.jobs > 0 ? (
        <div className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t.bulk.affected}</span>
          <ul aria-label={t.bulk.affected} className="text-muted-foreground max-h-40 overflow-auto">
            {data.affected.slice(0, SHOWN_BATCHES).map((batch) => (
              <li key={batch.batch_id ?? ''}>
                {batch.batch_name ?? batch.batch_id ?? t.bulk.unnamed} · {batch.owner ?? '—'} · {batch.jobs}
              </li>
            ))}
            {data.batches > SHOWN_BATCHES ? <li>{t.bulk.more(data.batches - SHOWN_BATCHES)}</li> : null}
          </ul>
        </div>
      ) : null}
      {running ? (
        <div className="flex flex-col gap-1.5 text-sm" role="status">
          <Progress value={Math.round((100 * running.done) / running.matched)} aria-label={t.bulk.progress(running.done, running.matched)} />
          <span className="text-muted-foreground">{t.bulk.progress(running.done, running.matched)}</span>
        </div>
      ) : null}
      <ReasonField id={`bulk-${action}-reason`} label={t.bulk.reason} value={reason} onChange={setReason} />
      {data?.confirm_required ? (
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`bulk-${action}-confirm`}>{t.bulk.typeToConfirm(data.confirm_phrase)}</Label>
          <Input
            id={`bulk-${action}-confirm`}
            value={confirm}
            autoComplete="off"
            onChange={(event) => setConfirm(event.target.value)}
          />
        </div>
      ) : null}
    </LazyConfirmDialog>
  );
}
