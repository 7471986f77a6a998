'use client';

import { useFetchingShown } from '../../client/hooks/use-hydrated';
import Link from 'next/link';
import { useState } from 'react';
import { AlertTriangleIcon, Loader2Icon, RefreshCwIcon, ServerIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  cn,
  EmptyState,
  Label,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import type { RouterOutputs } from '@event-monitor/api';
import { formatRelative, useNow } from './use-now';
import { PausedTypesNotice } from '../flow/paused-types-notice';

type Worker = RouterOutputs['worker']['list'][number];
type StaleLease = RouterOutputs['worker']['staleLeases'][number];

const WINDOWS = ['600000', '3600000', '86400000'] as const;
type Window = (typeof WINDOWS)[number];
const REFRESH_MS = 10_000;
/** A worker that holds a job and has not been seen for this long is flagged as stale. */
export const STALE_WORKER_MS = 2 * 60_000;

export function jobHref(job: { job_id: string; batch_id?: string }): string | undefined {
  return job.batch_id
    ? `/event-monitor/${encodeURIComponent(job.batch_id)}?job=${encodeURIComponent(job.job_id)}`
    : undefined;
}

function RelativeTime({ value, now }: { value: Date | string; now: number | null }) {
  const { t, locale, formatDateTime } = useI18n();
  return (
    <time dateTime={new Date(value).toISOString()} title={formatDateTime(value)} className="whitespace-nowrap">
      {now === null ? formatDateTime(value) : formatRelative(value, now, locale, t.workers.justNow)}
    </time>
  );
}

function workerFlags(worker: Worker, now: number | null, expiredJobIds: ReadonlySet<string>) {
  const holdsJob = worker.current_job_id !== undefined;
  const stale = holdsJob && now !== null && now - new Date(worker.last_seen_at).getTime() > STALE_WORKER_MS;
  const job = worker.current_job;
  const leaseExpired =
    (worker.current_job_id !== undefined && expiredJobIds.has(worker.current_job_id)) ||
    (job?.status === 'processing' &&
      job.lease_worker_id === worker.worker_id &&
      job.lease_expires_at !== undefined &&
      now !== null &&
      new Date(job.lease_expires_at).getTime() < now);
  return { holdsJob, stale, leaseExpired };
}

function CurrentJob({ worker }: { worker: Worker }) {
  const { t } = useI18n();
  if (!worker.current_job_id) return <span className="text-muted-foreground">{t.workers.idle}</span>;
  const job = worker.current_job;
  if (!job) return <span className="text-muted-foreground italic">{t.workers.hiddenJob}</span>;
  const href = jobHref(job);
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      {href ? (
        <Link href={href} className="truncate font-medium underline-offset-4 hover:underline">
          {job.job_name}
        </Link>
      ) : (
        <span className="truncate font-medium">{job.job_name}</span>
      )}
      <span className="text-muted-foreground font-mono text-xs">{job.job_id}</span>
    </div>
  );
}

