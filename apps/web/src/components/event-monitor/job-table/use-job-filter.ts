'use client';

import type { SortingState, Updater } from '@tanstack/react-table';
import { useDebouncedValue } from '../../../client/hooks/use-debounced-value';
import { choiceParam, intParam, useUrlSearch, useUrlState } from '../../../client/hooks/use-url-state';
import {
  DEFAULT_JOB_PAGE_SIZE,
  DEFAULT_JOB_SORT,
  JOB_PAGE_SIZES,
  type JobListFilter,
  type JobPageSize,
  type JobSortField,
} from '../../../client/list-inputs';
import { JOB_STATUS_VALUES } from '../../../client/types';
import type { StatusChoice } from '../../status-select';

const SORT_FIELDS: readonly JobSortField[] = ['job_name', 'status', 'created_at'];
const STATUS_CHOICES: readonly StatusChoice[] = ['all', ...JOB_STATUS_VALUES];
const PAGE_SIZES = JOB_PAGE_SIZES.map(String);

/**
 * What the operator asked to see, kept in the URL so a reload or a shared link shows the same:
 * `status`, `q` (search), `sort` + `dir`, `size` (jobs per load) and `pages` (how many loads).
 * Any change of the first four starts again from one load. Defaults are left out of the URL.
 */
export function useJobFilter(batchId: string) {
  const { params, set } = useUrlState();
  const status = choiceParam(params.get('status'), STATUS_CHOICES, 'all');
  const pageSize = Number(choiceParam(params.get('size'), PAGE_SIZES, String(DEFAULT_JOB_PAGE_SIZE))) as JobPageSize;
  const loads = intParam(params.get('pages'), 1, 100);
  const sortField = choiceParam(params.get('sort'), SORT_FIELDS, DEFAULT_JOB_SORT.field);
  const direction = choiceParam(params.get('dir'), ['asc', 'desc'] as const, DEFAULT_JOB_SORT.direction);
  const sorting: SortingState = [{ id: sortField, desc: direction === 'desc' }];
  const search = useUrlSearch('q', { pages: null });
  const query = useDebouncedValue(search.value, 300);
  const filter: JobListFilter = {
    batchId,
    status: status === 'all' ? undefined : status,
    search: query,
    sort: { field: sortField, direction },
  };
  return {
    filter,
    status,
    search: search.text,
    pageSize,
    loads,
    sorting,
    setStatus: (value: StatusChoice) => set({ status: value === 'all' ? null : value, pages: null }),
    setSearch: search.change,
    setPageSize: (value: JobPageSize) => set({ size: value === DEFAULT_JOB_PAGE_SIZE ? null : value, pages: null }),
    setSorting: (updater: Updater<SortingState>) => {
      const next = (typeof updater === 'function' ? updater(sorting) : updater)[0];
      if (!next) return;
      const field = choiceParam(next.id, SORT_FIELDS, DEFAULT_JOB_SORT.field);
      const dir = next.desc ? 'desc' : 'asc';
      const isDefault = field === DEFAULT_JOB_SORT.field && dir === DEFAULT_JOB_SORT.direction;
      set({ sort: isDefault ? null : field, dir: isDefault ? null : dir, pages: null });
    },
    loadMore: () => set({ pages: loads + 1 }, 'replace'),
  };
}
