'use client';

import { useMemo, useRef, useState } from 'react';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import {
  ArrowDownIcon,
  ArrowUpDownIcon,
  ArrowUpIcon,
  LanguagesIcon,
  Loader2Icon,
  RotateCcwIcon,
  SearchIcon,
  Trash2Icon,
} from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  Checkbox,
  cn,
  EmptyState,
  Input,
  Label,
  Progress,
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
  Skeleton,
  StatusBadge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  toast,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useDebouncedValue } from '../../client/hooks/use-debounced-value';
import { useI18n } from '../../client/i18n/i18n-provider';
import {
  DEFAULT_JOB_PAGE_SIZE,
  DEFAULT_JOB_SORT,
  formatTotal,
  JOB_PAGE_SIZES,
  JOB_REQUEST_LIMIT,
  jobListInput,
  nextPageStart,
  type JobListFilter,
  type JobPageSize,
  type JobSortField,
  type PageStart,
} from '../../client/list-inputs';
import { useCanWrite } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { JOB_STATUS_VALUES, type JobListItem, type JobStatusValue } from '../../client/types';
import { LazyChangeLanguageDialog, LazyConfirmDialog } from '../lazy';
import { useNow } from '../workers/use-now';
import { jobDuration } from './job-format';

/** Past this many loaded rows only the visible ones are in the DOM. */
export const VIRTUALIZE_AFTER = 200;
const ROW_HEIGHT = 53;
const ITEM_HEIGHT = 122;

/**
 * The loaded jobs of one filter: `wanted` rows in requests of at most JOB_REQUEST_LIMIT, each
 * starting where the one before ended (the server's cursor). Every request is its own query, so
 * live updates refetch exactly the loaded pages and the server-prefetched first page is reused.
 */
function useLoadedJobs(filter: JobListFilter, wanted: number, chunk: number, refetchInterval: number | false) {
  const utils = trpc.useUtils();
  const starts: PageStart[] = [{}];
  // The next request's cursor is known once the one before answered (re-rendered by useQueries).
  while (starts.length * chunk < wanted) {
    const last = starts[starts.length - 1] ?? {};
    const answer = utils.job.list.getData(jobListInput(filter, chunk, last));
    const next = answer ? nextPageStart(answer) : null;
    if (!next) break;
    starts.push(next);
  }
  const pages = trpc.useQueries((q) =>
    starts.map((start) =>
      q.job.list(jobListInput(filter, chunk, start), { refetchInterval, placeholderData: (previous) => previous }),
    ),
  );
  const first = pages[0];
  const last = pages[pages.length - 1];
  const jobs = useConcatenated(pages.map((page) => page?.data?.jobs));
  return {
    first,
    jobs,
    loading: pages.some((page) => page?.isPending || page?.isPlaceholderData),
    moreError: pages.slice(1).find((page) => page?.isError)?.error,
    hasMore: !!last?.data && nextPageStart(last.data) !== null,
  };
}

/** The rows of all pages, each job once; the same array while no page changed (the table keeps its rows). */
function useConcatenated(pages: (JobListItem[] | undefined)[]): JobListItem[] {
  const memo = useRef<{ pages: (JobListItem[] | undefined)[]; rows: JobListItem[] } | null>(null);
  const previous = memo.current;
  if (previous && previous.pages.length === pages.length && previous.pages.every((page, i) => page === pages[i])) {
    return previous.rows;
  }
  const seen = new Set<string>();
  const rows: JobListItem[] = [];
  for (const job of pages.flatMap((page) => page ?? [])) {
    // A job that moved between two pages while they refetched is shown once.
    if (!seen.has(job.job_id)) rows.push(job);
    seen.add(job.job_id);
  }
  memo.current = { pages, rows };
  return rows;
}

/** The visible slice of `count` rows inside `scrollElement`, or everything when not `enabled`. */
function useRowWindow(count: number, enabled: boolean, estimateSize: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer: Virtualizer<HTMLDivElement, Element> = useVirtualizer({
    count,
    enabled,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    overscan: 12,
  });
  const items = enabled ? virtualizer.getVirtualItems() : [];
  const slice = enabled
    ? {
        indexes: items.map((item) => item.index),
        before: items[0]?.start ?? 0,
        after: items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0,
      }
    : { indexes: Array.from({ length: count }, (_, i) => i), before: 0, after: 0 };
  return { scrollRef, measure: enabled ? virtualizer.measureElement : undefined, ...slice };
}

