'use client';

import Link from 'next/link';
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from 'lucide-react';
import {
  Button,
  StatusBadge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { Batch } from '../../../client/types';
import { formatDuration } from '../../metrics/format';
import { useNow } from '../../workers/use-now';
import { LazyScheduleBadges } from '../../lazy';
import {
  estimateEta,
  progressPercent,
  sortBatches,
  type BatchSortField,
  type SortDirection,
} from './batch-eta';

export interface BatchSort {
  field: BatchSortField;
  direction: SortDirection;
}

function SortHeader({
  field,
  label,
  sort,
  onSort,
}: {
  field: BatchSortField;
  label: string;
  sort: BatchSort | null;
  onSort: (sort: BatchSort) => void;
}) {
  const { t } = useI18n();
  const current = sort?.field === field ? sort.direction : null;
  const Icon = current === 'asc' ? ArrowUpIcon : current === 'desc' ? ArrowDownIcon : ArrowUpDownIcon;
  return (
    <TableHead aria-sort={current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : undefined}>
      <Button
        variant="ghost"
        size="sm"
        className="-ml-2"
        aria-label={t.batchTable.sortBy(label)}
        onClick={() => onSort({ field, direction: current === 'asc' ? 'desc' : 'asc' })}
      >
        {label}
        <Icon aria-hidden="true" className="size-3.5" />
      </Button>
    </TableHead>
  );
}

/**
 * The compact mode of the dashboard's batch list: one row per batch with owner, status, progress
 * and ETA. Sorting orders the page shown (the list is paged by the server, newest first); the ETA
 * ticks with the browser's clock, read only after hydration.
 */
export function BatchTable({
  batches,
  sort,
  onSort,
}: {
  batches: Batch[];
  sort: BatchSort | null;
  onSort: (sort: BatchSort) => void;
}) {
  const { t, locale, formatDateTime } = useI18n();
  const now = useNow(15_000);
  const rows =
    sort && (sort.field !== 'eta' || now !== null)
      ? sortBatches(batches, sort.field, sort.direction, now ?? 0)
      : batches;
  const header = (field: BatchSortField, label: string) => (
    <SortHeader field={field} label={label} sort={sort} onSort={onSort} />
  );
  return (
    <div className="flex flex-col gap-2">
      <div className="rounded-md border">
        <Table aria-label={t.batchTable.caption} data-testid="batch-table">
          <TableHeader>
            <TableRow>
              {header('name', t.batchTable.name)}
              {header('owner', t.batchTable.owner)}
              {header('status', t.batchTable.status)}
              {header('progress', t.batchTable.progress)}
              {header('eta', t.batchTable.eta)}
              {header('created', t.batchTable.created)}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((batch) => {
              const eta = now === null ? undefined : estimateEta(batch, now);
              const finished = batch.completed_jobs + batch.failed_jobs;
              return (
                <TableRow key={batch.batch_id} data-testid="batch-row">
                  <TableCell className="max-w-64 truncate font-medium">
                    <Link
                      href={`/event-monitor/${encodeURIComponent(batch.batch_id)}`}
                      className="underline-offset-4 hover:underline"
                    >
                      {batch.batch_name}
                    </Link>
                  </TableCell>
                  <TableCell className="text-muted-foreground" data-testid="batch-owner">
                    {batch.user_id ?? t.batchTable.shared}
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-1">
                      <StatusBadge status={batch.status} label={t.status[batch.status]} />
                      <LazyScheduleBadges batch={batch} />
                    </div>
                  </TableCell>
                  <TableCell className="tabular-nums" data-testid="batch-progress">
                    {progressPercent(batch)}%{' '}
                    <span className="text-muted-foreground text-xs">
                      ({t.batchTable.progressOf(finished, batch.total_jobs)})
                    </span>
                  </TableCell>
                  <TableCell className="tabular-nums whitespace-nowrap" data-testid="batch-eta">
                    {eta === undefined
                      ? '…'
                      : eta === null
                        ? t.batchTable.unknown
                        : eta === 0
                          ? t.batchTable.done
                          : t.batchTable.etaValue(formatDuration(eta, locale))}
                  </TableCell>
                  <TableCell className="text-muted-foreground whitespace-nowrap">
                    {formatDateTime(batch.created_at)}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {sort ? <p className="text-muted-foreground text-xs">{t.batchTable.sortedWithinPage}</p> : null}
    </div>
  );
}
