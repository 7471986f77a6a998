'use client';

import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { FilterXIcon, Loader2Icon, RefreshCwIcon, ScrollTextIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  Button,
  EmptyState,
  Input,
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
import { useDebouncedValue } from '../../client/hooks/use-debounced-value';
import { useFetchingShown } from '../../client/hooks/use-hydrated';
import { useI18n } from '../../client/i18n/i18n-provider';
import { trpc } from '../../client/trpc';
import { AdminPageHeader } from '../admin/admin-nav';
import { AuditActionName, AuditActor, AuditTarget, type AuditEvent } from './audit-event';

const PAGE_SIZE = 25;
const ALL = 'all';
type ActionFilter = AuditEvent['action'] | typeof ALL;

/** A `datetime-local` value (browser time zone) as a Date; blank or invalid -> undefined. */
function localDate(value: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

interface Filters {
  action: ActionFilter;
  userId: string;
  targetId: string;
  since: string;
  until: string;
}

/** /admin/audit: every recorded change, newest first, filtered by action, actor, object and time. */
export function AuditLog() {
  const { t, formatDateTime } = useI18n();
  const searchParams = useSearchParams();
  const initial: Filters = {
    action: ALL,
    userId: searchParams.get('user_id') ?? '',
    targetId: searchParams.get('target_id') ?? '',
    since: '',
    until: '',
  };
  const [filters, setFilters] = useState<Filters>(initial);
  const [page, setPage] = useState(0);
  const userId = useDebouncedValue(filters.userId.trim(), 300);
  const targetId = useDebouncedValue(filters.targetId.trim(), 300);
  const since = localDate(filters.since);
  const until = localDate(filters.until);
  const rangeInvalid = since !== undefined && until !== undefined && since >= until;

  const list = trpc.audit.list.useQuery(
    {
      action: filters.action === ALL ? undefined : filters.action,
      user_id: userId || undefined,
      target_id: targetId || undefined,
      since,
      until,
      limit: PAGE_SIZE,
      skip: page * PAGE_SIZE,
    },
    { enabled: !rangeInvalid, placeholderData: (previous) => previous },
  );
  const refreshing = useFetchingShown(list.isFetching);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  const set = (patch: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setPage(0);
  };
  const filtered =
    filters.action !== ALL || filters.userId || filters.targetId || filters.since || filters.until;

  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader
        title={t.audit.title}
        description={t.audit.description}
        action={
          <Button
            variant="outline"
            size="icon"
            aria-label={t.dashboard.refreshNow}
            title={t.dashboard.refreshNow}
            disabled={refreshing}
            onClick={() => void list.refetch()}
          >
            {refreshing ? (
              <Loader2Icon aria-hidden="true" className="animate-spin" />
            ) : (
              <RefreshCwIcon aria-hidden="true" />
            )}
          </Button>
        }
      />

      <fieldset className="grid grid-cols-1 gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto] lg:items-end">
        <legend className="px-1 text-sm font-medium">{t.audit.filters}</legend>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-action">{t.audit.action}</Label>
          <Select value={filters.action} onValueChange={(value) => set({ action: value as ActionFilter })}>
            <SelectTrigger id="audit-action" className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL}>{t.audit.allActions}</SelectItem>
              {(Object.keys(t.audit.actions) as AuditEvent['action'][]).map((action) => (
                <SelectItem key={action} value={action}>
                  {t.audit.actions[action]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-user">{t.audit.userId}</Label>
          <Input id="audit-user" value={filters.userId} onChange={(e) => set({ userId: e.target.value })} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-target">{t.audit.targetId}</Label>
          <Input
            id="audit-target"
            value={filters.targetId}
            onChange={(e) => set({ targetId: e.target.value })}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-since">{t.audit.since}</Label>
          <Input
            id="audit-since"
            type="datetime-local"
            value={filters.since}
            onChange={(e) => set({ since: e.target.value })}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-until">{t.audit.until}</Label>
          <Input
            id="audit-until"
            type="datetime-local"
            value={filters.until}
            aria-invalid={rangeInvalid || undefined}
            onChange={(e) => set({ until: e.target.value })}
          />
        </div>
        <Button
          variant="ghost"
          disabled={!filtered}
          onClick={() => set({ action: ALL, userId: '', targetId: '', since: '', until: '' })}
        >
          <FilterXIcon aria-hidden="true" />
          {t.audit.reset}
        </Button>
      </fieldset>

      <section aria-label={t.audit.title} aria-busy={list.isPending} className="flex flex-col gap-3">
        {rangeInvalid ? (
          <Alert variant="destructive">
            <AlertDescription>{t.audit.rangeInvalid}</AlertDescription>
          </Alert>
        ) : list.isPending ? (
          <Skeleton className="h-48 w-full" />
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertDescription>
              <p>{t.audit.loadError}</p>
              <p>{errorMessage(list.error, t)}</p>
            </AlertDescription>
          </Alert>
        ) : list.data.events.length === 0 ? (
          <EmptyState icon={<ScrollTextIcon aria-hidden="true" />} title={t.audit.empty} />
        ) : (
          <>
            <p className="text-muted-foreground text-sm" aria-live="polite">
              {t.audit.total(list.data.total)}
            </p>
            <div className="overflow-x-auto rounded-md border">
              <Table aria-label={t.audit.title}>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t.audit.time}</TableHead>
                    <TableHead>{t.audit.actor}</TableHead>
                    <TableHead>{t.audit.action}</TableHead>
                    <TableHead>{t.audit.target}</TableHead>
                    <TableHead className="text-right">{t.audit.count}</TableHead>
                    <TableHead>{t.audit.reason}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.data.events.map((event) => (
                    <TableRow key={event.event_id} className="align-top">
                      <TableCell className="text-xs whitespace-nowrap">
                        <time dateTime={new Date(event.at).toISOString()}>{formatDateTime(event.at)}</time>
                      </TableCell>
                      <TableCell>
                        <AuditActor actor={event.actor} />
                      </TableCell>
                      <TableCell>
                        <AuditActionName action={event.action} />
                      </TableCell>
                      <TableCell className="max-w-56">
                        <AuditTarget target={event.target} />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{event.count}</TableCell>
                      <TableCell className="max-w-72 text-sm break-words whitespace-normal">
                        {event.reason ?? <span className="text-muted-foreground">{t.common.none}</span>}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </>
        )}
      </section>

      {list.data && list.data.total > PAGE_SIZE ? (
        <nav
          aria-label={t.common.pageOf(page + 1, pages)}
          className="flex items-center justify-between gap-2"
        >
          <Button variant="outline" size="sm" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
            {t.common.previous}
          </Button>
          <span className="text-muted-foreground text-sm">{t.common.pageOf(page + 1, pages)}</span>
          <Button
            variant="outline"
            size="sm"
            disabled={page + 1 >= pages}
            onClick={() => setPage((p) => p + 1)}
          >
            {t.common.next}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}
