'use client';

import { cn, Skeleton } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';

/** The workers' window is 5 minutes: re-read often enough that a worker that stopped drops out. */
const REFRESH_MS = 30_000;

interface Figure {
  key: 'pending' | 'processing' | 'completed' | 'failed' | 'workers';
  label: string;
  hint: string;
  value: number | undefined;
  accent: string;
}

/**
 * The dashboard's totals and throughput strip (batch.overview): the queue now, jobs finished in the
 * last hour and the workers seen in the last 5 minutes, over the batches the reader may see. The
 * live feed refreshes it with the batch queries; the interval covers a worker that goes quiet.
 */
export function OverviewStrip({ refetchInterval }: { refetchInterval?: number | false }) {
  const { t, locale } = useI18n();
  const overview = trpc.batch.overview.useQuery(undefined, {
    refetchInterval: refetchInterval || REFRESH_MS,
  });
  if (overview.isError) {
    return (
      <p role="status" className="text-destructive text-sm" data-testid="overview-strip">
        {t.overview.loadError}
      </p>
    );
  }
  const data = overview.data;
  const figures: Figure[] = [
    {
      key: 'pending',
      label: t.overview.pending,
      hint: t.overview.nowHint,
      value: data?.now.pending,
      accent: 'border-l-muted-foreground/40',
    },
    {
      key: 'processing',
      label: t.overview.processing,
      hint: t.overview.nowHint,
      value: data?.now.processing,
      accent: 'border-l-info',
    },
    {
      key: 'completed',
      label: t.overview.completedHour,
      hint: t.overview.hourHint,
      value: data?.last_hour.completed,
      accent: 'border-l-success',
    },
    {
      key: 'failed',
      label: t.overview.failedHour,
      hint: t.overview.hourHint,
      value: data?.last_hour.failed,
      accent: 'border-l-destructive',
    },
    {
      key: 'workers',
      label: t.overview.workers,
      hint: t.overview.workersHint,
      value: data?.workers.active,
      accent: 'border-l-primary',
    },
  ];
  const number = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB');
  return (
    <section aria-label={t.overview.label} data-testid="overview-strip" aria-busy={overview.isPending}>
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
        {figures.map((figure) => (
          <div
            key={figure.key}
            title={figure.hint}
            data-testid={`overview-${figure.key}`}
            className={cn(
              'bg-card flex flex-col gap-0.5 rounded-md border border-l-4 px-3 py-2',
              figure.accent,
            )}
          >
            <dt className="text-muted-foreground text-xs">{figure.label}</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="overview-value">
              {figure.value === undefined ? <Skeleton className="h-7 w-10" /> : number.format(figure.value)}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
