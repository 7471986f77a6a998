'use client';

import Link from 'next/link';
import { Alert, AlertDescription, EmptyState, Skeleton, Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { intParam, useUrlState } from '../../client/hooks/use-url-state';
import { useI18n } from '../../client/i18n/i18n-provider';
import type { PageStart } from '../../client/list-inputs';
import { useJobListPages } from '../../client/hooks/use-job-list-pages';
import { LoadedCount, LoadMoreFooter } from '../load-more-footer';
import { ExportButtons } from './export-buttons';
import { firstLine } from './triage-format';

const PAGE = 50;

/** A batch's page with a job's sheet open. */
export function jobHref(batchId: string | undefined, jobId: string): string | null {
  return batchId ? `/event-monitor/${encodeURIComponent(batchId)}?job=${encodeURIComponent(jobId)}` : null;
}

/**
 * The unresolved (failed) jobs of one failure group across batches, newest first, PAGE per page;
 * "Load more" adds a page (`pages` in the URL, so a reload shows as many).
 */
export function FailureJobs({ signature }: { signature: string }) {
  const { t, formatDateTime } = useI18n();
  const { params, set } = useUrlState();
  const wanted = intParam(params.get('pages'), 1, 100);
  const inputOf = (start: PageStart) => ({ error_signature: signature, status: 'failed' as const, limit: PAGE, ...start });
  const { pages, first, last, requested } = useJobListPages(inputOf, wanted);
  const jobs = pages.flatMap((page) => page?.data?.jobs ?? []);

  if (!first || first.isPending) return <Skeleton className="h-40 w-full" />;
  if (first.isError) {
    return (
      <Alert variant="destructive">
        <AlertDescription>{errorMessage(first.error, t)}</AlertDescription>
      </Alert>
    );
  }
  if (jobs.length === 0) return <EmptyState title={t.triage.empty} />;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <LoadedCount count={jobs.length} first={first.data} testId="failure-jobs-total" />
        <ExportButtons filter={{ status: 'failed', error_signature: signature }} />
      </div>
      <Table aria-label={t.triage.jobsOfGroup}>
        <TableHeader>
          <TableRow>
            <TableHead>{t.jobs.name}</TableHead>
            <TableHead>{t.triage.batch}</TableHead>
            <TableHead>{t.triage.error}</TableHead>
            <TableHead>{t.jobs.attempts}</TableHead>
            <TableHead>{t.triage.failedAt}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {jobs.map((job) => {
            const href = jobHref(job.batch_id, job.job_id);
            return (
              <TableRow key={job.job_id} data-testid="failure-job">
                <TableCell className="max-w-80 truncate font-medium">
                  {href ? (
                    <Link href={href} className="underline-offset-4 hover:underline">
                      {job.job_name}
                    </Link>
                  ) : (
                    job.job_name
                  )}
                </TableCell>
                <TableCell className="font-mono text-xs">{job.batch_id ?? '—'}</TableCell>
                <TableCell className="max-w-96">
                  <span className="font-mono text-xs font-medium">{job.error?.code}</span>
                  <p className="text-muted-foreground truncate text-xs" title={firstLine(job.error?.message)}>
                    {firstLine(job.error?.message)}
                  </p>
                </TableCell>
                <TableCell className="tabular-nums">
                  {job.attempts}/{job.max_attempts}
                </TableCell>
                <TableCell className="text-xs whitespace-nowrap">{job.completed_at ? formatDateTime(job.completed_at) : '—'}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <LoadMoreFooter last={last} onMore={() => set({ pages: requested + 1 }, 'replace')} />
    </div>
  );
}
