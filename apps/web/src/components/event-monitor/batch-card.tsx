'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ChevronDownIcon, ChevronUpIcon, ExternalLinkIcon } from 'lucide-react';
import { Badge, Button, Card, cn, Skeleton, StatusBadge } from '@event-monitor/ui';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useBatchRights } from '../../client/batch-rights';
import { trpc } from '../../client/trpc';
import type { Batch } from '../../client/types';
import { ActiveSwitch, BatchWriteActions } from './batch-actions';
import { BatchProgress } from './batch-progress';
import { LazyScheduleBadges } from '../lazy';

const INLINE_JOBS = 10;

function InlineJobs({ batch }: { batch: Batch }) {
  const { t } = useI18n();
  const jobs = trpc.job.list.useQuery({ batch_id: batch.batch_id, limit: INLINE_JOBS, sort: { field: 'created_at', direction: 'asc' } });
  if (jobs.isPending) {
    return (
      <div className="flex flex-col gap-2">
        <Skeleton className="h-6 w-full" />
        <Skeleton className="h-6 w-full" />
      </div>
    );
  }
  if (jobs.isError) return <p className="text-destructive text-sm">{jobs.error.message}</p>;
  if (jobs.data.jobs.length === 0) return <p className="text-muted-foreground text-sm">{t.batch.noJobs}</p>;
  const more = jobs.data.total - jobs.data.jobs.length;
  return (
    <ul className="divide-y rounded-md border text-sm">
      {jobs.data.jobs.map((job) => (
        <li key={job.job_id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
          <Link
            href={`/event-monitor/${encodeURIComponent(batch.batch_id)}?job=${encodeURIComponent(job.job_id)}`}
            className="min-w-0 flex-1 truncate font-medium underline-offset-4 hover:underline"
          >
            {job.job_name}
          </Link>
          <span className="text-muted-foreground text-xs">
            {job.parameters.source_language} → {job.parameters.target_language}
            {job.progress && job.status === 'processing' ? ` · ${job.progress.percent}%` : ''}
          </span>
          <StatusBadge status={job.status} label={t.status[job.status]} />
        </li>
      ))}
      {more > 0 ? (
        <li className="text-muted-foreground px-3 py-2 text-xs">
          <Link href={`/event-monitor/${encodeURIComponent(batch.batch_id)}`} className="underline underline-offset-4">
            {t.batch.moreJobs(more)}
          </Link>
        </li>
      ) : null}
    </ul>
  );
}

/** One batch on the dashboard: what it is, how far it got, and what can be done with it. */
export function BatchCard({ batch }: { batch: Batch }) {
  const { t, formatDateTime } = useI18n();
  const rights = useBatchRights(batch);
  const [showJobs, setShowJobs] = useState(false);
  const href = `/event-monitor/${encodeURIComponent(batch.batch_id)}`;
  const headingId = `batch-${batch.batch_id}-name`;

  return (
    <Card
      role="article"
      aria-labelledby={headingId}
      data-testid="batch-card"
      className={cn('gap-4 border-l-4 py-4', batch.isActive ? 'border-l-success' : 'border-l-muted-foreground/30')}
    >
      <div className="flex flex-col gap-3 px-4 sm:px-6">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 id={headingId} className="truncate font-semibold">
              <Link href={href} className="underline-offset-4 hover:underline">
                {batch.batch_name}
              </Link>
            </h3>
            <p className="text-muted-foreground text-xs">
              {t.batch.created} {formatDateTime(batch.created_at)}
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={batch.status} label={t.status[batch.status]} />
            <Badge variant={batch.isActive ? 'success' : 'outline'}>
              {batch.isActive ? t.batch.active : t.batch.inactive}
            </Badge>
            {batch.archived ? <Badge variant="secondary">{t.batch.archived}</Badge> : null}
            <LazyScheduleBadges batch={batch} />
          </div>
        </div>
        <BatchProgress batch={batch} />
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="outline" size="sm" aria-expanded={showJobs} onClick={() => setShowJobs((v) => !v)}>
            {showJobs ? <ChevronUpIcon aria-hidden="true" /> : <ChevronDownIcon aria-hidden="true" />}
            {showJobs ? t.batch.hideJobs : t.batch.showJobs}
          </Button>
          <Button variant="outline" size="sm" asChild>
            <Link href={href}>
              <ExternalLinkIcon aria-hidden="true" />
              {t.batch.openDetail}
            </Link>
          </Button>
          {rights.write ? (
            <>
              <BatchWriteActions batch={batch} canAdmin={rights.admin} />
              <div className="sm:ml-auto">
                <ActiveSwitch batch={batch} />
              </div>
            </>
          ) : null}
        </div>
        {showJobs ? <InlineJobs batch={batch} /> : null}
      </div>
    </Card>
  );
}

export function BatchCardSkeleton() {
  return (
    <Card className="gap-3 px-6 py-4">
      <Skeleton className="h-5 w-1/3" />
      <Skeleton className="h-3 w-1/4" />
      <Skeleton className="h-2 w-full" />
      <div className="flex gap-2">
        <Skeleton className="h-8 w-24" />
        <Skeleton className="h-8 w-24" />
      </div>
    </Card>
  );
}
