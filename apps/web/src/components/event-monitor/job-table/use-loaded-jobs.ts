'use client';

import { useRef } from 'react';
import { jobListInput, nextPageStart, type JobListFilter } from '../../../client/list-inputs';
import { useJobListPages } from '../../../client/hooks/use-job-list-pages';
import type { JobListItem } from '../../../client/types';

/**
 * The loaded jobs of one filter: `wanted` rows in requests of at most JOB_REQUEST_LIMIT, each
 * starting where the one before ended (the server's cursor). Every request is its own query, so
 * live updates refetch exactly the loaded pages and the server-prefetched first page is reused.
 */
export function useLoadedJobs(filter: JobListFilter, wanted: number, chunk: number, refetchInterval: number | false) {
  const { pages, first, last } = useJobListPages((start) => jobListInput(filter, chunk, start), Math.max(1, Math.ceil(wanted / chunk)), refetchInterval);
  const jobs = useConcatenated(pages.map((page) => page?.data?.jobs));
  return {
    first,
    jobs,
    loading: pages.some((page) => page?.isPending || page?.isPlaceholderData),
    moreError: pages.slice(1).find((page) => page?.isError)?.error,
    hasMore: !!last?.data && nextPageStart(last.data) !== null,
  };
}

export type LoadedJobs = ReturnType<typeof useLoadedJobs>;

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
