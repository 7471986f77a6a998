/**
 * The job list as an export: the list's filter (batch, status, search, failure signature), read in
 * keyset pages of EXPORT_PAGE rows in created_at order, so a door can stream any number of rows
 * while holding one page.
 */
import type { z } from 'zod';
import { ExportJobsQuery } from '@event-monitor/contracts';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { parseInput } from '../errors';
import { JOB_LIST_PROJECTION, toJobListItemDto, type JobListItemDto } from '../mappers/job.mapper';
import type { JobRecord } from '../models/job.model';
import { readPage, type KeysetSort } from './keyset-page';
import { jobListFilter } from './job.service';
import { catchUpSearch } from './search-index.service';
import { loadBatch } from './load';

/** Rows per database page of an export. */
export const EXPORT_PAGE = 500;

export interface JobExport {
  /** The batch the export is of, when it names one (the file name uses it). */
  batch_id?: string;
  /** The pages, oldest job first; reading stops when the caller stops (a closed download). */
  pages: AsyncGenerator<JobListItemDto[]>;
}

/**
 * Checks the filter and access up front (a batch the actor may not read is NOT_FOUND before any
 * byte is sent), then yields the matching jobs the actor may read, page by page.
 */
export async function exportJobs(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ExportJobsQuery>,
): Promise<JobExport> {
  const input = parseInput(ExportJobsQuery, raw);
  if (input.batch_id) await loadBatch(deps, actor, input.batch_id, 'read');
  if (input.search) await catchUpSearch(deps);
  const filter = jobListFilter(actor, input);
  const sort: KeysetSort = { list: 'jobs', field: 'created_at', direction: 1 };
  const limit = input.limit ?? Number.POSITIVE_INFINITY;
  async function* pages(): AsyncGenerator<JobListItemDto[]> {
    let cursor: string | undefined;
    let sent = 0;
    while (sent < limit) {
      const size = Math.min(EXPORT_PAGE, limit - sent);
      const page = await readPage(
        deps.models.Job,
        filter,
        sort,
        { limit: size, cursor },
        { ...JOB_LIST_PROJECTION, _id: 1 },
      );
      if (page.rows.length === 0) return;
      sent += page.rows.length;
      yield (page.rows as JobRecord[]).map(toJobListItemDto);
      if (!page.next_cursor) return;
      cursor = page.next_cursor;
    }
  }
  return { ...(input.batch_id ? { batch_id: input.batch_id } : {}), pages: pages() };
}
