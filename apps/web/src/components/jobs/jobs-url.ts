// The global jobs view's state as its URL keeps it, and the `job.list` input it asks for.
import type { RouterInputs } from '@event-monitor/api';
import { JOB_STATUS_VALUES } from '../../client/types';
import type { PageStart } from '../../client/list-inputs';

export const JOBS_PAGE = 50;

/** The filters in the URL: `status`, `type`, `lang`, `owner`, `from` and `to` (dates, YYYY-MM-DD). */
export interface JobsFilter {
  status: string;
  type: string;
  lang: string;
  owner: string;
  from: string;
  to: string;
}

export const FILTER_KEYS = ['status', 'type', 'lang', 'owner', 'from', 'to'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function filterOf(params: URLSearchParams): JobsFilter {
  const get = (key: string) => params.get(key)?.trim() ?? '';
  const status = get('status');
  return {
    status: (JOB_STATUS_VALUES as readonly string[]).includes(status) ? status : '',
    type: get('type'),
    lang: get('lang'),
    owner: get('owner'),
    from: DATE.test(get('from')) ? get('from') : '',
    to: DATE.test(get('to')) ? get('to') : '',
  };
}

type JobListInput = Exclude<RouterInputs['job']['list'], void | undefined>;

/** The list's input (only keys with a value, so equal views share a query key). `to` includes its day. */
export function jobsListInput(filter: JobsFilter, search: string, start: PageStart = {}): JobListInput {
  const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    ...(search ? { search } : {}),
    ...(filter.status ? { status: filter.status as JobListInput['status'] } : {}),
    ...(filter.type ? { job_type: filter.type } : {}),
    ...(filter.lang ? { language: filter.lang as JobListInput['language'] } : {}),
    ...(filter.owner ? { owner: filter.owner } : {}),
    ...(filter.from ? { created_from: `${filter.from}T00:00:00Z` } : {}),
    ...(filter.to ? { created_to: dayAfter(filter.to) } : {}),
    limit: JOBS_PAGE,
    ...start,
  };
}

/** Text that could be an id (one word without spaces): Enter tries to open it. */
export function idCandidate(text: string): string | null {
  const trimmed = text.trim();
  return trimmed.length > 0 && trimmed.length <= 200 && !/\s/.test(trimmed) ? trimmed : null;
}
