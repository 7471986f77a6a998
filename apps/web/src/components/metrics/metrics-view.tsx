'use client';

import { useFetchingShown } from '../../client/hooks/use-hydrated';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { AlertTriangleIcon, BarChart3Icon, InboxIcon, Loader2Icon, RefreshCwIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  cn,
  EmptyState,
  Skeleton,
  StatusBadge,
  ToggleGroup,
  ToggleGroupItem,
  type JobStatus,
} from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import { errorMessage } from '../../client/errors';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { BatchProgress } from '../event-monitor/batch-progress';
import { formatDuration, METRICS_RANGES, parseRange, perBucket, type MetricsRange } from './format';

const REFRESH_MS = 30_000;

function ChartSkeleton({ className }: { className?: string }) {
  return <Skeleton className={cn('h-56 w-full sm:h-64', className)} />;
}

// Recharts is only needed here: load it with the page's charts, not with the app's shared bundle.
const ThroughputChart = dynamic(() => import('./metrics-charts').then((m) => m.ThroughputChart), {
  ssr: false,
  loading: () => <ChartSkeleton />,
});
const QueueDepthChart = dynamic(() => import('./metrics-charts').then((m) => m.QueueDepthChart), {
  ssr: false,
  loading: () => <ChartSkeleton />,
});
const FailuresChart = dynamic(() => import('./metrics-charts').then((m) => m.FailuresChart), {
  ssr: false,
  loading: () => <ChartSkeleton className="h-40 sm:h-40" />,
});

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

/** Loading skeleton, error with retry, empty state or the content: the same four states on every card. */
function QueryState<T>({
  query,
  isEmpty,
  empty,
  skeleton,
  children,
}: {
  query: QueryLike<T>;
  isEmpty: (data: T) => boolean;
  empty?: ReactNode;
  skeleton?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.isPending) return <>{skeleton ?? <ChartSkeleton />}</>;
  if (query.error || query.data === undefined) {
    return (
      <Alert variant="destructive">
        <AlertTriangleIcon aria-hidden="true" />
        <AlertTitle>{t.metrics.loadError}</AlertTitle>
        <AlertDescription className="flex flex-col items-start gap-2">
          <span>{errorMessage(query.error, t)}</span>
          <Button
            variant="outline"
            size="sm"
            onClick={() => void query.refetch()}
            disabled={query.isFetching}
          >
            {t.common.retry}
          </Button>
        </AlertDescription>
      </Alert>
    );
  }
  if (isEmpty(query.data)) {
    return (
      <>
        {empty ?? (
          <EmptyState
            icon={<BarChart3Icon />}
            title={t.metrics.noData}
            description={t.metrics.noDataHint}
            titleAs="p"
            className="min-h-40"
          />
        )}
      </>
    );
  }
  return <>{children(query.data)}</>;
}

function MetricCard({
  title,
  description,
  children,
  className,
  testId,
  aside,
}: {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  testId: string;
  aside?: ReactNode;
}) {
  return (
    <Card className={cn('min-w-0 gap-4', className)} data-testid={testId}>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base font-semibold">{title}</h2>
        </CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
        {aside}
      </CardHeader>
      <CardContent className="min-w-0">{children}</CardContent>
    </Card>
  );
}

