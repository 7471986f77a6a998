'use client';

import Link from 'next/link';
import { useState } from 'react';
import {
  AlertTriangleIcon,
  ClockIcon,
  InboxIcon,
  LanguagesIcon,
  LayoutListIcon,
  Loader2Icon,
  PlusIcon,
  RefreshCwIcon,
  SearchIcon,
  TableIcon,
} from 'lucide-react';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Badge,
  Button,
  EmptyState,
  Input,
  Label,
  Switch,
  Tabs,
  TabsContent,
  TabsList,
  TabsTrigger,
  toast,
  ToggleGroup,
  ToggleGroupItem,
} from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useInvalidateAll } from '../../client/hooks/use-invalidate-all';
import { useFetchingShown } from '../../client/hooks/use-hydrated';
import { useDebouncedValue } from '../../client/hooks/use-debounced-value';
import { choiceParam, useUrlSearch, useUrlState } from '../../client/hooks/use-url-state';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useCanWrite } from '../../client/session-context';
import { useLiveUpdates } from '../../client/hooks/use-live-updates';
import { BATCH_PAGE_SIZE, batchListInput, formatTotal, nextPageStart, type ListPage, type PageStart } from '../../client/list-inputs';
import { trpc } from '../../client/trpc';
import { LazyChangeLanguageDialog, LazyConfirmDialog } from '../lazy';
import { LazyBulkActionDialog } from './lazy-bulk-action-dialog';
import { ReasonField, reasonOf } from './reason-field';
import { LiveIndicator } from './live-indicator';
import { BatchCard, BatchCardSkeleton } from './batch-card';
import { NoWorkerBanner } from '../workers/no-worker-banner';
import { PausedTypesNotice } from '../flow/paused-types-notice';
import { OverviewStrip } from './overview-strip';
import { BatchTable, type BatchSort } from './batch-table/batch-table';
import { BATCH_SORT_FIELDS, type BatchSortField } from './batch-table/batch-eta';

const AUTO_REFRESH_MS = 10_000;
const TABS = ['current', 'archive'] as const;
const VIEWS = ['cards', 'table'] as const;

/** The table's sort from the URL (`sort`, `dir`), or null for the server's order (newest first). */
function sortParam(field: string | null, direction: string | null): BatchSort | null {
  if (!(BATCH_SORT_FIELDS as readonly (string | null)[]).includes(field)) return null;
  return { field: field as BatchSortField, direction: direction === 'desc' ? 'desc' : 'asc' };
}

function BulkActions() {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [dialog, setDialogState] = useState<null | 'fail' | 'pending' | 'language'>(null);
  const [reason, setReason] = useState('');
  const setDialog = (next: null | 'fail' | 'pending' | 'language') => {
    setReason('');
    setDialogState(next);
  };
  const pendingPreview = trpc.batch.previewSetAllPending.useQuery(undefined, {
    enabled: dialog === 'pending',
    staleTime: 0,
  });
  const onError = (error: unknown) => toast.error(errorMessage(error, t));
  const setAllPending = trpc.batch.setAllPending.useMutation({
    onSuccess: (result) => {
      toast.success(t.dashboard.setAllPendingDone(result.jobs));
      void invalidate();
    },
    onError,
  });

  return (
    <>
      <Button variant="destructive" onClick={() => setDialog('fail')}>
        <AlertTriangleIcon aria-hidden="true" />
        {t.dashboard.failAll}
      </Button>
      <Button variant="outline" onClick={() => setDialog('pending')}>
        <ClockIcon aria-hidden="true" />
        {t.dashboard.setAllPending}
      </Button>
      <Button variant="outline" onClick={() => setDialog('language')}>
        <LanguagesIcon aria-hidden="true" />
        {t.dashboard.changeLanguageAll}
      </Button>
      <LazyChangeLanguageDialog
        open={dialog === 'language'}
        onOpenChange={(open) => !open && setDialog(null)}
        target={{ kind: 'all' }}
      />
      {dialog === 'fail' ? (
        // Scoped: the unfinished jobs of the caller's own current batches (an admin's too), listed
        // by batch and owner before it runs; beyond one batch the phrase is typed.
        <LazyBulkActionDialog
          action="fail"
          selection={{}}
          title={t.bulk.failAllTitle}
          open
          onOpenChange={(open) => !open && setDialog(null)}
        />
      ) : null}
      <LazyConfirmDialog
        open={dialog === 'pending'}
        onOpenChange={(open) => !open && setDialog(null)}
        title={t.dashboard.setAllPendingTitle}
        description={
          pendingPreview.data
            ? t.dashboard.setAllPendingDescription(pendingPreview.data.batches, pendingPreview.data.jobs)
            : t.dashboard.counting
        }
        confirmLabel={t.dashboard.setAllPendingConfirm}
        cancelLabel={t.common.cancel}
        pending={pendingPreview.isFetching}
        onConfirm={() => setAllPending.mutateAsync({ reason: reasonOf(reason) })}
      >
        <ReasonField id="set-all-pending-reason" value={reason} onChange={setReason} />
      </LazyConfirmDialog>
    </>
  );
}

