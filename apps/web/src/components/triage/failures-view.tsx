'use client';

import { useState } from 'react';
import { AlertTriangleIcon, ListIcon, RotateCcwIcon, XIcon } from 'lucide-react';
import {
  Alert,
  AlertDescription,
  AlertTitle,
  Badge,
  Button,
  EmptyState,
  Skeleton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@event-monitor/ui';
import type { RouterOutputs } from '@event-monitor/api';
import { errorMessage } from '../../client/errors';
import { useUrlState } from '../../client/hooks/use-url-state';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useCanWrite } from '../../client/session-context';
import { trpc } from '../../client/trpc';
import { BulkActionDialog } from '../event-monitor/bulk-action-dialog';
import { FailureJobs } from './failure-jobs';

type FailureGroup = RouterOutputs['job']['failureGroups']['groups'][number];

/**
 * /failures: the unresolved failures of every batch the caller may read, grouped by signature
 * (error code + normalised message). The URL holds the view: `code` (one error code), `sig` (the
 * group whose jobs are listed) and `pages` (how many pages of them).
 */
export function FailuresView() {
  const { t } = useI18n();
  const canWrite = useCanWrite();
  const { params, set } = useUrlState();
  const code = params.get('code') || undefined;
  const signature = params.get('sig') || undefined;
  const [restarting, setRestarting] = useState<FailureGroup | null>(null);
  const groups = trpc.job.failureGroups.useQuery(code ? { error_code: code, limit: 200 } : { limit: 200 }, {
    placeholderData: (previous) => previous,
  });
  const selected = signature ? groups.data?.groups.find((group) => group.signature === signature) : undefined;

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.triage.title}</h1>
        <p className="text-muted-foreground text-sm">{t.triage.subtitle}</p>
      </div>

      {code ? (
        <div className="flex items-center gap-2">
          <Badge variant="secondary" className="font-mono">
            {code}
          </Badge>
          <Button variant="ghost" size="sm" onClick={() => set({ code: null, sig: null, pages: null })}>
            <XIcon aria-hidden="true" />
            {t.triage.allCodes}
          </Button>
        </div>
      ) : null}

      {groups.isPending ? (
        <div className="flex flex-col gap-2">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-12 w-full" />
          ))}
        </div>
      ) : groups.isError ? (
        <Alert variant="destructive">
          <AlertTriangleIcon aria-hidden="true" />
          <AlertTitle>{t.triage.loadError}</AlertTitle>
          <AlertDescription>{errorMessage(groups.error, t)}</AlertDescription>
        </Alert>
      ) : groups.data.groups.length === 0 ? (
        <EmptyState title={t.triage.empty} />
      ) : (
        <section aria-labelledby="failure-groups-heading" className="flex flex-col gap-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="failure-groups-heading" className="text-lg font-semibold">
              {t.triage.groups}
            </h2>
            <span className="text-muted-foreground text-sm" data-testid="failure-total">
              {t.triage.total(groups.data.failed, groups.data.groups_total)}
            </span>
          </div>
          {groups.data.unsigned > 0 ? <p className="text-muted-foreground text-sm">{t.triage.unsigned(groups.data.unsigned)}</p> : null}
          <GroupsTable
            groups={groups.data.groups}
            selected={signature}
            canWrite={canWrite}
            onCode={(value) => set({ code: value, sig: null, pages: null })}
            onShow={(group) => set({ sig: group.signature, pages: null })}
            onRestart={setRestarting}
          />
        </section>
      )}

      {signature ? (
        <section aria-labelledby="failure-jobs-heading" className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="failure-jobs-heading" className="text-lg font-semibold">
              {t.triage.jobsOfGroup}
              {selected ? (
                <span className="text-muted-foreground ml-2 font-mono text-sm font-normal">
                  {selected.error_code}: {selected.pattern}
                </span>
              ) : null}
            </h2>
            <div className="flex items-center gap-2">
              {canWrite && selected ? (
                <Button size="sm" onClick={() => setRestarting(selected)}>
                  <RotateCcwIcon aria-hidden="true" />
                  {t.triage.restartGroup}
                </Button>
              ) : null}
              <Button variant="ghost" size="sm" onClick={() => set({ sig: null, pages: null })}>
                <ListIcon aria-hidden="true" />
                {t.triage.backToGroups}
              </Button>
            </div>
          </div>
          <FailureJobs signature={signature} />
        </section>
      ) : null}

      {restarting ? (
        <BulkActionDialog
          action="restart"
          selection={{ error_signature: restarting.signature }}
          title={t.triage.restartGroupTitle(restarting.count)}
          open
          onOpenChange={(open) => !open && setRestarting(null)}
          onDone={() => setRestarting(null)}
        />
      ) : null}
    </div>
  );
}

function GroupsTable({
  groups,
  selected,
  canWrite,
  onCode,
  onShow,
  onRestart,
}: {
  groups: FailureGroup[];
  selected: string | undefined;
  canWrite: boolean;
  onCode: (code: string) => void;
  onShow: (group: FailureGroup) => void;
  onRestart: (group: FailureGroup) => void;
}) {
  const { t, formatDateTime } = useI18n();
  return (
    <Table aria-label={t.triage.groups}>
      <TableHeader>
        <TableRow>
          <TableHead>{t.triage.pattern}</TableHead>
          <TableHead className="text-right">{t.triage.count}</TableHead>
          <TableHead>{t.triage.firstSeen}</TableHead>
          <TableHead>{t.triage.lastSeen}</TableHead>
          <TableHead className="text-right">{t.triage.batches}</TableHead>
          <TableHead />
        </TableRow>
      </TableHeader>
      <TableBody>
        {groups.map((group) => (
          <TableRow key={group.signature} data-state={group.signature === selected ? 'selected' : undefined} data-testid="failure-group">
            <TableCell className="max-w-md">
              <button
                type="button"
                className="font-mono text-xs font-medium underline-offset-4 hover:underline"
                title={t.triage.filterCode}
                onClick={() => onCode(group.error_code)}
              >
                {group.error_code}
              </button>
              <p className="truncate text-sm" title={group.example}>
                {group.pattern || '—'}
              </p>
            </TableCell>
            <TableCell className="text-right tabular-nums" data-testid="failure-count">
              {group.count}
            </TableCell>
            <TableCell className="text-xs whitespace-nowrap">{group.first_seen ? formatDateTime(group.first_seen) : '—'}</TableCell>
            <TableCell className="text-xs whitespace-nowrap">{group.last_seen ? formatDateTime(group.last_seen) : '—'}</TableCell>
            <TableCell className="text-right tabular-nums">{group.batches}</TableCell>
            <TableCell>
              <div className="flex justify-end gap-2">
                <Button variant="outline" size="sm" onClick={() => onShow(group)}>
                  {t.triage.showJobs}
                </Button>
                {canWrite ? (
                  <Button variant="outline" size="sm" onClick={() => onRestart(group)}>
                    <RotateCcwIcon aria-hidden="true" />
                    {t.triage.restartGroup}
                  </Button>
                ) : null}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
