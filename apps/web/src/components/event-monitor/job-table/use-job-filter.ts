'use client';

import { useState } from 'react';
import type { SortingState, Updater } from '@tanstack/react-table';
import { useDebouncedValue } from '../../../client/hooks/use-debounced-value';
import {
  DEFAULT_JOB_PAGE_SIZE,
  DEFAULT_JOB_SORT,
  type JobListFilter,
  type JobPageSize,
  type JobSortField,
} from '../../../client/list-inputs';
import type { JobStatusValue } from '../../../client/types';

export type StatusChoice = JobStatusValue | 'all';

/**
 * What the operator asked to see: status, search (debounced), sort, page size, and how many pages
 * are loaded. Any change of the first four starts again from one page.
 */
export function useJobFilter(batchId: string) {
  const [status, setStatus] = useState<StatusChoice>('all');
  const [search, setSearch] = useState('');
  const [pageSize, setPageSize] = useState<JobPageSize>(DEFAULT_JOB_PAGE_SIZE);
  const [loads, setLoads] = useState(1);
  const [sorting, setSorting] = useState<SortingState>([
    { id: DEFAULT_JOB_SORT.field, desc: DEFAULT_JOB_SORT.direction === 'desc' },
  ]);
  const query = useDebouncedValue(search.trim(), 300);
  const sort = sorting[0] ?? { id: DEFAULT_JOB_SORT.field, desc: false };
  const filter: JobListFilter = {
    batchId,
    status: status === 'all' ? undefined : status,
    search: query,
    sort: { field: sort.id as JobSortField, direction: sort.desc ? 'desc' : 'asc' },
  };
  const resetLoads = () => setLoads(1);
  return {
    filter,
    status,
    search,
    pageSize,
    loads,
    sorting,
    setStatus: (value: StatusChoice) => {
      setStatus(value);
      resetLoads();
    },
    setSearch: (value: string) => {
      setSearch(value);
      resetLoads();
    },
    setPageSize: (value: JobPageSize) => {
      setPageSize(value);
      resetLoads();
    },
    setSorting: (updater: Updater<SortingState>) => {
      setSorting(updater);
      resetLoads();
    },
    loadMore: () => setLoads((n) => n + 1),
  };
}
