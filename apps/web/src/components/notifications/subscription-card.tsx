'use client';

import { useId, useState, type ReactNode } from 'react';
import Link from 'next/link';
import { KeyRoundIcon, ListIcon, Loader2Icon, PencilIcon, SendIcon, Trash2Icon } from 'lucide-react';
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  Label,
  Switch,
  toast,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { answerOf, DeliveryLog, DeliveryStateBadge } from './delivery-log';
import { useNotificationsText } from './notifications-text';
import { SecretDialog } from './secret-dialog';
import { SubscriptionForm, type Subscription } from './subscription-form';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-3">
      <dt className="text-muted-foreground w-32 shrink-0 text-sm">{term}</dt>
      <dd className="min-w-0 text-sm break-all">{children}</dd>
    </div>
  );
}

/**
 * One subscription: what it sends where, its last delivery, and (for those who may write) on/off,
 * edit (the new-subscription form, prefilled), send test, rotate secret and delete. The delivery log opens below it.
 */
export function SubscriptionCard({ subscription, canWrite }: { subscription: Subscription; canWrite: boolean }) {
  const { t, formatDateTime } = useI18n();
  const text = useNotificationsText();
  const utils = trpc.useUtils();
  const id = useId();
  const [showLog, setShowLog] = useState(false);
  const [confirm, setConfirm] = useState<null | 'rotate' | 'delete'>(null);
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [testAnswer, setTestAnswer] = useState<string | null>(null);
  const subscriptionId = subscription.subscription_id;
  const name = subscription.name;
  const refresh = () => {
    void utils.notify.list.invalidate();
    void utils.notify.deliveries.invalidate({ subscription_id: subscriptionId });
  };
  const onError = (error: unknown) => toast.error(errorMessage(error, t));

  const update = trpc.notify.update.useMutation({
    onSuccess: (updated) => {
      toast.success(updated.enabled ? text.enabledToast : text.disabledToast);
      void utils.notify.list.invalidate();
    },
    onError,
  });
  const test = trpc.notify.test.useMutation({
    onSuccess: (delivery) => {
      const answer = answerOf(delivery.attempts.at(-1), text);
      setTestAnswer(answer);
      if (delivery.state === 'delivered') toast.success(text.testOk(answer));
      else toast.error(text.testFailed(answer));
      refresh();
    },
    onError,
  });
  const rotate = trpc.notify.rotateSecret.useMutation({
    gcTime: 0,
    onSuccess: (rotated) => {
      // As at creation: the secret goes to the dialog's state only, never into the hook's.
      rotate.reset();
      setSecret(rotated.secret ?? null);
      refresh();
    },
    onError,
  });
  const remove = trpc.notify.delete.useMutation({
    onSuccess: () => {
      toast.success(text.deleted);
      void utils.notify.list.invalidate();
    },
    onError,
  });

  const last = subscription.last_delivery;
  const titleId = `${id}-title`;
  return (
    <li>
      <Card className="gap-3 px-4 py-4 sm:px-6" data-testid="subscription">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <h3 id={titleId} className="font-semibold break-words">
              {name}
            </h3>
            <Badge variant="outline">{text.channels[subscription.channel]}</Badge>
            {/* The hint is the secret's last four characters; the server may prefix "...". */}
            {subscription.secret_hint ? (
              <span className="text-muted-foreground font-mono text-xs">{text.secretHint(subscription.secret_hint.replace(/^(\.\.\.|…)/, ''))}</span>
            ) : null}
          </div>
          {canWrite ? (
            <div className="flex items-center gap-2">
              <Switch
                id={`${id}-enabled`}
                checked={subscription.enabled}
                disabled={update.isPending}
                aria-label={subscription.enabled ? text.disable(name) : text.enable(name)}
                onCheckedChange={(enabled) => update.mutate({ subscription_id: subscriptionId, enabled })}
              />
              <Label htmlFor={`${id}-enabled`} className="text-muted-foreground text-sm font-normal">
                {text.enabled}
              </Label>
            </div>
          ) : (
            <Badge variant={subscription.enabled ? 'success' : 'outline'}>{subscription.enabled ? text.enabled : text.disabledLabel}</Badge>
          )}
        </div>
        <dl className="flex flex-col gap-1.5">
          <Row term={subscription.channel === 'email' ? text.channels.email : text.url}>
            <span className="font-mono text-xs">{subscription.url ?? subscription.email ?? text.emailToOwn}</span>
          </Row>
          <Row term={text.events}>
            <span className="flex flex-wrap gap-1">
              {subscription.events.map((event) => (
                <Badge key={event} variant="secondary" title={text.event[event]}>
                  {text.eventShort[event]}
                  {event === 'batch.failure_rate' ? ` ≥ ${subscription.failure_rate_percent}%` : ''}
                  {event === 'workers.missing' ? ` ${subscription.worker_silence_minutes} min` : ''}
                </Badge>
              ))}
            </span>
          </Row>
          <Row term={text.scope}>
            {subscription.batch_id ? (
              <Link
                href={`/event-monitor/${encodeURIComponent(subscription.batch_id)}`}
                className="font-mono text-xs underline underline-offset-2"
                data-testid="subscription-batch-link"
              >
                {subscription.batch_id}
              </Link>
            ) : (
              text.allBatches
            )}
          </Row>
          <Row term={text.lastDelivery}>
            {last ? (
              <span className="flex flex-wrap items-center gap-2" data-testid="last-delivery">
                <DeliveryStateBadge state={last.state} />
                {last.status_code !== undefined ? <span className="tabular-nums">{text.httpStatus(last.status_code)}</span> : null}
                <span className="text-muted-foreground text-xs">
                  {text.eventShort[last.event]} · {formatDateTime(last.at)}
                </span>
              </span>
            ) : (
              <span className="text-muted-foreground">{text.never}</span>
            )}
          </Row>
        </dl>
        <div className="flex flex-wrap items-center gap-2">
          {canWrite ? (
            <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
              <PencilIcon aria-hidden="true" />
              {text.edit}
            </Button>
          ) : null}
          {canWrite ? (
            <Button variant="outline" size="sm" disabled={test.isPending} onClick={() => test.mutate({ subscription_id: subscriptionId })}>
              {test.isPending ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : <SendIcon aria-hidden="true" />}
              {test.isPending ? text.sending : text.sendTest}
            </Button>
          ) : null}
          {canWrite && subscription.channel === 'webhook' ? (
            <Button variant="outline" size="sm" disabled={rotate.isPending} onClick={() => setConfirm('rotate')}>
              <KeyRoundIcon aria-hidden="true" />
              {text.rotate}
            </Button>
          ) : null}
          <Button
            variant="outline"
            size="sm"
            aria-expanded={showLog}
            aria-controls={showLog ? `${id}-log` : undefined}
            onClick={() => setShowLog((shown) => !shown)}
          >
            <ListIcon aria-hidden="true" />
            {showLog ? text.hideLog : text.log}
          </Button>
          {canWrite ? (
            <Button variant="outline" size="sm" className="text-destructive" onClick={() => setConfirm('delete')}>
              <Trash2Icon aria-hidden="true" />
              {text.delete}
            </Button>
          ) : null}
          <p role="status" className="text-muted-foreground text-sm" data-testid="test-answer">
            {testAnswer ? text.testResult(testAnswer) : null}
          </p>
        </div>
        {showLog ? (
          <div id={`${id}-log`}>
            <DeliveryLog subscriptionId={subscriptionId} label={text.showLog(name)} />
          </div>
        ) : null}
      </Card>
      {canWrite ? (
        <>
          <Dialog open={editing} onOpenChange={setEditing}>
            <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
              <DialogHeader>
                <DialogTitle>{text.editTitle(name)}</DialogTitle>
                <DialogDescription>{text.editDescription}</DialogDescription>
              </DialogHeader>
              <SubscriptionForm subscription={subscription} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />
            </DialogContent>
          </Dialog>
          <ConfirmDialog
            open={confirm === 'rotate'}
            onOpenChange={(open) => setConfirm(open ? 'rotate' : null)}
            title={text.rotateTitle(name)}
            description={text.rotateDescription}
            confirmLabel={text.rotate}
            cancelLabel={t.common.cancel}
            onConfirm={() => rotate.mutateAsync({ subscription_id: subscriptionId })}
          />
          <ConfirmDialog
            open={confirm === 'delete'}
            onOpenChange={(open) => setConfirm(open ? 'delete' : null)}
            title={text.deleteTitle(name)}
            description={text.deleteDescription}
            confirmLabel={text.delete}
            cancelLabel={t.common.cancel}
            destructive
            onConfirm={() => remove.mutateAsync({ subscription_id: subscriptionId })}
          />
          <SecretDialog name={name} secret={secret} onClose={() => setSecret(null)} />
        </>
      ) : null}
    </li>
  );
}
