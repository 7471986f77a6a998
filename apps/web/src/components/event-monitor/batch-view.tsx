'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';
import { ArrowLeftIcon, BellIcon, CalendarClockIcon, Loader2Icon, RefreshCwIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Badge,
  Button,
  Card,
  Label,
  Skeleton,
  StatusBadge,
  Switch,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useBatchRights } from '../../client/batch-rights';
import { useLiveUpdates } from '../../client/hooks/use-live-updates';
import { trpc } from '../../client/trpc';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useUrlState } from '../../client/hooks/use-url-state';
import { useFetchingShown } from '../../client/hooks/use-hydrated';
import { ActiveSwitch, BatchWriteActions } from './batch-actions';
import { LiveIndicator } from './live-indicator';
import { BatchProgress } from './batch-progress';
import { JobTable } from './job-table/job-table';
import { BatchHistory } from '../audit/batch-history';
import { LazyJobDetailSheet, LazyScheduleBadges } from '../lazy';
import { LazyBatchNotificationsDialog } from '../notifications/lazy-batch-notifications-dialog';
import { LazyScheduleDialog } from './lazy-schedule-dialog';
import { useScheduleText } from './schedule-text';

const AUTO_REFRESH_MS = 10_000;

/** /event-monitor/[batchId]: the batch's header and counters, its jobs, and the job sheet (?job=). */
export function BatchView({ batchId }: { batchId: string }) {
  const { t, formatDateTime } = useI18n();
  const router = useRouter();
  const searchParams = useSearchParams();
  const invalidate = useInvalidateAll();
  const scheduleText = useScheduleText();
  const [autoRefresh, setAutoRefresh] = useState(false);
  const [scheduleOpen, setScheduleOpen] = useState(false);
  const live = useLiveUpdates({ batch_id: batchId });
  const refetchInterval = autoRefresh || live !== 'live' ? AUTO_REFRESH_MS : false;
  // Set when the batch is deleted from this page: its queries stop before the page leaves.
  const [deleted, setDeleted] = useState(false);
  const [notifying, setNotifying] = useState(false);
  const batch = trpc.batch.get.useQuery({ batch_id: batchId }, { refetchInterval, enabled: !deleted });
  const openJobId = searchParams.get('job') || null;
  const rights = useBatchRights(batch.data);

  // The sheet is one more key of the view's URL: the table's filter, sort and pages stay.
  const { set: setUrl } = useUrlState();
  const openJob = useCallback((jobId: string) => setUrl({ job: jobId }), [setUrl]);
  const closeJob = useCallback(() => setUrl({ job: null }), [setUrl]);
  const refreshing = useFetchingShown(batch.isFetching);

  return (
    <div className="flex flex-col gap-6">
      <Button variant="ghost" size="sm" asChild className="self-start">
        <Link href="/event-monitor">
          <ArrowLeftIcon aria-hidden="true" />
          {t.batch.backToList}
        </Link>
      </Button>

      {batch.isPending ? (
        <Card className="gap-3 px-6 py-5">
          <Skeleton className="h-7 w-1/3" />
          <Skeleton className="h-4 w-1/4" />
          <Skeleton className="h-2 w-full" />
        </Card>
      ) : batch.isError ? (
        <Alert variant="destructive">
          <AlertDescription>
            {batch.error.data?.code === 'NOT_FOUND' ? t.batch.notFound : errorMessage(batch.error, t)}
          </AlertDescription>
        </Alert>
      ) : (
        <Card className="gap-4 px-4 py-5 sm:px-6">
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
            <div className="min-w-0">
              <h1 className="text-2xl font-bold tracking-tight break-words">{batch.data.batch_name}</h1>
              <p className="text-muted-foreground text-sm">
                {t.batch.created} {formatDateTime(batch.data.created_at)} ·{' '}
                <span className="font-mono text-xs">{batch.data.batch_id}</span>
              </p>
              {batch.data.not_before || batch.data.deadline ? (
                <p className="text-muted-foreground text-sm" data-testid="batch-schedule">
                  {batch.data.not_before ? `${t.batchTable.notBefore} ${formatDateTime(batch.data.not_before)}` : null}
                  {batch.data.not_before && batch.data.deadline ? ' · ' : null}
                  {batch.data.deadline ? `${t.batchTable.deadline} ${formatDateTime(batch.data.deadline)}` : null}
                </p>
              ) : null}
            </div>
            <div className="flex flex-wrap items-center gap-2">
              <StatusBadge status={batch.data.status} label={t.status[batch.data.status]} />
              <Badge variant={batch.data.isActive ? 'success' : 'outline'}>
                {batch.data.isActive ? t.batch.active : t.batch.inactive}
              </Badge>
              {batch.data.archived ? <Badge variant="secondary">{t.batch.archived}</Badge> : null}
              <LazyScheduleBadges batch={batch.data} />
            </div>
          </div>
          <BatchProgress batch={batch.data} />
          <div className="flex flex-wrap items-center gap-2">
            {rights.write ? (
              <>
                <BatchWriteActions
                  batch={batch.data}
                  canAdmin={rights.admin}
                  afterDelete={() => {
                    setDeleted(true);
                    router.push('/event-monitor');
                  }}
                />
                <Button variant="outline" size="sm" onClick={() => setScheduleOpen(true)}>
                  <CalendarClockIcon aria-hidden="true" />
                  {scheduleText.open}
                </Button>
                <LazyScheduleDialog batch={batch.data} open={scheduleOpen} onOpenChange={setScheduleOpen} />
                <ActiveSwitch batch={batch.data} />
              </>
            ) : null}
            {/* Anyone who reads the batch may subscribe to it (a viewer sees their own, read-only). */}
            <Button variant="outline" size="sm" onClick={() => setNotifying(true)}>
              <BellIcon aria-hidden="true" />
              {t.nav.notifications}
            </Button>
            <div className="flex items-center gap-2 sm:ml-auto">
              <LiveIndicator state={live} />
              <Switch id="batch-auto-refresh" checked={autoRefresh} onCheckedChange={setAutoRefresh} />
              <Label htmlFor="batch-auto-refresh" className="font-normal whitespace-nowrap">
                {t.dashboard.autoRefresh}
              </Label>
              <Button
                variant="outline"
                size="icon"
                aria-label={t.dashboard.refreshNow}
                title={t.dashboard.refreshNow}
                disabled={refreshing}
                onClick={() => void invalidate()}
              >
                {refreshing ? (
                  <Loader2Icon aria-hidden="true" className="animate-spin" />
                ) : (
                  <RefreshCwIcon aria-hidden="true" />
                )}
              </Button>
            </div>
          </div>
        </Card>
      )}

      {batch.isError || deleted ? null : <BatchHistory batchId={batchId} />}

      {batch.isError || deleted ? null : (
        <section className="flex flex-col gap-3" aria-labelledby="jobs-heading">
          <h2 id="jobs-heading" className="text-lg font-semibold">
            {t.jobs.title}
          </h2>
          <JobTable
            batchId={batchId}
            refetchInterval={refetchInterval}
            onOpenJob={openJob}
            canWrite={rights.write}
          />
        </section>
      )}
      {batch.data ? (
        <LazyBatchNotificationsDialog
          batchId={batchId}
          batchName={batch.data.batch_name}
          open={notifying && !deleted}
          onOpenChange={setNotifying}
        />
      ) : null}
      <LazyJobDetailSheet jobId={deleted ? null : openJobId} onClose={closeJob} rights={rights} />
    </div>
  );
}
