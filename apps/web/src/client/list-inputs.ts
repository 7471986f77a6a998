// The list queries' inputs, shared by the client components and the server pages that prefetch
// their first page: the same input gives the same query key, so the prefetched page is used.
import type { RouterInputs } from '@event-monitor/api';

export const BATCH_PAGE_SIZE = 20;
/** The most jobs one `job.list` request may ask for (its `limit` maximum). */
export const JOB_REQUEST_LIMIT = 200;
/** Jobs per "load": more than one request's worth is loaded as several requests in a row. */
export const JOB_PAGE_SIZES = [50, 200, 500, 1000] as const;
export type JobPageSize = (typeof JOB_PAGE_SIZES)[number];
export const DEFAULT_JOB_PAGE_SIZE: JobPageSize = 50;

/** Where a page starts: the first page, or the cursor the server gave with the page before. */
export type PageStart = { cursor?: string };

/** What a list answer says about the pages after it (keyset pagination). */
export interface ListPage {
  total: number;
  next_cursor: string | null;
  /** False when `total` is a capped count ("10,000+"). */
  total_exact: boolean;
}

/** The start of the page after `page`, or null on the last page. */
export function nextPageStart(page: ListPage): PageStart | null {
  return page.next_cursor ? { cursor: page.next_cursor } : null;
}

/** The total as shown: `10,000+` when the server only counted that far. */
export function formatTotal(page: ListPage, locale: string): string {
  const count = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB').format(page.total);
  return page.total_exact ? count : `${count}+`;
}

type BatchListInput = Exclude<RouterInputs['batch']['list'], void | undefined> & PageStart;

export function batchListInput(options: { archived: boolean; search?: string; start?: PageStart }): BatchListInput {
  // Only keys with a value: an absent key and an undefined one must give the same query key.
  return {
    archived: options.archived,
    ...(options.search ? { search: options.search } : {}),
    limit: BATCH_PAGE_SIZE,
    ...options.start,
  };
}

export type JobSortField = 'job_name' | 'status' | 'created_at';
export interface JobListFilter {
  batchId: string;
  status?: Exclude<RouterInputs['job']['list'], void | undefined>['status'];
  search?: string;
  sort: { field: JobSortField; direction: 'asc' | 'desc' };
}
export const DEFAULT_JOB_SORT: JobListFilter['sort'] = { field: 'created_at', direction: 'asc' };

export type JobListInput = Exclude<RouterInputs['job']['list'], void | undefined> & PageStart;

export function jobListInput(filter: JobListFilter, limit: number, start: PageStart = {}): JobListInput {
  return {
    batch_id: filter.batchId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.search ? { search: filter.search } : {}),
    sort: filter.sort,
    limit,
    ...start,
  };
}
