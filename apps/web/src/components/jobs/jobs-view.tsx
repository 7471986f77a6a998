'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { AlertTriangleIcon } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle, EmptyState, Skeleton } from '@event-monitor/ui';
import { errorMessage } from '../../client/errors';
import { useDebouncedValue } from '../../client/hooks/use-debounced-value';
import { intParam, useUrlSearch, useUrlState } from '../../client/hooks/use-url-state';
import { useI18n } from '../../client/i18n/i18n-provider';
import { useJobsText } from './jobs-text';
import type { PageStart } from '../../client/list-inputs';
import { trpc } from '../../client/trpc';
import { useJobListPages } from '../../client/hooks/use-job-list-pages';
import { LoadedCount, LoadMoreFooter } from '../load-more-footer';
import { jobHref } from '../triage/failure-jobs';
import { JobsFilters } from './jobs-filters';
import { JobsTable } from './jobs-table';
import { FILTER_KEYS, filterOf, idCandidate, jobsListInput } from './jobs-url';

/**
 * /jobs: every job the caller may read, across batches, newest first. The URL holds the view: `q`
 * (search words), `status`, `type`, `lang`, `owner`, `from`, `to` and `pages` (how many pages are
 * loaded). Enter in the search box opens the job or batch whose id it holds (go-to-id).
 */
export function JobsView() {
  const { t } = useI18n();
  const text = useJobsText();
  const router = useRouter();
  const { params, set } = useUrlState();
  const search = useUrlSearch('q', { pages: null });
  // A query per pause in typing, not per key stroke (each search reads the indexer's feed first).
  const query = useDebouncedValue(search.value, 300);
  const filter = filterOf(params);
  const wanted = intParam(params.get('pages'), 1, 100);
  const utils = trpc.useUtils();
  const [notFound, setNotFound] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  const inputOf = (start: PageStart) => jobsListInput(filter, query, start);
  const { pages, first, last, requested } = useJobListPages(inputOf, wanted);
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
      else if (!located.job) setNotFound(text.notFound(id));
    } catch (error) {
      setNotFound(errorMessage(error, t));
    } finally {
      setOpening(false);
    }
  };

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{text.title}</h1>
        <p className="text-muted-foreground text-sm">{text.subtitle}</p>
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
          <AlertDescription>{text.notFoundHint}</AlertDescription>
        </Alert>
      ) : null}
      {opening ? <p className="text-muted-foreground text-sm">{text.opening}</p> : null}

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
          <LoadedCount count={jobs.length} first={first.data} testId="all-jobs-total" />
          <JobsTable jobs={jobs} />
          <LoadMoreFooter last={last} onMore={() => set({ pages: requested + 1 }, 'replace')} />
        </div>
      )}
    </div>
  );
}
