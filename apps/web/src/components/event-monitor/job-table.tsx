'use client';

import { useMemo, useState } from 'react';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon, LanguagesIcon, RotateCcwIcon, SearchIcon, Trash2Icon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  Checkbox,
  ConfirmDialog,
  EmptyState,
  Input,
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
import { useDebouncedValue } from '../../client/hooks/use-debounced-value';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useCanWrite } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { JOB_STATUS_VALUES, type JobListItem, type JobStatusValue } from '../../client/types';
import { useInvalidateAll } from './batch-actions';
import { ChangeLanguageDialog } from './change-language-dialog';
import { jobDuration } from './job-format';

const PAGE_SIZE = 25;
/** The columns the server can sort by (the column ids are the sort fields). */
type SortField = 'job_name' | 'status' | 'created_at';

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

/** The jobs of one batch: server-side filter, search, sort and pagination; selection for bulk actions. */
export function JobTable({
  batchId,
  refetchInterval,
  onOpenJob,
}: {
  batchId: string;
  refetchInterval: number | false;
  onOpenJob: (jobId: string) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const canWrite = useCanWrite();
  const invalidate = useInvalidateAll();
  const [status, setStatus] = useState<JobStatusValue | 'all'>('all');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'created_at', desc: false }]);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [dialog, setDialog] = useState<null | 'delete' | 'language'>(null);
  const [bulkPending, setBulkPending] = useState(false);
  const query = useDebouncedValue(search.trim(), 300);
  const sort = sorting[0] ?? { id: 'created_at', desc: false };

  const jobs = trpc.job.list.useQuery(
    {
      batch_id: batchId,
      status: status === 'all' ? undefined : status,
      search: query || undefined,
      sort: { field: sort.id as SortField, direction: sort.desc ? 'desc' : 'asc' },
      limit: PAGE_SIZE,
      skip: page * PAGE_SIZE,
    },
    { refetchInterval, placeholderData: (previous) => previous },
  );
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
      { id: 'duration', header: t.jobs.duration, cell: ({ row }) => <span className="tabular-nums">{jobDuration(row.original)}</span> },
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
  }, [t, canWrite, formatDateTime, onOpenJob]);

  const table = useReactTable({
    data: jobs.data?.jobs ?? [],
    columns,
    getRowId: (row) => row.job_id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    rowCount: jobs.data?.total ?? 0,
    state: { sorting, rowSelection },
    onSortingChange: (updater) => {
      setSorting(updater);
      setPage(0);
    },
    onRowSelectionChange: setRowSelection,
    enableRowSelection: canWrite,
  });

  const selectedIds = Object.keys(rowSelection).filter((id) => rowSelection[id]);
  const total = jobs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

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
              setPage(0);
            }}
          />
        </div>
        <Select
          value={status}
          onValueChange={(value) => {
            setStatus(value as JobStatusValue | 'all');
            setPage(0);
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

      {jobs.isPending ? (
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
      ) : jobs.data.jobs.length === 0 ? (
        <EmptyState title={t.jobs.empty} />
      ) : (
        <>
          {/* Wide screens: the table. */}
          <div className="hidden rounded-md border md:block">
            <Table aria-label={t.jobs.title}>
              <TableHeader>
                {table.getHeaderGroups().map((group) => (
                  <TableRow key={group.id}>
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
                {table.getRowModel().rows.map((row) => (
                  <TableRow key={row.id} data-state={row.getIsSelected() ? 'selected' : undefined} data-testid="job-row">
                    {row.getVisibleCells().map((cell) => (
                      <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {/* Narrow screens: a list. */}
          <ul className="flex flex-col gap-2 md:hidden" aria-label={t.jobs.title}>
            {table.getRowModel().rows.map((row) => {
              const job = row.original;
              return (
                <li key={row.id} className="flex flex-col gap-2 rounded-md border p-3" data-testid="job-item">
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
                      {t.jobs.duration}: {jobDuration(job)}
                    </span>
                    {job.lease ? <span>{job.lease.worker_id}</span> : null}
                  </p>
                </li>
              );
            })}
          </ul>
        </>
      )}

      {total > 0 ? (
        <div className="flex items-center justify-between gap-2">
          <span className="text-muted-foreground text-sm">
            {t.common.shown(page * PAGE_SIZE + 1, Math.min(total, (page + 1) * PAGE_SIZE), total)}
          </span>
          <div className="flex items-center gap-2">
            <Button variant="outline" size="sm" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
              {t.common.previous}
            </Button>
            <span className="text-muted-foreground text-sm">{t.common.pageOf(page + 1, pages)}</span>
            <Button variant="outline" size="sm" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
              {t.common.next}
            </Button>
          </div>
        </div>
      ) : null}

      <ConfirmDialog
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
        <ChangeLanguageDialog
          open
          onOpenChange={(open) => !open && setDialog(null)}
          target={{ kind: 'jobs', jobIds: selectedIds }}
          onDone={() => setRowSelection({})}
        />
      ) : null}
    </div>
  );
}
