'use client';

import { useId, useState, type FormEvent } from 'react';
import { Loader2Icon } from 'lucide-react';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '@event-monitor/contracts';
import { Button, Checkbox, Input, Label, toast } from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import { errorMessage, fieldErrorsOf } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useSessionUser } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { useNotificationsText } from './notifications-text';

export type CreatedSubscription = RouterOutputs['notify']['create'];
export type Subscription = RouterOutputs['notify']['list']['subscriptions'][number];

function FieldError({ id, messages }: { id: string; messages: string[] | undefined }) {
  return messages ? (
    <p id={id} className="text-destructive text-xs">
      {messages.join(' ')}
    </p>
  ) : null;
}

/** What the form does: create a subscription, or change `subscription` (channel and batch stay). */
type FormMode =
  | { subscription?: undefined; onCreated: (created: CreatedSubscription) => void; onSaved?: undefined }
  | { subscription: Subscription; onSaved: (updated: Subscription) => void; onCreated?: undefined };

/** The fields of an edit that differ from the subscription (notify.update keeps the others). */
function changedFields(
  subscription: Subscription,
  next: { name: string; url?: string; events: NotificationEvent[]; failure_rate_percent?: number; worker_silence_minutes?: number },
) {
  const sameEvents =
    next.events.length === subscription.events.length && next.events.every((event) => subscription.events.includes(event));
  return {
    ...(next.name !== subscription.name ? { name: next.name } : {}),
    ...(next.url !== undefined && next.url !== subscription.url ? { url: next.url } : {}),
    ...(sameEvents ? {} : { events: next.events }),
    ...(next.failure_rate_percent !== undefined && next.failure_rate_percent !== subscription.failure_rate_percent
      ? { failure_rate_percent: next.failure_rate_percent }
      : {}),
    ...(next.worker_silence_minutes !== undefined && next.worker_silence_minutes !== subscription.worker_silence_minutes
      ? { worker_silence_minutes: next.worker_silence_minutes }
      : {}),
  };
}

/**
 * A new subscription: name, channel (e-mail only when the server can send it), url, events with
 * their thresholds (shown only when their event is checked) and an optional batch. With `batchId`
 * the batch is fixed (the batch page's dialog). The answer (with the secret) goes to `onCreated`
 * and nowhere else: the mutation is dropped from the cache as soon as nobody observes it.
 * With `subscription` the same form edits it: prefilled, channel and batch fixed, and only the
 * changed fields sent (`onSaved` gets the answer; nothing changed: `onSaved` without a request).
 */