/** /event-monitor: the batches, current and archived, with the operator's controls. */
export function Dashboard() {
  const { t, locale } = useI18n();
  const canWrite = useCanWrite();
  const invalidate = useInvalidateAll();
  const [autoRefresh, setAutoRefresh] = useState(false);
  // The view lives in the URL (reload and a copied link restore it): `tab`, `q` and `pages`, the
  // cursors (from the server) of the pages up to the one shown, so Previous works after a reload too.
  const { params, set } = useUrlState();
  const tab = choiceParam(params.get('tab'), TABS, 'current');
  // Cards or the compact table, and the table's sort, in the URL like the rest of the view.
  const view = choiceParam(params.get('view'), VIEWS, 'cards');
  const sort = sortParam(params.get('sort'), params.get('dir'));
  const search = useUrlSearch('q', { pages: null });
  const cursors = (params.get('pages') ?? '').split('.').filter((cursor) => /^[A-Za-z0-9_-]{1,512}$/.test(cursor));
  const starts: PageStart[] = [{}, ...cursors.map((cursor) => ({ cursor }))];
  const page = starts.length - 1;
  const setStarts = (update: (starts: PageStart[]) => PageStart[]) => {
    const next = update(starts).slice(1).map((start) => start.cursor ?? '');
    set({ pages: next.length > 0 ? next.join('.') : null });
  };
  const query = useDebouncedValue(search.value, 300);
  const live = useLiveUpdates();
  // The concept's 10 s auto-refresh: on demand, and by itself while live updates are unavailable.
  const refetchInterval = autoRefresh || live !== 'live' ? AUTO_REFRESH_MS : false;

  const tabs = trpc.batch.tabs.useQuery(undefined, { refetchInterval });
  const start = starts[page] ?? {};
  const list = trpc.batch.list.useQuery(batchListInput({ archived: tab === 'archive', search: query, start }), {
    refetchInterval,
    placeholderData: (previous) => previous,
  });
  const listPage: ListPage | undefined = list.data;
  const next = listPage ? nextPageStart(listPage) : null;
  const pagesCount = listPage ? Math.max(1, Math.ceil(listPage.total / BATCH_PAGE_SIZE)) : 1;
  // A capped total ("10,000+") gives no last page number.
  const pages = listPage?.total_exact === false ? `${pagesCount}+` : pagesCount;
  const refreshing = useFetchingShown(list.isFetching, tabs.isFetching);

  const changeTab = (value: string) => set({ tab: value === 'archive' ? 'archive' : null, pages: null });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.dashboard.title}</h1>
          <p className="text-muted-foreground text-sm">{t.dashboard.subtitle}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {canWrite ? (
            <>
              <Button asChild>
                <Link href="/event-monitor/create-batch">
                  <PlusIcon aria-hidden="true" />
                  {t.dashboard.createBatch}
                </Link>
              </Button>
              <BulkActions />
            </>
          ) : null}
          <LiveIndicator state={live} />
          <div className="flex items-center gap-2 px-1">
            <Switch id="auto-refresh" checked={autoRefresh} onCheckedChange={setAutoRefresh} />
            <Label htmlFor="auto-refresh" className="font-normal whitespace-nowrap">
              {t.dashboard.autoRefresh}
            </Label>
          </div>
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

      <NoWorkerBanner />
      <PausedTypesNotice />
      <OverviewStrip refetchInterval={refetchInterval} />

      {/* The tab list and its panel in one Tabs, so each trigger's aria-controls names a panel that exists. */}
      <Tabs value={tab} onValueChange={changeTab} className="gap-6">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <TabsList>
            <TabsTrigger value="current">
              {t.dashboard.tabCurrent}
              <Badge variant="secondary" className="ml-1 tabular-nums">
                {tabs.data?.current ?? '…'}
              </Badge>
            </TabsTrigger>
            <TabsTrigger value="archive">
              {t.dashboard.tabArchive}
              <Badge variant="secondary" className="ml-1 tabular-nums">
                {tabs.data?.archived ?? '…'}
              </Badge>
            </TabsTrigger>
          </TabsList>
        <div className="flex flex-wrap items-center gap-2">
        <ToggleGroup
          type="single"
          variant="outline"
          value={view}
          onValueChange={(value) => {
            // Radix sends '' when the pressed item is clicked again: the view stays.
            if (value) set({ view: value === 'table' ? 'table' : null });
          }}
          aria-label={t.batchTable.view}
          data-testid="view-toggle"
        >
          <ToggleGroupItem value="cards" className="px-3">
            <LayoutListIcon aria-hidden="true" />
            {t.batchTable.cards}
          </ToggleGroupItem>
          <ToggleGroupItem value="table" className="px-3">
            <TableIcon aria-hidden="true" />
            {t.batchTable.table}
          </ToggleGroupItem>
        </ToggleGroup>
        <div className="relative w-full sm:w-72">
          <SearchIcon
            aria-hidden="true"
            className="text-muted-foreground pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2"
          />
          <Input
            type="search"
            aria-label={t.dashboard.searchPlaceholder}
            placeholder={t.dashboard.searchPlaceholder}
            className="pl-8"
            value={search.text}
            onChange={(event) => search.change(event.target.value)}
          />
        </div>
        </div>
      </div>

      <TabsContent value={tab} aria-busy={list.isPending}>
        {list.isPending ? (
          <div className="flex flex-col gap-4">
            <BatchCardSkeleton />
            <BatchCardSkeleton />
            <BatchCardSkeleton />
          </div>
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertTriangleIcon aria-hidden="true" />
            <AlertTitle>{t.dashboard.loadError}</AlertTitle>
            <AlertDescription>
              <p>{errorMessage(list.error, t)}</p>
              <Button variant="outline" size="sm" className="mt-2" onClick={() => void list.refetch()}>
                {t.common.retry}
              </Button>
            </AlertDescription>
          </Alert>
        ) : list.data.batches.length === 0 ? (
          <EmptyState
            icon={<InboxIcon aria-hidden="true" />}
            title={query ? t.dashboard.emptySearch : tab === 'archive' ? t.dashboard.emptyArchive : t.dashboard.emptyCurrent}
            description={!query && tab === 'current' && canWrite ? t.dashboard.emptyCurrentHint : undefined}
            action={
              !query && tab === 'current' && canWrite ? (
                <Button asChild>
                  <Link href="/event-monitor/create-batch">
                    <PlusIcon aria-hidden="true" />
                    {t.dashboard.createBatch}
                  </Link>
                </Button>
              ) : undefined
            }
          />
        ) : view === 'table' ? (
          <BatchTable
            batches={list.data.batches}
            sort={sort}
            onSort={(next) => set({ sort: next.field, dir: next.direction === 'desc' ? 'desc' : null })}
          />
        ) : (
          <div className="flex flex-col gap-4">
            {list.data.batches.map((batch) => (
              <BatchCard key={batch.batch_id} batch={batch} />
            ))}
          </div>
        )}
      </TabsContent>
      </Tabs>

      {list.data && (page > 0 || next) ? (
        <nav aria-label={t.common.pageOf(page + 1, pages)} className="flex items-center justify-between gap-2">
          <Button variant="outline" size="sm" disabled={page === 0} onClick={() => setStarts((s) => s.slice(0, -1))}>
            {t.common.previous}
          </Button>
          <span className="text-muted-foreground text-sm">
            {t.common.pageOf(page + 1, pages)} · {t.dashboard.batchCount(formatTotal(list.data, locale))}
          </span>
          <Button
            variant="outline"
            size="sm"
            disabled={!next || list.isPlaceholderData}
            onClick={() => next && setStarts((s) => [...s, next])}
          >
            {t.common.next}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
