'use client';

import Link from 'next/link';
import { useState } from 'react';
import {
  Alert,
  AlertDescription,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  Separator,
  Skeleton,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useCanWrite } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { useNotificationsText } from './notifications-text';
import { SubscriptionList, useCreatedSecret } from './notifications-view';
import { SubscriptionForm } from './subscription-form';

export interface BatchNotificationsDialogProps {
  batchId: string;
  batchName: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/**
 * The batch page's "Notifications": the caller's subscriptions of this batch, and the form to
 * subscribe it (the batch fixed). Viewers see their subscriptions only, no write controls.
 */
export function BatchNotificationsDialog({ batchId, batchName, open, onOpenChange }: BatchNotificationsDialogProps) {
  const { t } = useI18n();
  const text = useNotificationsText();
  const canWrite = useCanWrite();
  const list = trpc.notify.list.useQuery({ batch_id: batchId }, { enabled: open });
  const secret = useCreatedSecret();
  // A new key empties the form after each subscription.
  const [formKey, setFormKey] = useState(0);

  return (
    <>
      <Dialog open={open} onOpenChange={onOpenChange}>
        <DialogContent closeLabel={t.common.close} className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>{text.batchDialogTitle(batchName)}</DialogTitle>
            <DialogDescription>{text.batchDialogDescription}</DialogDescription>
          </DialogHeader>
          {list.isPending ? (
            <Skeleton className="h-24 w-full" />
          ) : list.isError ? (
            <Alert variant="destructive">
              <AlertDescription>{errorMessage(list.error, t)}</AlertDescription>
            </Alert>
          ) : (
            <>
              {list.data.subscriptions.length === 0 ? (
                <p className="text-muted-foreground text-sm">{text.batchNone}</p>
              ) : (
                <SubscriptionList subscriptions={list.data.subscriptions} canWrite={canWrite} label={text.subscriptions} />
              )}
              {canWrite ? (
                <>
                  <Separator />
                  <section className="flex flex-col gap-3" aria-labelledby="batch-subscribe-heading">
                    <h3 id="batch-subscribe-heading" className="font-semibold">
                      {text.subscribeBatch}
                    </h3>
                    <SubscriptionForm
                      key={formKey}
                      emailAvailable={list.data.email_available}
                      batchId={batchId}
                      submitLabel={text.subscribeBatch}
                      onCreated={(created) => {
                        setFormKey((key) => key + 1);
                        secret.onCreated(created);
                      }}
                    />
                  </section>
                </>
              ) : (
                <p className="text-muted-foreground text-sm">{text.viewerHint}</p>
              )}
            </>
          )}
          <Link href="/notifications" className="text-sm underline underline-offset-2">
            {text.allPage}
          </Link>
        </DialogContent>
      </Dialog>
      {secret.dialog}
    </>
  );
}