function WorkersTable({ workers, staleLeases, now }: { workers: Worker[]; staleLeases: StaleLease[]; now: number | null }) {
  const { t } = useI18n();
  const expiredJobIds = new Set(staleLeases.map((job) => job.job_id));
  return (
    <div className="overflow-x-auto rounded-md border">
      <Table aria-label={t.workers.title}>
        <TableHeader>
          <TableRow>
            <TableHead>{t.workers.worker}</TableHead>
            <TableHead>{t.workers.currentJob}</TableHead>
            <TableHead>{t.workers.lastSeen}</TableHead>
            <TableHead className="text-right">{t.workers.claimed}</TableHead>
            <TableHead className="text-right">{t.workers.done}</TableHead>
            <TableHead className="text-right">{t.workers.failed}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {workers.map((worker) => {
            const flags = workerFlags(worker, now, expiredJobIds);
            const flagged = flags.stale || flags.leaseExpired;
            return (
              <TableRow
                key={worker.worker_id}
                data-stale={flagged || undefined}
                className={cn(flagged && 'bg-warning/10 hover:bg-warning/15')}
              >
                <TableCell>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-sm font-medium">{worker.worker_id}</span>
                    {flags.stale ? (
                      <Badge variant="warning" title={t.workers.staleHint}>
                        <AlertTriangleIcon aria-hidden="true" />
                        {t.workers.stale}
                      </Badge>
                    ) : null}
                    {flags.leaseExpired ? <Badge variant="destructive">{t.workers.leaseExpired}</Badge> : null}
                  </div>
                </TableCell>
                <TableCell className="max-w-72">
                  <CurrentJob worker={worker} />
                </TableCell>
                <TableCell className={cn(flags.stale && 'text-warning font-medium')}>
                  <RelativeTime value={worker.last_seen_at} now={now} />
                </TableCell>
                <TableCell className="text-right tabular-nums">{worker.jobs_claimed}</TableCell>
                <TableCell className="text-right tabular-nums">{worker.jobs_completed}</TableCell>
                <TableCell className={cn('text-right tabular-nums', worker.jobs_failed > 0 && 'text-destructive')}>
                  {worker.jobs_failed}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

interface StaleLeasesProps {
  leases: StaleLease[] | undefined;
  error: unknown;
  now: number | null;
}

function StaleLeases({ leases, error, now }: StaleLeasesProps) {
  const { t } = useI18n();
  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2 text-lg">
            {t.workers.staleTitle}
            {leases && leases.length > 0 ? (
              <Badge variant="destructive" className="tabular-nums">
                {leases.length}
              </Badge>
            ) : null}
          </h2>
        </CardTitle>
        <CardDescription>{t.workers.staleDescription}</CardDescription>
      </CardHeader>
      <CardContent>
        {error ? (
          <Alert variant="destructive">
            <AlertDescription>{errorMessage(error, t)}</AlertDescription>
          </Alert>
        ) : !leases ? (
          <Skeleton className="h-16 w-full" />
        ) : leases.length === 0 ? (
          <p className="text-muted-foreground text-sm">{t.workers.staleEmpty}</p>
        ) : (
          <div className="overflow-x-auto rounded-md border">
            <Table aria-label={t.workers.staleTitle}>
              <TableHeader>
                <TableRow>
                  <TableHead>{t.workers.job}</TableHead>
                  <TableHead>{t.workers.heldBy}</TableHead>
                  <TableHead>{t.workers.expired}</TableHead>
                  <TableHead>{t.jobs.attempts}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {leases.map((job) => {
                  const href = jobHref(job);
                  return (
                    <TableRow key={job.job_id} className="bg-destructive/5">
                      <TableCell className="max-w-80">
                        <div className="flex min-w-0 flex-col gap-0.5">
                          {href ? (
                            <Link href={href} className="truncate font-medium underline-offset-4 hover:underline">
                              {job.job_name}
                            </Link>
                          ) : (
                            <span className="truncate font-medium">{job.job_name}</span>
                          )}
                          <span className="text-muted-foreground font-mono text-xs">{job.job_id}</span>
                        </div>
                      </TableCell>
                      <TableCell className="font-mono text-sm">
                        {job.lease?.worker_id ?? <span className="text-muted-foreground">{t.workers.legacy}</span>}
                      </TableCell>
                      <TableCell>
                        {job.lease ? (
                          <RelativeTime value={job.lease.expires_at} now={now} />
                        ) : job.processing_started_at ? (
                          <RelativeTime value={job.processing_started_at} now={now} />
                        ) : (
                          t.common.none
                        )}
                      </TableCell>
                      <TableCell className="tabular-nums">{t.job.attemptsOf(job.attempts, job.max_attempts)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

/** /workers: who is working, on what, since when; stale workers and expired leases stand out. */
export function WorkersView() {
  const { t, formatDateTime } = useI18n();
  const [seenWithin, setSeenWithin] = useState<Window>('600000');
  const now = useNow();
  const workers = trpc.worker.list.useQuery(
    { seen_within_ms: Number(seenWithin) },
    { refetchInterval: REFRESH_MS, placeholderData: (previous) => previous },
  );
  const staleLeases = trpc.worker.staleLeases.useQuery({ limit: 100 }, { refetchInterval: REFRESH_MS });
  const legacy = trpc.worker.legacyActivity.useQuery(undefined, { refetchInterval: REFRESH_MS });
  const refreshing = useFetchingShown(workers.isFetching, staleLeases.isFetching);
  const legacyCount = legacy.data?.processing_without_lease ?? 0;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.workers.title}</h1>
          <p className="text-muted-foreground text-sm">{t.workers.description}</p>
          <Link href="/workers/flow" className="text-sm underline underline-offset-4" data-testid="flow-link">
            {t.flow.link}
          </Link>
        </div>
        <div className="flex items-end gap-2">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="worker-window">{t.workers.window}</Label>
            <Select value={seenWithin} onValueChange={(value) => setSeenWithin(value as Window)}>
              <SelectTrigger id="worker-window" className="w-44">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {WINDOWS.map((value) => (
                  <SelectItem key={value} value={value}>
                    {t.workers.windows[value]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <Button
            variant="outline"
            size="icon"
            aria-label={t.dashboard.refreshNow}
            title={t.dashboard.refreshNow}
            disabled={refreshing}
            onClick={() => void Promise.all([workers.refetch(), staleLeases.refetch()])}
          >
            {refreshing ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : <RefreshCwIcon aria-hidden="true" />}
          </Button>
        </div>
      </div>

      <PausedTypesNotice />

      <Alert variant={legacyCount > 0 ? 'warning' : 'default'} data-testid="one-fleet-note">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>{t.workers.oneFleetTitle}</AlertTitle>
        <AlertDescription>
          <p>{t.workers.oneFleet}</p>
          {legacyCount > 0 ? (
            <p data-testid="legacy-active">
              {t.workers.legacyActive(legacyCount, legacy.data?.last_started_at ? formatDateTime(legacy.data.last_started_at) : '?')}
            </p>
          ) : null}
        </AlertDescription>
      </Alert>

      <section aria-labelledby="workers-heading" aria-busy={workers.isPending} className="flex flex-col gap-3">
        <h2 id="workers-heading" className="flex items-center gap-2 text-lg font-semibold">
          {t.workers.listTitle}
          {workers.data ? (
            <Badge variant="secondary" className="tabular-nums">
              {t.workers.count(workers.data.length)}
            </Badge>
          ) : null}
        </h2>
        {workers.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : workers.isError ? (
          <Alert variant="destructive">
            <AlertTriangleIcon aria-hidden="true" />
            <AlertDescription>
              <p>{t.workers.loadError}</p>
              <p>{errorMessage(workers.error, t)}</p>
            </AlertDescription>
          </Alert>
        ) : workers.data.length === 0 ? (
          <EmptyState icon={<ServerIcon aria-hidden="true" />} title={t.workers.empty} />
        ) : (
          <WorkersTable workers={workers.data} staleLeases={staleLeases.data ?? []} now={now} />
        )}
      </section>

      <StaleLeases leases={staleLeases.data} error={staleLeases.error} now={now} />
    </div>
  );
}
