'use client';

import { useState } from 'react';
import { Loader2Icon } from 'lucide-react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Label,
  LanguageSelect,
  toast,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useI18n } from '../../client/i18n/i18n-provider';
import { LANGUAGES } from '@event-monitor/contracts';
import { trpc } from '../../client/trpc';
import type { LanguageCode } from '../../client/types';

export type LanguageTarget =
  | { kind: 'all' }
  | { kind: 'batch'; batchId: string }
  | { kind: 'jobs'; jobIds: string[]; current?: string };

export interface ChangeLanguageDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  target: LanguageTarget;
  onDone?: () => void;
}

/** Changes the target language of one job, a selection of jobs, a whole batch or all current batches. */
export function ChangeLanguageDialog({ open, onOpenChange, target, onDone }: ChangeLanguageDialogProps) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [language, setLanguage] = useState<string | undefined>(
    target.kind === 'jobs' ? target.current : undefined,
  );
  const [reset, setReset] = useState(false);
  const [pending, setPending] = useState(false);
  const batchMutation = trpc.batch.changeLanguage.useMutation();
  const jobMutation = trpc.job.changeLanguage.useMutation();

  const submit = async () => {
    if (!language) return;
    setPending(true);
    try {
      let updated = 0;
      if (target.kind === 'batch' || target.kind === 'all') {
        const result = await batchMutation.mutateAsync({
          target: target.kind === 'all' ? { all_current: true } : { batch_id: target.batchId },
          target_language: language as LanguageCode,
          reset_to_pending: reset,
        });
        updated = result.updated;
      } else {
        for (const jobId of target.jobIds) {
          const result = await jobMutation.mutateAsync({
            job_id: jobId,
            target_language: language as LanguageCode,
            reset_to_pending: reset,
          });
          updated += result.updated;
        }
      }
      toast.success(t.changeLanguage.done(updated));
      onOpenChange(false);
      onDone?.();
    } catch (error) {
      toast.error(errorMessage(error, t));
    } finally {
      setPending(false);
      void invalidate();
    }
  };

  const description =
    target.kind === 'all'
      ? t.changeLanguage.descriptionAll
      : target.kind === 'batch'
        ? t.changeLanguage.descriptionBatch
        : target.jobIds.length === 1
          ? t.changeLanguage.descriptionJob
          : t.changeLanguage.descriptionSelection(target.jobIds.length);

  return (
    <Dialog open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{t.changeLanguage.title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <div className="flex flex-col gap-2">
            <Label htmlFor="change-language-select">{t.changeLanguage.language}</Label>
            <LanguageSelect
              id="change-language-select"
              value={language}
              onValueChange={setLanguage}
              languages={LANGUAGES}
              aria-label={t.changeLanguage.language}
              placeholder={t.changeLanguage.language}
            />
          </div>
          <div className="flex items-start gap-2">
            <Checkbox
              id="change-language-reset"
              checked={reset}
              onCheckedChange={(v) => setReset(v === true)}
            />
            <div className="grid gap-1">
              <Label htmlFor="change-language-reset" className="font-normal">
                {t.changeLanguage.reset}
              </Label>
              <p className="text-muted-foreground text-xs">{t.changeLanguage.resetHint}</p>
            </div>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" disabled={pending} onClick={() => onOpenChange(false)}>
              {t.common.cancel}
            </Button>
            <Button type="submit" disabled={pending || !language}>
              {pending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {t.changeLanguage.submit}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