export function SubscriptionForm({
  emailAvailable = false,
  batchId,
  submitLabel,
  onCancel,
  ...mode
}: {
  emailAvailable?: boolean;
  batchId?: string;
  submitLabel?: string;
  onCancel?: () => void;
} & FormMode) {
  const { t } = useI18n();
  const text = useNotificationsText();
  const user = useSessionUser();
  const id = useId();
  const utils = trpc.useUtils();
  const editing = mode.subscription;
  const [channel, setChannel] = useState<'webhook' | 'email'>(editing?.channel ?? 'webhook');
  const [events, setEvents] = useState<NotificationEvent[]>(editing?.events ?? ['batch.finished', 'job.failed']);
  const [problems, setProblems] = useState<Record<string, string[]>>({});
  const create = trpc.notify.create.useMutation({
    gcTime: 0,
    onSuccess: (created) => {
      // Detach before the answer lands in the hook's state: the secret lives only in onCreated's
      // dialog (with gcTime 0 the unobserved mutation leaves the cache at once).
      create.reset();
      setProblems({});
      toast.success(text.created);
      void utils.notify.list.invalidate();
      mode.onCreated?.(created);
    },
    onError: (error) => {
      setProblems(fieldErrorsOf(error));
      toast.error(errorMessage(error, t));
    },
  });
  const update = trpc.notify.update.useMutation({
    onSuccess: (updated) => {
      setProblems({});
      toast.success(text.saved);
      void utils.notify.list.invalidate();
      mode.onSaved?.(updated);
    },
    onError: (error) => {
      setProblems(fieldErrorsOf(error));
      toast.error(errorMessage(error, t));
    },
  });
  const pending = create.isPending || update.isPending;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    const number = (name: string) => (field(name) ? Number(field(name)) : undefined);
    if (editing) {
      const changes = changedFields(editing, {
        name: field('name'),
        ...(channel === 'webhook' ? { url: field('url') } : {}),
        events,
        ...(events.includes('batch.failure_rate') ? { failure_rate_percent: number('failure_rate_percent') } : {}),
        ...(events.includes('workers.missing') ? { worker_silence_minutes: number('worker_silence_minutes') } : {}),
      });
      if (Object.keys(changes).length === 0) mode.onSaved?.(editing);
      else update.mutate({ subscription_id: editing.subscription_id, ...changes });
      return;
    }
    const batch = batchId ?? field('batch_id');
    create.mutate({
      name: field('name'),
      channel,
      ...(channel === 'webhook' ? { url: field('url') } : {}),
      events,
      ...(batch ? { batch_id: batch } : {}),
      ...(events.includes('batch.failure_rate') ? { failure_rate_percent: number('failure_rate_percent') } : {}),
      ...(events.includes('workers.missing') ? { worker_silence_minutes: number('worker_silence_minutes') } : {}),
    });
  };
  const described = (field: string, hint?: boolean) =>
    [hint ? `${id}-${field}-hint` : '', problems[field] ? `${id}-${field}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={submit}
      aria-label={submitLabel ?? (editing ? text.editTitle(editing.name) : text.newSubscription)}
    >
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-name`}>{text.name}</Label>
        <Input
          id={`${id}-name`}
          name="name"
          defaultValue={editing?.name}
          required
          maxLength={100}
          aria-invalid={problems['name'] ? true : undefined}
          aria-describedby={described('name')}
        />
        <FieldError id={`${id}-name-error`} messages={problems['name']} />
      </div>
      {emailAvailable && !editing ? (
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1 text-sm font-medium">{text.channel}</legend>
          {(['webhook', 'email'] as const).map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name="channel" value={value} checked={channel === value} onChange={() => setChannel(value)} />
              {text.channels[value]}
            </label>
          ))}
        </fieldset>
      ) : null}
      {channel === 'webhook' ? (
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-url`}>{text.url}</Label>
          <Input
            id={`${id}-url`}
            name="url"
            type="url"
            defaultValue={editing?.url}
            required
            placeholder="https://"
            aria-invalid={problems['url'] ? true : undefined}
            aria-describedby={described('url', true)}
          />
          <p id={`${id}-url-hint`} className="text-muted-foreground text-xs">
            {text.urlHint}
          </p>
          <FieldError id={`${id}-url-error`} messages={problems['url']} />
        </div>
      ) : (
        <p className="text-muted-foreground text-sm">{user.email ? text.emailTo(user.email) : text.emailToOwn}</p>
      )}
      <fieldset className="flex flex-col gap-2" aria-invalid={problems['events'] ? true : undefined}>
        <legend className="mb-1 text-sm font-medium">{text.eventsLegend}</legend>
        {NOTIFICATION_EVENTS.map((value) => (
          <div key={value} className="flex flex-col gap-2">
            <div className="flex items-start gap-2">
              <Checkbox
                id={`${id}-event-${value}`}
                className="mt-0.5"
                checked={events.includes(value)}
                onCheckedChange={(checked) =>
                  setEvents((current) => (checked === true ? [...current, value] : current.filter((other) => other !== value)))
                }
              />
              <Label htmlFor={`${id}-event-${value}`} className="leading-snug font-normal">
                {text.event[value]}
              </Label>
            </div>
            {value === 'batch.failure_rate' && events.includes(value) ? (
              <div className="ml-6 flex flex-col gap-1.5">
                <Label htmlFor={`${id}-rate`}>{text.failureRate}</Label>
                <Input
                  id={`${id}-rate`}
                  name="failure_rate_percent"
                  type="number"
                  min={1}
                  max={100}
                  defaultValue={editing?.failure_rate_percent ?? 20}
                  required
                  className="w-28"
                  aria-invalid={problems['failure_rate_percent'] ? true : undefined}
                  aria-describedby={described('failure_rate_percent', true)}
                />
                <p id={`${id}-failure_rate_percent-hint`} className="text-muted-foreground text-xs">
                  {text.failureRateHint}
                </p>
                <FieldError id={`${id}-failure_rate_percent-error`} messages={problems['failure_rate_percent']} />
              </div>
            ) : null}
            {value === 'workers.missing' && events.includes(value) ? (
              <div className="ml-6 flex flex-col gap-1.5">
                <Label htmlFor={`${id}-silence`}>{text.silence}</Label>
                <Input
                  id={`${id}-silence`}
                  name="worker_silence_minutes"
                  type="number"
                  min={1}
                  max={1440}
                  defaultValue={editing?.worker_silence_minutes ?? 10}
                  required
                  className="w-28"
                  aria-invalid={problems['worker_silence_minutes'] ? true : undefined}
                  aria-describedby={described('worker_silence_minutes', true)}
                />
                <p id={`${id}-worker_silence_minutes-hint`} className="text-muted-foreground text-xs">
                  {text.silenceHint}
                </p>
                <FieldError id={`${id}-worker_silence_minutes-error`} messages={problems['worker_silence_minutes']} />
              </div>
            ) : null}
          </div>
        ))}
        <FieldError id={`${id}-events-error`} messages={problems['events']} />
      </fieldset>
      {batchId || editing ? null : (
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-batch`}>{text.batchId}</Label>
          <Input
            id={`${id}-batch`}
            name="batch_id"
            className="font-mono"
            aria-invalid={problems['batch_id'] ? true : undefined}
            aria-describedby={described('batch_id', true)}
          />
          <p id={`${id}-batch_id-hint`} className="text-muted-foreground text-xs">
            {text.batchIdHint}
          </p>
          <FieldError id={`${id}-batch_id-error`} messages={problems['batch_id']} />
        </div>
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel ? (
          <Button type="button" variant="outline" onClick={onCancel} disabled={pending}>
            {t.common.cancel}
          </Button>
        ) : null}
        <Button type="submit" disabled={pending || events.length === 0}>
          {pending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
          {submitLabel ?? (editing ? text.save : text.create)}
        </Button>
      </div>
    </form>
  );
}
