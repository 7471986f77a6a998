'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { ChevronDownIcon, ScrollTextIcon } from 'lucide-react';
import { Alert, AlertDescription, Badge, Card, cn, Skeleton } from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useSessionUser } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { AuditEventSummary } from './audit-event';

const LIMIT = 50;

/** The batch page's "History": the audit events that name this batch, newest first; collapsed until opened. */
export function BatchHistory({ batchId }: { batchId: string }) {
  const { t, formatDateTime } = useI18n();
  const user = useSessionUser();
  const [open, setOpen] = useState(false);
  const contentId = useId();
  const history = trpc.audit.forBatch.useQuery({ batch_id: batchId, limit: LIMIT }, { enabled: open });

  return (
    <Card className="gap-0 py-0" data-testid="batch-history">
      <h2 className="text-lg font-semibold">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={contentId}
          onClick={() => setOpen((value) => !value)}
          className="focus-visible:ring-ring/50 hover:bg-accent/50 flex w-full items-center gap-2 rounded-xl px-4 py-4 text-left outline-none focus-visible:ring-[3px] sm:px-6"
        >
          <ScrollTextIcon aria-hidden="true" className="text-muted-foreground size-5" />
          <span className="flex-1">{t.batch.history}</span>
          {history.data ? (
            <Badge variant="secondary" className="tabular-nums">
              {history.data.events.length}
              {history.data.has_more ? '+' : ''}
            </Badge>
          ) : null}
          <ChevronDownIcon
            aria-hidden="true"
            className={cn('size-4 transition-transform', open && 'rotate-180')}
          />
        </button>
      </h2>
      <div id={contentId} hidden={!open} className="px-4 pb-5 sm:px-6">
        <p className="text-muted-foreground mb-3 text-sm">{t.batch.historyDescription}</p>
        {!open ? null : history.isPending ? (
          <Skeleton className="h-20 w-full" />
        ) : history.isError ? (
          <Alert variant="destructive">
            <AlertDescription>
              <p>{t.batch.historyError}</p>
              <p>{errorMessage(history.error, t)}</p>
            </AlertDescription>
          </Alert>
        ) : history.data.events.length === 0 ? (
          <p className="text-muted-foreground text-sm">{t.batch.historyEmpty}</p>
        ) : (
          <>
            <ol
              className="relative ml-2 flex flex-col gap-3 border-l pl-4 text-sm"
              aria-label={t.batch.history}
            >
              {history.data.events.map((event) => (
                <li key={event.event_id} className="relative">
                  <span
                    aria-hidden="true"
                    className="bg-primary absolute top-1.5 -left-[21px] size-2.5 rounded-full"
                  />
                  <time
                    dateTime={new Date(event.at).toISOString()}
                    className="text-muted-foreground block text-xs"
                  >
                    {formatDateTime(event.at)}
                  </time>
                  <AuditEventSummary event={event} showJob />
                </li>
              ))}
            </ol>
            {history.data.has_more ? (
              <p className="text-muted-foreground mt-3 text-xs">
                {user.role === 'admin' ? (
                  <Link
                    href={`/admin/audit?target_id=${encodeURIComponent(batchId)}`}
                    className="underline underline-offset-4"
                  >
                    {t.batch.historyMore}
                  </Link>
                ) : (
                  t.batch.historyMore
                )}
              </p>
            ) : null}
          </>
        )}
      </div>
    </Card>
  );
}
