'use client';

import Link from 'next/link';
import { ServerOffIcon } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle, Button } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';

/** Work is stuck when jobs are pending and no worker has claimed or heartbeated for this long. */
export const NO_WORKER_WINDOW_MS = 5 * 60_000;
const RECHECK_MS = 30_000;

/**
 * The dashboard's warning that nothing is processing the queue: pending jobs (batch.stats, kept
 * fresh by the live feed) and no worker seen by the server within the last 5 minutes. The server
 * decides "seen" from its own clock, so a skewed browser clock cannot raise a false alarm.
 */
export function NoWorkerBanner() {
  const { t } = useI18n();
  const stats = trpc.batch.stats.useQuery(undefined, { refetchInterval: RECHECK_MS });
  const workers = trpc.worker.list.useQuery({ seen_within_ms: NO_WORKER_WINDOW_MS }, { refetchInterval: RECHECK_MS });
  const pending = stats.data?.jobs.pending ?? 0;
  if (!workers.data || pending === 0 || workers.data.length > 0) return null;
  return (
    <Alert variant="warning" data-testid="no-worker-banner">
      <ServerOffIcon aria-hidden="true" />
      <AlertTitle>{t.dashboard.noWorkerTitle}</AlertTitle>
      <AlertDescription className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <p>{t.dashboard.noWorker(pending)}</p>
        <Button asChild variant="outline" size="sm" className="self-start text-foreground">
          <Link href="/workers">{t.dashboard.noWorkerLink}</Link>
        </Button>
      </AlertDescription>
    </Alert>
  );
}
