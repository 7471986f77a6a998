'use client';

import { useState } from 'react';
import { BellIcon, PlusIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  EmptyState,
  Skeleton,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useCanWrite } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { useNotificationsText } from './notifications-text';
import { SecretDialog } from './secret-dialog';
import { SubscriptionCard } from './subscription-card';
import { SubscriptionForm, type CreatedSubscription, type Subscription } from './subscription-form';

/** The subscriptions as a list of cards (the page's, and the batch dialog's). */
export function SubscriptionList({ subscriptions, canWrite, label }: { subscriptions: Subscription[]; canWrite: boolean; label: string }) {
  return (
    <ul className="flex flex-col gap-3" aria-label={label}>
      {subscriptions.map((subscription) => (
        <SubscriptionCard key={subscription.subscription_id} subscription={subscription} canWrite={canWrite} />
      ))}
    </ul>
  );
}

/** The answer of a create, held only while its secret dialog is open. */
export function useCreatedSecret() {
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  return {
    onCreated: (answer: CreatedSubscription) => {
      if (answer.secret) setCreated({ name: answer.subscription.name, secret: answer.secret });
    },
    dialog: <SecretDialog name={created?.name ?? ''} secret={created?.secret ?? null} onClose={() => setCreated(null)} />,
  };
}

/** /notifications: the caller's subscriptions, a new one, and each one's tests, secret and log. */
export function NotificationsView() {
  const { t } = useI18n();
  const text = useNotificationsText();
  const canWrite = useCanWrite();
  const list = trpc.notify.list.useQuery({});
  const [creating, setCreating] = useState(false);
  const secret = useCreatedSecret();

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">{text.title}</h1>
          <p className="text-muted-foreground max-w-3xl text-sm">{text.subtitle}</p>
        </div>
        {canWrite ? (
          <Button onClick={() => setCreating(true)} disabled={!list.data}>
            <PlusIcon aria-hidden="true" />
            {text.newSubscription}
          </Button>
        ) : null}
      </div>
      {canWrite ? null : (
        <Alert>
          <AlertDescription>{text.viewerHint}</AlertDescription>
        </Alert>
      )}
      <section className="flex flex-col gap-3" aria-labelledby="subscriptions-heading">
        <h2 id="subscriptions-heading" className="text-lg font-semibold">
          {text.subscriptions}
        </h2>
        {list.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertDescription>{errorMessage(list.error, t)}</AlertDescription>
          </Alert>
        ) : list.data.subscriptions.length === 0 ? (
          <EmptyState icon={<BellIcon />} title={text.empty} description={canWrite ? text.emptyHint : undefined} />
        ) : (
          <SubscriptionList subscriptions={list.data.subscriptions} canWrite={canWrite} label={text.subscriptions} />
        )}
      </section>
      {canWrite && list.data ? (
        <Dialog open={creating} onOpenChange={setCreating}>
          <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
            <DialogHeader>
              <DialogTitle>{text.newSubscription}</DialogTitle>
              <DialogDescription>{text.subtitle}</DialogDescription>
            </DialogHeader>
            <SubscriptionForm
              emailAvailable={list.data.email_available}
              onCreated={(created) => {
                setCreating(false);
                secret.onCreated(created);
              }}
              onCancel={() => setCreating(false)}
            />
          </DialogContent>
        </Dialog>
      ) : null}
      {secret.dialog}
    </div>
  );
}
