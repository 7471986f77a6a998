'use client';

import { useEffect, useState } from 'react';
import { getCoreRowModel, useReactTable, type RowSelectionState } from '@tanstack/react-table';
import { Alert, AlertDescription, EmptyState, Skeleton } from '@event-monitor/ui';
import { errorMessage } from '../../../client/errors';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { formatTotal, JOB_REQUEST_LIMIT } from '../../../client/list-inputs';
import { useCanWrite } from '../../../client/session-context';
import type { JobListItem } from '../../../client/types';
import { useNow } from '../../workers/use-now';
import { ExportButtons } from '../../triage/export-buttons';
import { BulkJobActions, type MatchingJobs } from './bulk-job-actions';
import { useJobColumns } from './job-columns';
import { JobFilters } from './job-filters';
import { JobRowsList } from './job-rows-list';
import { JobRowsTable } from './job-rows-table';
import { JobTableFooter } from './job-table-footer';
import { useJobFilter } from './use-job-filter';
import { useLoadedJobs } from './use-loaded-jobs';
import { VIRTUALIZE_AFTER } from './use-row-window';

/**
 * The jobs of one batch: server-side filter, search and sort; pages load and accumulate ("Load
 * more"), and past VIRTUALIZE_AFTER rows only the visible rows are rendered. Selection for bulk actions.
 *
 * This file wires the parts: the filter (use-job-filter), the loaded pages (use-loaded-jobs), the
 * columns (job-columns), the two renderings (job-rows-table, job-rows-list), the bulk actions and
 * the footer.
 */
export function JobTable({
  batchId,
  refetchInterval,
  onOpenJob,
  canWrite: batchWritable = true,
}: {
  batchId: string;
  refetchInterval: number | false;
  onOpenJob: (jobId: string) => void;
  /** The batch's own rights: false hides selection and bulk actions (see useBatchRights). */
  canWrite?: boolean;
}) {
  const { t, locale } = useI18n();
  // Running jobs' durations: read after hydration, then every 15 s.
  const now = useNow(15_000);
  const canWrite = useCanWrite() && batchWritable;
  const view = useJobFilter(batchId);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  // "Select all N matching": the bulk action then goes to the server with the list's filter.
  const [allMatching, setAllMatching] = useState(false);
  const loaded = useLoadedJobs(view.filter, view.pageSize * view.loads, Math.min(view.pageSize, JOB_REQUEST_LIMIT), refetchInterval);
  const jobs = loaded.first;
  const columns = useJobColumns({ canWrite, onOpenJob, now });

  const table = useReactTable<JobListItem>({
    data: loaded.jobs,
    columns,
    getRowId: (row) => row.job_id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    rowCount: jobs?.data?.total ?? 0,
    state: { sorting: view.sorting, rowSelection },
    onSortingChange: view.setSorting,
    onRowSelectionChange: (updater) => {
      setAllMatching(false);
      setRowSelection(updater);
    },
    enableRowSelection: canWrite,
  });

  // A filter changed by back/forward (the URL) empties the selection, as a change in the filters does.
  const filterKey = JSON.stringify(view.filter);
  useEffect(() => {
    setAllMatching(false);
    setRowSelection({});
  }, [filterKey]);

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const rows = table.getRowModel().rows;
  const virtual = rows.length > VIRTUALIZE_AFTER;
  const clearSelection = () => {
    setAllMatching(false);
    setRowSelection({});
  };
  const matching: MatchingJobs = {
    selection: {
      batch_ids: [batchId],
      ...(view.filter.status ? { status: view.filter.status } : {}),
      ...(view.filter.search ? { search: view.filter.search } : {}),
    },
    total: jobs?.data?.total ?? 0,
    totalLabel: jobs?.data ? formatTotal(jobs.data, locale) : '0',
    all: allMatching,
    selectAll: () => {
      // The loaded rows show as selected too; the selection change clears the flag, so set it after.
      table.toggleAllRowsSelected(true);
      setAllMatching(true);
    },
  };

  return (
    <div className="flex flex-col gap-3">
      <JobFilters
        search={view.search}
        onSearch={(value) => {
          clearSelection();
          view.setSearch(value);
        }}
        status={view.status}
        onStatus={(value) => {
          clearSelection();
          view.setStatus(value);
        }}
      />

      <div className="flex justify-end">
        <ExportButtons filter={{ batch_id: batchId, status: view.filter.status, search: view.filter.search }} />
      </div>

      {canWrite ? <BulkJobActions selectedIds={selectedIds} clearSelection={clearSelection} matching={matching} /> : null}

      {!jobs || jobs.isPending ? (
        <div className="flex flex-col gap-2">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-10 w-full" />
          ))}
        </div>
      ) : jobs.isError ? (
        <Alert variant="destructive">
          <AlertDescription>
            {t.jobs.loadError} {errorMessage(jobs.error, t)}
          </AlertDescription>
        </Alert>
      ) : rows.length === 0 ? (
        <EmptyState title={t.jobs.empty} />
      ) : (
        <>
          <JobRowsTable table={table} virtual={virtual} />
          <JobRowsList rows={rows} virtual={virtual} canWrite={canWrite} now={now} onOpenJob={onOpenJob} />
        </>
      )}

      {jobs?.data && rows.length > 0 ? (
        <JobTableFooter
          shown={rows.length}
          firstPage={jobs.data}
          loaded={loaded}
          pageSize={view.pageSize}
          onPageSize={view.setPageSize}
          onLoadMore={view.loadMore}
        />
      ) : null}
    </div>
  );
}
