'use client';

import { useState } from 'react';
import { Loader2Icon } from 'lucide-react';
import { LANGUAGES } from '@event-monitor/contracts';
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
} from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Job, LanguageCode } from '../../../client/types';
import { useRestartJob } from './use-job-mutations';

/** Restart one job, optionally bypassing the cache and with another target language. */
export function RestartJobDialog({
  job,
  open,
  onOpenChange,
}: {
  job: Job;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useI18n();
  const [bypassCache, setBypassCache] = useState(false);
  const [changeTarget, setChangeTarget] = useState(false);
  const [language, setLanguage] = useState<string>(job.parameters.target_language);
  const restart = useRestartJob(() => onOpenChange(false));
  return (
    <Dialog open={open} onOpenChange={(next) => !restart.isPending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{t.job.restartTitle}</DialogTitle>
          <DialogDescription>{t.job.restartDescription}</DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            restart.mutate({
              job_id: job.job_id,
              bypass_cache: bypassCache || undefined,
              target_language: changeTarget ? (language as LanguageCode) : undefined,
            });
          }}
        >
          <div className="flex items-center gap-2">
            <Checkbox id="restart-bypass" checked={bypassCache} onCheckedChange={(v) => setBypassCache(v === true)} />
            <Label htmlFor="restart-bypass" className="font-normal">
              {t.job.bypassCache}
            </Label>
          </div>
          <div className="flex items-center gap-2">
            <Checkbox id="restart-language" checked={changeTarget} onCheckedChange={(v) => setChangeTarget(v === true)} />
            <Label htmlFor="restart-language" className="font-normal">
              {t.job.changeTarget}
            </Label>
          </div>
          {changeTarget ? (
            <LanguageSelect
              value={language}
              onValueChange={setLanguage}
              languages={LANGUAGES}
              aria-label={t.changeLanguage.language}
            />
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" disabled={restart.isPending} onClick={() => onOpenChange(false)}>
              {t.common.cancel}
            </Button>
            <Button type="submit" disabled={restart.isPending}>
              {restart.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {t.job.restart}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
