'use client';

import { useState } from 'react';
import { Loader2Icon, XIcon } from 'lucide-react';
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Input,
  Label,
  toast,
} from '@event-monitor/ui';
import { errorMessage, fieldErrorsOf } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import type { Batch } from '../../client/types';
import { useScheduleText } from './schedule-text';

export interface ScheduleDialogProps {
  batch: Batch;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

type Field = 'not_before' | 'deadline';
const FIELDS: readonly Field[] = ['not_before', 'deadline'];

/** A stored instant as a datetime-local value in the browser's time zone ('' for none). */
export function localInputOf(value: Date | string | undefined): string {
  if (value === undefined) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The browser's time zone with its offset now, e.g. "Europe/Berlin (UTC+01:00)". */
function timeZoneLabel(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const minutes = -new Date().getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${zone} (UTC${minutes < 0 ? '−' : '+'}${pad(minutes / 60)}:${pad(minutes % 60)})`;
}

/**
 * Sets or clears a batch's start time and deadline (`batch.rename`, which takes both). Only the
 * fields changed in the dialog are sent: an unchanged deadline that has passed may stay, while a
 * deadline set anew must lie in the future and after the start time; the server's refusal is shown
 * under the field it names.
 */
export function ScheduleDialog({ batch, open, onOpenChange }: ScheduleDialogProps) {
  const { t } = useI18n();
  const text = useScheduleText();
  const invalidate = useInvalidateAll();
  const initial: Record<Field, string> = { not_before: localInputOf(batch.not_before), deadline: localInputOf(batch.deadline) };
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  // The dialog stays mounted between opens (mountWhenOpened): each open starts from the stored values.
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setValues(initial);
      setProblems({});
    }
  }
  const update = trpc.batch.rename.useMutation({
    onSuccess: () => {
      toast.success(text.saved);
      onOpenChange(false);
      void invalidate();
    },
    onError: (error) => {
      const fields = fieldErrorsOf(error);
      setProblems(fields);
      toast.error(text.refused, { description: FIELDS.some((f) => fields[f]) ? undefined : errorMessage(error, t) });
    },
  });
  const changed = FIELDS.filter((field) => values[field] !== initial[field]);

  const submit = () => {
    if (changed.length === 0 || update.isPending) return;
    setProblems({});
    const input: { batch_id: string; not_before?: string | null; deadline?: string | null } = { batch_id: batch.batch_id };
    for (const field of changed) {
      const value = values[field];
      // datetime-local is the browser's local time without an offset: sent as the instant it means.
      input[field] = value === '' ? null : new Date(value).toISOString();
    }
    update.mutate(input);
  };

  const problemText = (message: string) =>
    message === 'Must lie in the future'
      ? text.deadlineInPast
      : message === 'Must be after not_before'
        ? text.deadlineBeforeStart
        : message.startsWith('Must be a date between')
          ? text.invalidDate
          : message;
  const label: Record<Field, string> = { not_before: text.notBefore, deadline: text.deadline };

  return (
    <Dialog open={open} onOpenChange={(next) => !update.isPending && onOpenChange(next)}>
      <DialogContent closeLabel={t.common.close}>
        <DialogHeader>
          <DialogTitle>{text.title(batch.batch_name)}</DialogTitle>
          <DialogDescription>{text.description}</DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <p className="text-muted-foreground text-sm" data-testid="schedule-time-zone">
            {text.timeZone(timeZoneLabel())}
          </p>
          {FIELDS.map((field) => {
            const id = `schedule-${field}-${batch.batch_id}`;
            const problem = problems[field];
            return (
              <div key={field} className="flex flex-col gap-1.5">
                <Label htmlFor={id}>{label[field]}</Label>
                <div className="flex items-center gap-2">
                  <Input
                    id={id}
                    type="datetime-local"
                    value={values[field]}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={problem ? `${id}-error` : `${id}-hint`}
                    onChange={(event) => {
                      const next = event.target.value;
                      setValues((prev) => ({ ...prev, [field]: next }));
                    }}
                  />
                  <Button
                    type="button"
                    variant="outline"
                    size="sm"
                    disabled={values[field] === ''}
                    aria-label={text.clearField(label[field])}
                    onClick={() => setValues((prev) => ({ ...prev, [field]: '' }))}
                  >
                    <XIcon aria-hidden="true" />
                    {text.clear}
                  </Button>
                </div>
                {problem ? (
                  <p id={`${id}-error`} className="text-destructive text-sm" role="alert">
                    {problem.map(problemText).join(' ')}
                  </p>
                ) : values[field] === '' ? (
                  <p id={`${id}-hint`} className="text-muted-foreground text-xs">
                    {text.notSet}
                  </p>
                ) : null}
              </div>
            );
          })}
          <DialogFooter>
            <Button type="button" variant="outline" disabled={update.isPending} onClick={() => onOpenChange(false)}>
              {t.common.cancel}
            </Button>
            <Button type="submit" disabled={update.isPending || changed.length === 0}>
              {update.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
              {text.save}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