function ProgressCell({ job }: { job: JobListItem }) {
  const percent = job.status === 'completed' ? 100 : (job.progress?.percent ?? 0);
  return (
    <div className="flex min-w-28 flex-col gap-1">
      <Progress value={percent} aria-label={`${job.job_name}: ${percent}%`} className="h-1.5" />
      <span className="text-muted-foreground truncate text-xs">
        {percent}%{job.progress?.step && job.status === 'processing' ? ` · ${job.progress.step}` : ''}
      </span>
    </div>
  );
}

/**
 * The jobs of one batch: server-side filter, search and sort; pages load and accumulate ("Load
 * more"), and past VIRTUALIZE_AFTER rows only the visible rows are rendered. Selection for bulk actions.
 */
export function JobTable({
  batchId,
  refetchInterval,
  onOpenJob,
}: {
  batchId: string;
  refetchInterval: number | false;
  onOpenJob: (jobId: string) => void;
}) {
  const { t, locale, formatDateTime } = useI18n();
  // Running jobs' durations: read after hydration, then every 15 s.
  const now = useNow(15_000);
  const canWrite = useCanWrite();
  const invalidate = useInvalidateAll();
  const [status, setStatus] = useState<JobStatusValue | 'all'>('all');
  const [search, setSearch] = useState('');
  const [pageSize, setPageSize] = useState<JobPageSize>(DEFAULT_JOB_PAGE_SIZE);
  const [loads, setLoads] = useState(1);
  const [sorting, setSorting] = useState<SortingState>([
    { id: DEFAULT_JOB_SORT.field, desc: DEFAULT_JOB_SORT.direction === 'desc' },
  ]);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [dialog, setDialog] = useState<null | 'delete' | 'language'>(null);
  const [bulkPending, setBulkPending] = useState(false);
  const query = useDebouncedValue(search.trim(), 300);
  const sort = sorting[0] ?? { id: DEFAULT_JOB_SORT.field, desc: false };
  const filter: JobListFilter = {
    batchId,
    status: status === 'all' ? undefined : status,
    search: query,
    sort: { field: sort.id as JobSortField, direction: sort.desc ? 'desc' : 'asc' },
  };
  const loaded = useLoadedJobs(filter, pageSize * loads, Math.min(pageSize, JOB_REQUEST_LIMIT), refetchInterval);
  const jobs = loaded.first;
  const resetLoads = () => setLoads(1);
  const restart = trpc.job.restart.useMutation();
  const remove = trpc.job.delete.useMutation();

  const columns = useMemo<ColumnDef<JobListItem>[]>(() => {
    const sortHeader = (label: string) =>
      function SortHeader({ column }: { column: { getIsSorted: () => false | 'asc' | 'desc'; toggleSorting: (desc?: boolean) => void } }) {
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
        header: ({ table }) => (
          <Checkbox
            aria-label={t.jobs.selectAll}
            checked={table.getIsAllPageRowsSelected() ? true : table.getIsSomePageRowsSelected() ? 'indeterminate' : false}
            onCheckedChange={(value) => table.toggleAllPageRowsSelected(value === true)}
          />
        ),
        cell: ({ row }) => (
          <Checkbox
            aria-label={t.jobs.selectRow(row.original.job_name)}
            checked={row.getIsSelected()}
            onCheckedChange={(value) => row.toggleSelected(value === true)}
          />
        ),
      });
    }
    return list;
  }, [t, canWrite, formatDateTime, onOpenJob, now]);

  const table = useReactTable({
    data: loaded.jobs,
    columns,
    getRowId: (row) => row.job_id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    rowCount: jobs?.data?.total ?? 0,
    state: { sorting, rowSelection },
    onSortingChange: (updater) => {
      setSorting(updater);
      resetLoads();
    },
    onRowSelectionChange: setRowSelection,
    enableRowSelection: canWrite,
  });

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const rows = table.getRowModel().rows;
  const virtual = rows.length > VIRTUALIZE_AFTER;
  const tableWindow = useRowWindow(rows.length, virtual, ROW_HEIGHT);
  const listWindow = useRowWindow(rows.length, virtual, ITEM_HEIGHT);

  const runBulk = async (action: (id: string) => Promise<unknown>, message: (ok: number, failed: number) => string) => {
    setBulkPending(true);
    let ok = 0;
    let failed = 0;
    let lastError: unknown;
    for (const id of selectedIds) {
      try {
        await action(id);
        ok += 1;
      } catch (error) {
        failed += 1;
        lastError = error;
      }
    }
    setBulkPending(false);
    setRowSelection({});
    void invalidate();
    if (failed > 0) toast.error(`${message(ok, failed)}: ${errorMessage(lastError, t)}`);
    else toast.success(message(ok, failed));
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <div className="relative flex-1">
          <SearchIcon
            aria-hidden="true"
            className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2"
          />
          <Input
            type="search"
            className="pl-8"
            aria-label={t.jobs.searchPlaceholder}
            placeholder={t.jobs.searchPlaceholder}
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              resetLoads();
            }}
          />
        </div>
        <Select
          value={status}
          onValueChange={(value) => {
            setStatus(value as JobStatusValue | 'all');
            resetLoads();
          }}
        >
          <SelectTrigger className="sm:w-48" aria-label={t.jobs.filterStatus}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">{t.status.all}</SelectItem>
            {JOB_STATUS_VALUES.map((value) => (
              <SelectItem key={value} value={value}>
                {t.status[value]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>

      {canWrite && selectedIds.length > 0 ? (
        <div
          role="toolbar"
          aria-label={t.jobs.selected(selectedIds.length)}
          className="bg-muted/50 flex flex-wrap items-center gap-2 rounded-md border px-3 py-2"
        >
          <span className="text-sm font-medium">{t.jobs.selected(selectedIds.length)}</span>
          <Button
            size="sm"
            variant="outline"
            disabled={bulkPending}
            onClick={() => void runBulk((job_id) => restart.mutateAsync({ job_id }), t.jobs.bulkRestarted)}
          >
            <RotateCcwIcon aria-hidden="true" />
            {t.jobs.restartSelected}
          </Button>
          <Button size="sm" variant="outline" disabled={bulkPending} onClick={() => setDialog('language')}>
            <LanguagesIcon aria-hidden="true" />
            {t.jobs.languageSelected}
          </Button>
          <Button
            size="sm"
            variant="outline"
            className="text-destructive"
            disabled={bulkPending}
            onClick={() => setDialog('delete')}
          >
            <Trash2Icon aria-hidden="true" />
            {t.jobs.deleteSelected}
          </Button>
        </div>
      ) : null}

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
          {/* Wide screens: the table. Past VIRTUALIZE_AFTER rows it scrolls in its own box, whose
              height must not depend on its (windowed) content. */}
          <div
            ref={tableWindow.scrollRef}
            className={cn('hidden rounded-md border md:block', virtual && 'h-[70vh] overflow-y-auto')}
            data-testid="job-table-scroll"
          >
            <Table aria-label={t.jobs.title} aria-rowcount={rows.length + 1}>
              <TableHeader>
                {table.getHeaderGroups().map((group) => (
                  <TableRow key={group.id} aria-rowindex={1}>
                    {group.headers.map((header) => (
                      <TableHead
                        key={header.id}
                        aria-sort={
                          header.column.getIsSorted() === 'asc'
                            ? 'ascending'
                            : header.column.getIsSorted() === 'desc'
                              ? 'descending'
                              : undefined
                        }
                      >
                        {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                      </TableHead>
                    ))}
                  </TableRow>
                ))}
              </TableHeader>
              <TableBody>
                {tableWindow.before > 0 ? <tr aria-hidden="true" style={{ height: tableWindow.before }} /> : null}
                {tableWindow.indexes.map((index) => {
                  const row = rows[index];
                  if (!row) return null;
                  return (
                    <TableRow
                      key={row.id}
                      ref={tableWindow.measure}
                      data-index={index}
                      aria-rowindex={index + 2}
                      data-state={row.getIsSelected() ? 'selected' : undefined}
                      data-testid="job-row"
                    >
                      {row.getVisibleCells().map((cell) => (
                        <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
                      ))}
                    </TableRow>
                  );
                })}
                {tableWindow.after > 0 ? <tr aria-hidden="true" style={{ height: tableWindow.after }} /> : null}
              </TableBody>
            </Table>
          </div>
          {/* Narrow screens: a list. */}
          <div ref={listWindow.scrollRef} className={cn('md:hidden', virtual && 'h-[75vh] overflow-y-auto')}>
            <ul
              className="flex flex-col"
              aria-label={t.jobs.title}
              style={{ paddingTop: listWindow.before, paddingBottom: listWindow.after }}
            >
              {listWindow.indexes.map((index) => {
                const row = rows[index];
                if (!row) return null;
                const job = row.original;
                return (
                  <li key={row.id} ref={listWindow.measure} data-index={index} className="pb-2" data-testid="job-item">
                    <div className="flex flex-col gap-2 rounded-md border p-3">
                      <div className="flex items-start gap-2">
                        {canWrite ? (
                          <Checkbox
                            className="mt-0.5"
                            aria-label={t.jobs.selectRow(job.job_name)}
                            checked={row.getIsSelected()}
                            onCheckedChange={(value) => row.toggleSelected(value === true)}
                          />
                        ) : null}
                        <button
                          type="button"
                          className="focus-visible:ring-ring/50 min-w-0 flex-1 rounded-sm text-left text-sm font-medium break-words outline-none focus-visible:ring-[3px]"
                          onClick={() => onOpenJob(job.job_id)}
                          aria-label={t.jobs.open(job.job_name)}
                        >
                          {job.job_name}
                        </button>
                        <StatusBadge status={job.status} label={t.status[job.status]} />
                      </div>
                      <ProgressCell job={job} />
                      <p className="text-muted-foreground flex flex-wrap gap-x-3 text-xs">
                        <span className="font-mono">
                          {job.parameters.source_language} → {job.parameters.target_language}
                        </span>
                        <span>
                          {t.jobs.attempts}: {job.attempts}/{job.max_attempts}
                        </span>
                        <span>
                          {t.jobs.duration}: {jobDuration(job, now)}
                        </span>
                        {job.lease ? <span>{job.lease.worker_id}</span> : null}
                      </p>
                    </div>
                  </li>
                );
              })}
            </ul>
          </div>
        </>
      )}

      {jobs?.data && rows.length > 0 ? (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="text-muted-foreground text-sm" data-testid="jobs-loaded">
            {t.jobs.loaded(rows.length, formatTotal(jobs.data, locale))}
          </span>
          <div className="flex flex-wrap items-center gap-2">
            {loaded.moreError ? (
              <span className="text-destructive text-sm" role="alert">
                {t.jobs.loadMoreError}
              </span>
            ) : null}
            <Label htmlFor="job-page-size" className="text-muted-foreground text-sm font-normal">
              {t.jobs.perPage}
            </Label>
            <Select
              value={String(pageSize)}
              onValueChange={(value) => {
                setPageSize(Number(value) as JobPageSize);
                resetLoads();
              }}
            >
              <SelectTrigger id="job-page-size" size="sm" className="w-24">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {JOB_PAGE_SIZES.map((size) => (
                  <SelectItem key={size} value={String(size)}>
                    {size}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            {loaded.hasMore || loaded.loading ? (
              <Button variant="outline" size="sm" disabled={loaded.loading} onClick={() => setLoads((n) => n + 1)}>
                {loaded.loading ? <Loader2Icon aria-hidden="true" className="animate-spin" /> : null}
                {loaded.loading ? t.jobs.loading : t.jobs.loadMore}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}

      <LazyConfirmDialog
        open={dialog === 'delete'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.jobs.deleteSelectedTitle(selectedIds.length)}
        description={t.jobs.deleteSelectedDescription}
        confirmLabel={t.common.delete}
        cancelLabel={t.common.cancel}
        destructive
        onConfirm={() => runBulk((job_id) => remove.mutateAsync({ job_id }), t.jobs.bulkDeleted)}
      />
      {dialog === 'language' ? (
        <LazyChangeLanguageDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          target={{ kind: 'jobs', jobIds: selectedIds }}
          onDone={() => setRowSelection({})}
        />
      ) : null}
    </div>
  );
}