function Stat({
  label,
  value,
  className,
  testId,
}: {
  label: string;
  value: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div className="flex flex-col">
      <span className="text-muted-foreground text-xs">{label}</span>
      <span className={cn('text-2xl font-semibold tabular-nums', className)} data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

type Durations = RouterOutputs['metrics']['durations'];

function DurationStats({ data }: { data: Durations }) {
  const { t, locale } = useI18n();
  const max = data.max_ms ?? 0;
  const rows = [
    { key: 'p50', label: t.metrics.durations.p50, value: data.p50_ms },
    { key: 'p90', label: t.metrics.durations.p90, value: data.p90_ms },
    { key: 'p99', label: t.metrics.durations.p99, value: data.p99_ms },
  ] as const;
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-3 gap-2 sm:gap-3">
        {rows.map((row) => (
          <div key={row.key} className="bg-muted/40 flex min-w-0 flex-col gap-2 rounded-md border p-2 sm:p-3">
            <dt className="text-muted-foreground text-xs">{row.label}</dt>
            <dd
              className="text-base font-semibold tabular-nums sm:text-2xl"
              data-testid={`duration-${row.key}`}
            >
              {formatDuration(row.value, locale)}
            </dd>
            {/* How far towards the slowest job: a chart without a chart library. */}
            <div className="bg-muted h-1.5 overflow-hidden rounded-full" aria-hidden="true">
              <div
                className="bg-chart-2 h-full rounded-full"
                style={{
                  width: `${max > 0 && row.value !== null ? Math.max(2, (row.value / max) * 100) : 0}%`,
                }}
              />
            </div>
          </div>
        ))}
      </dl>
      <p className="text-muted-foreground flex flex-wrap gap-x-4 text-sm">
        <span>
          {t.metrics.durations.mean}:{' '}
          <span className="text-foreground tabular-nums">{formatDuration(data.mean_ms, locale)}</span>
        </span>
        <span>
          {t.metrics.durations.max}:{' '}
          <span className="text-foreground tabular-nums">{formatDuration(data.max_ms, locale)}</span>
        </span>
      </p>
    </div>
  );
}

type BatchItem = RouterOutputs['metrics']['batchProgress']['batches'][number];

function BatchProgressList({ batches }: { batches: BatchItem[] }) {
  const { t } = useI18n();
  return (
    <ul className="divide-y" data-testid="batch-progress-list">
      {batches.map((batch) => (
        <li key={batch.batch_id} className="flex flex-col gap-2 py-3 first:pt-0 last:pb-0">
          <div className="flex min-w-0 items-center justify-between gap-2">
            <Link
              href={`/event-monitor/${encodeURIComponent(batch.batch_id)}`}
              className="truncate font-medium underline-offset-4 hover:underline"
            >
              {batch.batch_name}
            </Link>
            <StatusBadge status={batch.status as JobStatus} label={t.status[batch.status as JobStatus]} />
          </div>
          <BatchProgress batch={batch} />
        </li>
      ))}
    </ul>
  );
}

function ListSkeleton() {
  return (
    <div className="flex flex-col gap-4">
      {[0, 1, 2].map((i) => (
        <div key={i} className="flex flex-col gap-2">
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-2 w-full" />
        </div>
      ))}
    </div>
  );
}

/** /metrics: throughput, queue depth, processing times, failures and batch progress over a time range. */
export function MetricsView({ initialRange }: { initialRange: MetricsRange }) {
  const { t, locale, formatDateTime } = useI18n();
  const [range, setRange] = useState<MetricsRange>(initialRange);
  const options = { refetchInterval: REFRESH_MS };
  const throughput = trpc.metrics.throughput.useQuery({ range }, options);
  const queue = trpc.metrics.queueDepth.useQuery({ range }, options);
  const durations = trpc.metrics.durations.useQuery({ range }, options);
  const failures = trpc.metrics.failures.useQuery({ range }, options);
  const batches = trpc.metrics.batchProgress.useQuery({ limit: 8 }, options);
  const fetching = useFetchingShown(...[throughput, queue, durations, failures, batches].map((q) => q.isFetching));

  const changeRange = (value: string) => {
    if (!value) return; // clicking the active item would unselect it
    const next = parseRange(value);
    setRange(next);
    // Shallow: the page keeps its state, the URL can be shared and survives a reload.
    window.history.replaceState(null, '', `?range=${next}`);
  };
  const refresh = () => {
    for (const query of [throughput, queue, durations, failures, batches]) void query.refetch();
  };

  const number = (value: number) => value.toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB');

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.metrics.title}</h1>
          <p className="text-muted-foreground text-sm">{t.metrics.subtitle}</p>
        </div>
        <div className="flex items-center gap-2">
          <ToggleGroup
            type="single"
            variant="outline"
            value={range}
            onValueChange={changeRange}
            aria-label={t.metrics.range}
            data-testid="range-selector"
          >
            {METRICS_RANGES.map((value) => (
              <ToggleGroupItem
                key={value}
                value={value}
                aria-label={t.metrics.rangeNames[value]}
                className="px-3"
              >
                {t.metrics.ranges[value]}
              </ToggleGroupItem>
            ))}
          </ToggleGroup>
          <Button
            variant="outline"
            size="icon"
            onClick={refresh}
            aria-label={t.common.refresh}
            disabled={fetching}
          >
            {fetching ? (
              <Loader2Icon className="animate-spin" aria-hidden="true" />
            ) : (
              <RefreshCwIcon aria-hidden="true" />
            )}
          </Button>
        </div>
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <MetricCard
          testId="metric-throughput"
          title={t.metrics.throughput.title}
          description={
            throughput.data
              ? t.metrics.throughput.description(perBucket(throughput.data.bucket_ms, t))
              : t.metrics.rangeNames[range]
          }
          aside={
            throughput.data ? (
              <div className="flex gap-6 pt-2">
                <Stat
                  label={t.metrics.throughput.completed}
                  value={number(throughput.data.totals.completed)}
                  className="text-success"
                  testId="total-completed"
                />
                <Stat
                  label={t.metrics.throughput.failed}
                  value={number(throughput.data.totals.failed)}
                  className="text-destructive"
                  testId="total-failed"
                />
              </div>
            ) : null
          }
        >
          <QueryState query={throughput} isEmpty={(d) => d.totals.completed + d.totals.failed === 0}>
            {(data) => (
              <ThroughputChart
                range={data.range}
                data={data.buckets.map((b) => ({
                  start: new Date(b.start).getTime(),
                  completed: b.completed,
                  failed: b.failed,
                }))}
              />
            )}
          </QueryState>
        </MetricCard>

        <MetricCard
          testId="metric-queue"
          title={t.metrics.queue.title}
          description={
            queue.data
              ? t.metrics.queue.description(perBucket(queue.data.bucket_ms, t))
              : t.metrics.rangeNames[range]
          }
          aside={
            queue.data?.latest ? (
              <div className="flex flex-wrap items-end gap-6 pt-2">
                <Stat
                  label={t.metrics.queue.pending}
                  value={number(queue.data.latest.pending)}
                  className="text-warning"
                />
                <Stat
                  label={t.metrics.queue.processing}
                  value={number(queue.data.latest.processing)}
                  className="text-info"
                />
                <span className="text-muted-foreground pb-1 text-xs">
                  {t.metrics.queue.latest}: {formatDateTime(queue.data.latest.at)}
                </span>
              </div>
            ) : null
          }
        >
          <QueryState
            query={queue}
            isEmpty={(d) => d.latest === null}
            empty={
              <EmptyState
                icon={<InboxIcon />}
                title={t.metrics.noData}
                description={t.metrics.queue.noSamples}
                titleAs="p"
                className="min-h-40"
              />
            }
          >
            {(data) => (
              <QueueDepthChart
                range={data.range}
                data={data.points.map((p) => ({
                  start: new Date(p.start).getTime(),
                  pending: p.pending,
                  processing: p.processing,
                }))}
              />
            )}
          </QueryState>
        </MetricCard>

        <MetricCard
          testId="metric-durations"
          title={t.metrics.durations.title}
          description={
            durations.data?.sample_size
              ? t.metrics.durations.description(durations.data.sample_size)
              : t.metrics.rangeNames[range]
          }
        >
          <QueryState
            query={durations}
            isEmpty={(d) => d.sample_size === 0}
            skeleton={<Skeleton className="h-28 w-full" />}
          >
            {(data) => <DurationStats data={data} />}
          </QueryState>
        </MetricCard>

        <MetricCard
          testId="metric-failures"
          title={t.metrics.failures.title}
          description={
            failures.data?.total
              ? t.metrics.failures.description(failures.data.total)
              : t.metrics.rangeNames[range]
          }
        >
          <QueryState
            query={failures}
            isEmpty={(d) => d.total === 0}
            skeleton={<Skeleton className="h-40 w-full" />}
          >
            {(data) => <FailuresChart data={data.codes} />}
          </QueryState>
        </MetricCard>

        <MetricCard
          testId="metric-batches"
          className="lg:col-span-2"
          title={t.metrics.batches.title}
          description={t.metrics.batches.description}
        >
          <QueryState
            query={batches}
            isEmpty={(d) => d.batches.length === 0}
            skeleton={<ListSkeleton />}
            empty={
              <EmptyState
                icon={<InboxIcon />}
                title={t.metrics.batches.empty}
                description={t.metrics.batches.emptyHint}
                titleAs="p"
              />
            }
          >
            {(data) => <BatchProgressList batches={data.batches} />}
          </QueryState>
        </MetricCard>
      </div>
    </div>
  );
}
