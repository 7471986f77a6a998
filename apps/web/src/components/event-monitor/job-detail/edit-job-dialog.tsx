'use client';

import { useState } from 'react';
import { ConfirmDialog, Input, Label, toast } from '@event-monitor/ui';
import { errorMessage, fieldErrorsOf } from '../../../client/errors';
import { useInvalidateAll } from '../../../client/hooks/use-invalidate-all';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { trpc } from '../../../client/trpc';
import type { Job } from '../../../client/types';

const TEXT = ['event', 'session', 'url', 'track', 'day', 'starttime', 'endtime'] as const;
type Text = (typeof TEXT)[number];

/** Edits a pending or failed job: name, priority, attempts and the main parameters (the rest kept). */
export function EditJobDialog({ job, open, onOpenChange }: { job: Job; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [name, setName] = useState(job.job_name);
  const [priority, setPriority] = useState(String(job.priority));
  const [maxAttempts, setMaxAttempts] = useState(String(job.max_attempts));
  const [texts, setTexts] = useState<Record<Text, string>>(
    () => Object.fromEntries(TEXT.map((key) => [key, job.parameters[key] ?? ''])) as Record<Text, string>,
  );
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const update = trpc.job.update.useMutation({
    onSuccess: () => {
      toast.success(t.form.jobUpdated);
      void invalidate();
    },
    onError: (error) => {
      setProblems(fieldErrorsOf(error));
      toast.error(errorMessage(error, t));
    },
  });

  const save = () => {
    const { speakers, source_language, target_language, use_cache, filename, video_url, attachments_url } = job.parameters;
    const text = (key: Text) => texts[key].trim() || undefined;
    return update.mutateAsync({
      job_id: job.job_id,
      job_name: name.trim(),
      priority: Number(priority),
      max_attempts: Number(maxAttempts),
      parameters: {
        speakers,
        source_language: source_language as 'en',
        target_language: target_language as 'de',
        use_cache,
        filename,
        video_url,
        attachments_url,
        event: text('event'),
        session: text('session'),
        url: text('url'),
        track: text('track'),
        day: text('day'),
        starttime: text('starttime'),
        endtime: text('endtime'),
      },
    });
  };

  const field = (id: string, label: string, value: string, onChange: (value: string) => void, problemKey: string, type = 'text') => (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={`edit-${id}-${job.job_id}`}>{label}</Label>
      <Input
        id={`edit-${id}-${job.job_id}`}
        type={type}
        value={value}
        aria-invalid={problems[problemKey] ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {problems[problemKey] ? <p className="text-destructive text-xs">{problems[problemKey]?.join(' ')}</p> : null}
    </div>
  );

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={t.form.editJobTitle}
      description={t.form.editJobDescription}
      confirmLabel={t.form.save}
      cancelLabel={t.common.cancel}
      onConfirm={save}
      className="max-h-[90vh] overflow-y-auto sm:max-w-2xl"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {field('name', t.form.jobName, name, setName, 'job_name')}
        {field('priority', t.form.priority, priority, setPriority, 'priority', 'number')}
        {field('max-attempts', t.form.maxAttempts, maxAttempts, setMaxAttempts, 'max_attempts', 'number')}
        {TEXT.map((key) => (
          <div key={key}>
            {field(key, t.job.param[key], texts[key], (value) => setTexts((prev) => ({ ...prev, [key]: value })), `parameters.${key}`, key === 'url' ? 'url' : 'text')}
          </div>
        ))}
      </div>
    </ConfirmDialog>
  );
}
