'use client';

import {
  Alert,
  AlertDescription,
  Badge,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { useNotificationsText, type NotificationsText } from './notifications-text';

type Delivery = RouterOutputs['notify']['deliveries']['deliveries'][number];
type Attempt = Delivery['attempts'][number];
type DeliveryState = Delivery['state'];

const STATE_VARIANT: Record<DeliveryState, 'success' | 'destructive' | 'warning'> = {
  delivered: 'success',
  failed: 'destructive',
  pending: 'warning',
};

/** One try's answer for people: `HTTP 500`, or the error when nothing answered. */
export function answerOf(attempt: Pick<Attempt, 'status_code' | 'error'> | undefined, text: NotificationsText): string {
  if (!attempt) return text.noAnswer;
  if (attempt.status_code !== undefined) return text.httpStatus(attempt.status_code);
  return attempt.error ?? text.noAnswer;
}

export function DeliveryStateBadge({ state }: { state: DeliveryState }) {
  const text = useNotificationsText();
  return <Badge variant={STATE_VARIANT[state]}>{text.state[state]}</Badge>;
}

/** A subscription's delivery log, newest first (the server's order): each try's answer and time. */
export function DeliveryLog({ subscriptionId, label }: { subscriptionId: string; label: string }) {
  const { t, formatDateTime } = useI18n();
  const text = useNotificationsText();
  const log = trpc.notify.deliveries.useQuery({ subscription_id: subscriptionId, limit: 20 });

  if (log.isPending) return <Skeleton className="h-24 w-full" />;
  if (log.isError) {
    return (
      <Alert variant="destructive">
        <AlertDescription>{errorMessage(log.error, t)}</AlertDescription>
      </Alert>
    );
  }
  if (log.data.deliveries.length === 0) return <p className="text-muted-foreground text-sm">{text.logEmpty}</p>;
  return (
    <div className="overflow-x-auto rounded-md border">
      <Table aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHead>{text.time}</TableHead>
            <TableHead>{text.eventColumn}</TableHead>
            <TableHead>{text.summary}</TableHead>
            <TableHead>{text.stateColumn}</TableHead>
            <TableHead>{text.attempts}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {log.data.deliveries.map((delivery) => (
            <TableRow key={delivery.delivery_id} data-testid="delivery-row">
              <TableCell className="whitespace-nowrap tabular-nums">{formatDateTime(delivery.created_at)}</TableCell>
              <TableCell className="whitespace-nowrap">{text.eventShort[delivery.event]}</TableCell>
              <TableCell className="min-w-48 whitespace-normal">{delivery.summary}</TableCell>
              <TableCell>
                <div className="flex flex-col items-start gap-1">
                  <DeliveryStateBadge state={delivery.state} />
                  {delivery.state === 'pending' && delivery.next_attempt_at ? (
                    <span className="text-muted-foreground text-xs">{text.nextAttempt(formatDateTime(delivery.next_attempt_at))}</span>
                  ) : null}
                </div>
              </TableCell>
              <TableCell>
                <ol className="flex flex-col gap-0.5 text-xs">
                  {delivery.attempts.map((attempt, index) => (
                    <li key={`${attempt.at}-${index}`} className="whitespace-nowrap" title={formatDateTime(attempt.at)}>
                      <span className={attempt.status_code !== undefined && attempt.status_code < 300 ? undefined : 'text-destructive'}>
                        {text.attempt(answerOf(attempt, text), attempt.duration_ms)}
                      </span>
                    </li>
                  ))}
                </ol>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
