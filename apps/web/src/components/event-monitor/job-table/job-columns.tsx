'use client';

import { useMemo } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from 'lucide-react';
import { Button, Checkbox, StatusBadge } from '@event-monitor/ui';
import { useI18n } from '../../../client/i18n/i18n-provider';
import type { JobListItem } from '../../../client/types';
import { jobDuration } from '../job-format';
import { ErrorCell } from '../../triage/error-cell';
import { ProgressCell } from './progress-cell';

interface SortableColumn {
  getIsSorted: () => false | 'asc' | 'desc';
  toggleSorting: (desc?: boolean) => void;
}

function SortHeader({ label, column }: { label: string; column: SortableColumn }) {
  const { t } = useI18n();
  const sorted = column.getIsSorted();
  const Icon = sorted === 'asc' ? ArrowUpIcon : sorted === 'desc' ? ArrowDownIcon : ArrowUpDownIcon;
  return (
    <Button
      variant="ghost"
      size="sm"
      className="-ml-2"
      aria-label={t.jobs.sortBy(label)}
      onClick={() => column.toggleSorting(sorted === 'asc')}
    >
      {label}
      <Icon aria-hidden="true" className="size-3.5" />
    </Button>
  );
}

/**
 * The wide table's columns; name, status and created are sorted by the server. Writers get a
 * selection column first. `now` ticks the running jobs' durations.
 */
export function useJobColumns({
  canWrite,
  onOpenJob,
  now,
}: {
  canWrite: boolean;
  onOpenJob: (jobId: string) => void;
  now: number | null;
}): ColumnDef<JobListItem>[] {
  const { t, formatDateTime } = useI18n();
  return useMemo<ColumnDef<JobListItem>[]>(() => {
    const sortHeader = (label: string) =>
      function Header({ column }: { column: SortableColumn }) {
        return <SortHeader label={label} column={column} />;
      };
    const list: ColumnDef<JobListItem>[] = [
      {
        id: 'job_name',
        accessorKey: 'job_name',
        header: sortHeader(t.jobs.name),
        cell: ({ row }) => (
          <button
            type="button"
            className="focus-visible:ring-ring/50 max-w-80 truncate rounded-sm text-left font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-[3px]"
            onClick={() => onOpenJob(row.original.job_id)}
            aria-label={t.jobs.open(row.original.job_name)}
          >
            {row.original.job_name}
          </button>
        ),
      },
      {
        id: 'status',
        accessorKey: 'status',
        header: sortHeader(t.jobs.status),
        cell: ({ row }) => <StatusBadge status={row.original.status} label={t.status[row.original.status]} />,
      },
      { id: 'progress', header: t.jobs.progress, cell: ({ row }) => <ProgressCell job={row.original} /> },
      { id: 'error', header: t.triage.error, cell: ({ row }) => <ErrorCell job={row.original} now={now} /> },
      {
        id: 'language',
        header: t.jobs.language,
        cell: ({ row }) => (
          <span className="font-mono text-xs">
            {row.original.parameters.source_language} → {row.original.parameters.target_language}
          </span>
        ),
      },
      {
        id: 'worker',
        header: t.jobs.worker,
        cell: ({ row }) => <span className="text-xs">{row.original.lease?.worker_id ?? t.common.none}</span>,
      },
      { id: 'duration', header: t.jobs.duration, cell: ({ row }) => <span className="tabular-nums">{jobDuration(row.original, now)}</span> },
      {
        id: 'attempts',
        header: t.jobs.attempts,
        cell: ({ row }) => (
          <span className="tabular-nums">
            {row.original.attempts}/{row.original.max_attempts}
          </span>
        ),
      },
      {
        id: 'created_at',
        accessorKey: 'created_at',
        header: sortHeader(t.jobs.created),
        cell: ({ row }) => <span className="text-xs whitespace-nowrap">{formatDateTime(row.original.created_at)}</span>,
      },
    ];
    if (canWrite) {
      list.unshift({
        id: 'select',
        // mr-2: the next column's sort button (negative margin) would leave the 16 px box less
        // than the 24 px of free space WCAG 2.2 target-size asks for (axe, a11y.e2e).
        header: ({ table }) => (
          <Checkbox
            className="mr-2"
            aria-label={t.jobs.selectAll}
            checked={table.getIsAllPageRowsSelected() ? true : table.getIsSomePageRowsSelected() ? 'indeterminate' : false}
            onCheckedChange={(value) => table.toggleAllPageRowsSelected(value === true)}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            className="mr-2"
            aria-label={t.jobs.selectRow(row.original.job_name)}
            checked={row.getIsSelected()}
            onCheckedChange={(value) => row.toggleSelected(value === true)}
          />
        ),
      });
    }
    return list;
  }, [t, canWrite, formatDateTime, onOpenJob, now]);
}
