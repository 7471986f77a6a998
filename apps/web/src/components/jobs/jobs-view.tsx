'use client';

import { useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AlertTriangleIcon } from 'lucide-react';
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
import { errorMessage } from '../../client/errors';
import { intParam, useUrlSearch, useUrlState } from '../../client/hooks/use-url-state';
import { useI18n } from '../../client/i18n/i18n-provider';
import { formatTotal, nextPageStart, type PageStart } from '../../client/list-inputs';
import { trpc } from '../../client/trpc';
import { jobHref } from '../triage/failure-jobs';
import { JobsFilters } from './jobs-filters';
import { FILTER_KEYS, filterOf, idCandidate, jobsListInput } from './jobs-url';

/**
 * /jobs: every job the caller may read, across batches, newest first. The URL holds the view: `q`
 * (search words), `status`, `type`, `lang`, `owner`, `from`, `to` and `pages` (how many pages are
 * loaded). Enter in the search box opens the job or batch whose id it holds (go-to-id).
 */
export function JobsView() {
  const { t, locale, formatDateTime } = useI18n();
  const router = useRouter();
  const { params, set } = useUrlState();
  const search = useUrlSearch('q', { pages: null });
  const filter = filterOf(params);
  const wanted = intParam(params.get('pages'), 1, 100);
  const utils = trpc.useUtils();
  const [notFound, setNotFound] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  const inputOf = (start: PageStart) => jobsListInput(filter, search.value, start);
  const starts: PageStart[] = [{}];
  while (starts.length < wanted) {
    const answer = utils.job.list.getData(inputOf(starts[starts.length - 1] ?? {}));
    const next = answer ? nextPageStart(answer) : null;
    if (!next) break;
    starts.push(next);
  }
  const pages = trpc.useQueries((q) => starts.map((start) => q.job.list(inputOf(start), { placeholderData: (previous) => previous })));
  const first = pages[0];
  const last = pages[pages.length - 1];
  const jobs = pages.flatMap((page) => page?.data?.jobs ?? []);

  // One query that answers "neither" without an error (a 404 would be a console error in the browser).
  const goToId = async () => {
    const id = idCandidate(search.text);
    setNotFound(null);
    if (!id) return;
    setOpening(true);
    try {
      const located = await utils.job.locate.fetch({ id });
      const href = located.job ? jobHref(located.job.batch_id ?? undefined, located.job.job_id) : null;
      if (href) router.push(href);
      else if (located.batch) router.push(`/event-monitor/${encodeURIComponent(located.batch.batch_id)}`);
      // A standalone job has no page: the list below shows it (its id is a search word).
      else if (!located.job) setNotFound(t.allJobs.notFound(id));
    } catch (error) {
      setNotFound(errorMessage(error, t));
    } finally {
      setOpening(false);
    }
  };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t.allJobs.title}</h1>
        <p className="text-muted-foreground text-sm">{t.allJobs.subtitle}</p>
      </div>

      <JobsFilters
        search={search.text}
        onSearch={(value) => {
          setNotFound(null);
          search.change(value);
        }}
        onSubmit={() => void goToId()}
        filter={filter}
        onFilter={(changes) => set({ ...changes, pages: null })}
        onClear={() => {
          setNotFound(null);
          search.change('');
          set(Object.fromEntries([...FILTER_KEYS, 'pages'].map((key) => [key, null])));
        }}
      />

      {notFound ? (
        <Alert role="status">
          <AlertTriangleIcon aria-hidden="true" />
          <AlertTitle>{notFound}</AlertTitle>
          <AlertDescription>{t.allJobs.notFoundHint}</AlertDescription>
        </Alert>
      ) : null}
      {opening ? <p className="text-muted-foreground text-sm">{t.allJobs.opening}</p> : null}

      {!first || first.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : first.isError ? (
        <Alert variant="destructive">
          <AlertTriangleIcon aria-hidden="true" />
          <AlertTitle>{t.jobs.loadError}</AlertTitle>
          <AlertDescription>{errorMessage(first.error, t)}</AlertDescription>
        </Alert>
      ) : jobs.length === 0 ? (
        <EmptyState title={t.jobs.empty} />
      ) : (
        <div className="flex flex-col gap-3">
          <span className="text-muted-foreground text-sm" data-testid="all-jobs-total">
            {t.jobs.loaded(jobs.length, formatTotal(first.data, locale))}
          </span>
          <Table aria-label={t.allJobs.title}>
            <TableHeader>
              <TableRow>
                <TableHead>{t.jobs.name}</TableHead>
                <TableHead>{t.jobs.status}</TableHead>
                <TableHead>{t.allJobs.type}</TableHead>
                <TableHead>{t.jobs.language}</TableHead>
                <TableHead>{t.allJobs.owner}</TableHead>
                <TableHead>{t.triage.batch}</TableHead>
                <TableHead>{t.jobs.created}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {jobs.map((job) => {
                const href = jobHref(job.batch_id ?? undefined, job.job_id);
                return (
                  <TableRow key={job.job_id} data-testid="all-jobs-row">
                    <TableCell className="max-w-80 truncate font-medium">
                      {href ? (
                        <Link href={href} className="underline-offset-4 hover:underline">
                          {job.job_name || job.job_id}
                        </Link>
                      ) : (
                        job.job_name || job.job_id
                      )}
                    </TableCell>
                    <TableCell>
                      <Badge variant="secondary">{t.status[job.status]}</Badge>
                    </TableCell>
                    <TableCell className="font-mono text-xs">{job.job_type || '—'}</TableCell>
                    <TableCell className="text-xs">{job.parameters.target_language ?? '—'}</TableCell>
                    <TableCell className="text-xs">{job.user_id ?? '—'}</TableCell>
                    <TableCell className="max-w-48 truncate font-mono text-xs">{job.batch_id ?? '—'}</TableCell>
                    <TableCell className="text-xs whitespace-nowrap">{job.created_at ? formatDateTime(job.created_at) : '—'}</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          {last?.data && nextPageStart(last.data) ? (
            <Button variant="outline" size="sm" className="self-center" disabled={last.isFetching} onClick={() => set({ pages: starts.length + 1 }, 'replace')}>
              {t.jobs.loadMore}
            </Button>
          ) : null}
        </div>
      )}
    </div>
  );
}
