'use client';

import { useRef, useState } from 'react';
import dynamic from 'next/dynamic';
import { useQueryClient } from '@tanstack/react-query';
import { ArchiveIcon, ArchiveRestoreIcon, BanIcon, LanguagesIcon, PencilIcon, RotateCcwIcon, Share2Icon, Trash2Icon } from 'lucide-react';
import {
  Button,
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
  Input,
  Label,
  Switch,
  toast,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import type { Batch } from '../../client/types';
import { LazyChangeLanguageDialog, LazyConfirmDialog } from '../lazy';
import { LazyBulkActionDialog } from './lazy-bulk-action-dialog';
import { ReasonField, reasonOf } from './reason-field';

// Loaded the first time an administrator opens it (not part of the dashboard's first load).
const ShareBatchDialog = dynamic(() => import('./share-batch-dialog').then((m) => m.ShareBatchDialog), { ssr: false });

export function ActiveSwitch({ batch }: { batch: Batch }) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const toggle = trpc.batch.toggleActive.useMutation({
    onSuccess: (result) => {
      toast.success(result.isActive ? t.batch.activated : t.batch.deactivated);
      void invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
  const id = `active-${batch.batch_id}`;
  return (
    <div className="flex items-center gap-2">
      <Switch
        id={id}
        checked={batch.isActive}
        disabled={toggle.isPending}
        onCheckedChange={(active) => toggle.mutate({ batch_id: batch.batch_id, active })}
        aria-label={batch.isActive ? t.batch.deactivate : t.batch.activate}
      />
      <Label htmlFor={id} className="text-muted-foreground text-sm font-normal">
        {batch.isActive ? t.batch.active : t.batch.inactive}
      </Label>
    </div>
  );
}

type Pending = null | 'restart-failed' | 'restart-all' | 'delete' | 'language' | 'fail-unfinished' | 'archive' | 'rename' | 'share';

/**
 * The write actions of a batch (restart, rename, archive/unarchive, change language, share, delete).
 * Only rendered for users who may write this batch (its `can`); Share and Delete only for those who may
 * administer it. The server refuses the others anyway.
 */
export function BatchWriteActions({
  batch,
  canAdmin,
  afterDelete,
}: {
  batch: Batch;
  canAdmin: boolean;
  afterDelete?: () => void;
}) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [dialog, setDialogState] = useState<Pending>(null);
  const [reason, setReason] = useState('');
  const [newName, setNewName] = useState('');
  const setDialog = (next: Pending) => {
    setReason('');
    setNewName(next === 'rename' ? batch.batch_name : '');
    setDialogState(next);
  };
  const onError = (error: unknown) => toast.error(errorMessage(error, t));
  const shareButton = useRef<HTMLButtonElement>(null);
  // The dialog unmounts on close and the batch refetches after a save: focus goes back to Share
  // once both settled, not to the top of the page.
  const closeShare = () => {
    setDialog(null);
    setTimeout(() => shareButton.current?.focus(), 50);
  };

  const restart = trpc.batch.restart.useMutation({
    onSuccess: (result) => {
      toast.success(t.batch.restarted(result.restarted));
      void invalidate();
    },
    onError,
  });
  const archive = trpc.batch.archive.useMutation({
    onSuccess: () => {
      toast.success(t.batch.archivedToast);
      void invalidate();
    },
    onError,
  });
  const unarchive = trpc.batch.unarchive.useMutation({
    onSuccess: () => {
      toast.success(t.batch.unarchivedToast);
      void invalidate();
    },
    onError,
  });
  const rename = trpc.batch.rename.useMutation({
    onSuccess: () => {
      toast.success(t.form.renamed);
      void invalidate();
    },
    onError,
  });
  const queryClient = useQueryClient();
  const remove = trpc.batch.delete.useMutation({
    // Leave the deleted batch's page first and drop its own queries, then refetch the rest:
    // invalidating first refetched the batch the open page still showed (a 404 in the console).
    onSuccess: (_data, { batch_id }) => {
      toast.success(t.batch.deleted);
      afterDelete?.();
      // tRPC's query keys ([path, {input, type}]), matched by prefix: the batch's own queries.
      for (const path of [['batch', 'get'], ['job', 'list'], ['audit', 'forBatch']]) {
        queryClient.removeQueries({ queryKey: [path, { input: { batch_id } }] });
      }
      void invalidate();
    },
    onError,
  });
  const name = batch.batch_name;

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" disabled={restart.isPending}>
            <RotateCcwIcon aria-hidden="true" className={restart.isPending ? 'animate-spin' : undefined} />
            {t.batch.restart}
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => setDialog('restart-failed')} disabled={batch.failed_jobs === 0}>
            {t.batch.restartFailed}
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setDialog('restart-all')}>{t.batch.restartAll}</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <Button variant="outline" size="sm" onClick={() => setDialog('rename')}>
        <PencilIcon aria-hidden="true" />
        {t.form.rename}
      </Button>
      <Button variant="outline" size="sm" onClick={() => setDialog('language')}>
        <LanguagesIcon aria-hidden="true" />
        {t.batch.changeLanguage}
      </Button>
      {batch.archived ? (
        <Button
          variant="outline"
          size="sm"
          disabled={unarchive.isPending}
          onClick={() => unarchive.mutate({ batch_id: batch.batch_id })}
        >
          <ArchiveRestoreIcon aria-hidden="true" />
          {t.batch.unarchive}
        </Button>
      ) : (
        <Button
          variant="outline"
          size="sm"
          disabled={archive.isPending}
          onClick={() => setDialog('archive')}
        >
          <ArchiveIcon aria-hidden="true" />
          {t.batch.archive}
        </Button>
      )}
      <Button
        variant="outline"
        size="sm"
        className="text-destructive"
        disabled={batch.pending_jobs + batch.processing_jobs === 0}
        onClick={() => setDialog('fail-unfinished')}
      >
        <BanIcon aria-hidden="true" />
        {t.bulk.failUnfinished}
      </Button>
      {canAdmin ? (
        <Button ref={shareButton} variant="outline" size="sm" onClick={() => setDialog('share')}>
          <Share2Icon aria-hidden="true" />
          {t.share.open}
        </Button>
      ) : null}
      {dialog === 'share' ? <ShareBatchDialog batch={batch} open onOpenChange={(open) => !open && closeShare()} /> : null}
      {canAdmin ? (
        <Button variant="outline" size="sm" className="text-destructive" onClick={() => setDialog('delete')}>
          <Trash2Icon aria-hidden="true" />
          {t.batch.delete}
        </Button>
      ) : null}
      {dialog === 'fail-unfinished' ? (
        <LazyBulkActionDialog
          action="fail"
          selection={{ batch_ids: [batch.batch_id] }}
          open
          onOpenChange={(open) => !open && setDialog(null)}
        />
      ) : null}

      <LazyConfirmDialog
        open={dialog === 'restart-failed' || dialog === 'restart-all'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.batch.restartTitle(name)}
        description={
          dialog === 'restart-all'
            ? t.batch.restartAllCount(batch.completed_jobs + batch.failed_jobs)
            : t.batch.restartFailedCount(batch.failed_jobs)
        }
        confirmLabel={t.batch.restart}
        cancelLabel={t.common.cancel}
        onConfirm={() =>
          restart.mutateAsync({
            batch_id: batch.batch_id,
            scope: dialog === 'restart-all' ? 'all' : 'failed',
            reason: reasonOf(reason),
          })
        }
      >
        <ReasonField id={`restart-reason-${batch.batch_id}`} value={reason} onChange={setReason} />
      </LazyConfirmDialog>
      <LazyConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.batch.deleteTitle(name)}
        description={t.batch.deleteCount(batch.total_jobs)}
        confirmLabel={t.batch.delete}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={() => remove.mutateAsync({ batch_id: batch.batch_id, reason: reasonOf(reason) })}
      >
        <ReasonField id={`delete-reason-${batch.batch_id}`} value={reason} onChange={setReason} />
      </LazyConfirmDialog>
      <LazyConfirmDialog
        open={dialog === 'archive'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.form.archiveTitle(name)}
        description={t.form.archiveDescription(batch.total_jobs)}
        confirmLabel={t.batch.archive}
        cancelLabel={t.common.cancel}
        onConfirm={() => archive.mutateAsync({ batch_id: batch.batch_id })}
      />
      <LazyConfirmDialog
        open={dialog === 'rename'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.form.renameTitle(name)}
        confirmLabel={t.form.save}
        cancelLabel={t.common.cancel}
        confirmDisabled={newName.trim() === '' || newName.trim() === name}
        onConfirm={() => rename.mutateAsync({ batch_id: batch.batch_id, batch_name: newName })}
      >
        <div className="flex flex-col gap-2">
          <Label htmlFor={`rename-${batch.batch_id}`}>{t.form.renameLabel}</Label>
          <Input
            id={`rename-${batch.batch_id}`}
            value={newName}
            maxLength={200}
            onChange={(event) => setNewName(event.target.value)}
          />
        </div>
      </LazyConfirmDialog>
      <LazyChangeLanguageDialog
        open={dialog === 'language'}
        onOpenChange={(open) => !open && setDialog(null)}
        target={{ kind: 'batch', batchId: batch.batch_id }}
      />
    </>
  );
}
