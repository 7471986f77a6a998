'use client';

import { nextPageStart, type JobListInput, type PageStart } from '../list-inputs';
import { trpc } from '../trpc';

/**
 * `wanted` pages of one job list, each starting where the one before ended (the server's cursor):
 * one query per page, so live updates refetch exactly the loaded pages. The next page's cursor is
 * known once the one before answered (useQueries re-renders then). `requested`: how many pages are
 * asked for now (the next "load more" asks for one more).
 */
export function useJobListPages(inputOf: (start: PageStart) => JobListInput, wanted: number, refetchInterval: number | false = false) {
  const utils = trpc.useUtils();
  const starts: PageStart[] = [{}];
  while (starts.length < wanted) {
    const answer = utils.job.list.getData(inputOf(starts[starts.length - 1] ?? {}));
    const next = answer ? nextPageStart(answer) : null;
    if (!next) break;
    starts.push(next);
  }
  const pages = trpc.useQueries((q) =>
    starts.map((start) => q.job.list(inputOf(start), { refetchInterval, placeholderData: (previous) => previous })),
  );
  return { pages, first: pages[0], last: pages[pages.length - 1], requested: starts.length };
}
