/**
 * Keeps every job's `search_terms` current by following the jobs' change feed (job-feed.ts) from
 * its checkpoint (app_settings `_id: 'search_index'`). One code path covers our writes and the
 * legacy workers', and jobs that never had terms (older or legacy ones) get them on the first run:
 * the checkpoint starts at the beginning. The indexer writes only `search_terms`, never
 * `updated_at` (that would feed itself), and only when the terms changed and the job did not
 * change since it was read (a re-read job with unchanged terms is not written).
 */
import type { AnyBulkWriteOperation } from 'mongodb';
import type { DomainDeps } from '../context';
import { driverCollections } from '../models/domain-models';
import type { JobRecord } from '../models/job.model';
import { SEARCH_INDEX_STATE_ID } from '../models/settings.model';
import { FEED_SETTLE_MS, readFeedCheckpoint, readFeedPage, saveFeedCheckpoint, type FeedPosition } from './job-feed';
import { searchTermsOf } from './search-terms';

/** Jobs per run of the maintenance sweep. */
export const SEARCH_INDEX_BATCH = 2000;
/** Jobs a search reads from the feed before it runs, so a job written a moment ago is found. */
export const SEARCH_CATCH_UP_BATCH = 500;
/** How far behind `now` the checkpoint stays (writes in flight land within this). */
export const SEARCH_SETTLE_MS = FEED_SETTLE_MS;

const FEED_PROJECTION = {
  job_id: 1,
  job_name: 1,
  batch_id: 1,
  job_type: 1,
  event_type: 1,
  parameters: 1,
  error: 1,
  results: 1,
  search_terms: 1,
} as const;

export interface SearchIndexRun {
  /** Jobs read from the feed. */
  examined: number;
  /** Jobs whose terms were written (new or changed). */
  written: number;
  /** False when the run stopped at its limit: more changed jobs wait. */
  caught_up: boolean;
}

function sameTerms(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((term, i) => term === b[i]);
}

/** Reads up to `limit` jobs after `from` and writes the terms that changed. */
async function indexPage(deps: DomainDeps, from: FeedPosition | undefined, limit: number): Promise<{ examined: number; written: number; last?: FeedPosition }> {
  const { jobs: changed, last } = await readFeedPage(deps, from, limit, FEED_PROJECTION);
  const writes: AnyBulkWriteOperation<JobRecord>[] = [];
  for (const job of changed) {
    const terms = searchTermsOf(job);
    if (sameTerms(job.search_terms, terms)) continue;
    // Conditional on updated_at: a job changed since the read is left to the next run.
    writes.push({ updateOne: { filter: { _id: job._id, updated_at: job.updated_at }, update: { $set: { search_terms: terms } } } });
  }
  if (writes.length > 0) await driverCollections(deps.models).jobs.bulkWrite(writes, { ordered: false });
  return { examined: changed.length, written: writes.length, ...(last ? { last } : {}) };
}

const readCheckpoint = (deps: DomainDeps) => readFeedCheckpoint(deps, SEARCH_INDEX_STATE_ID);
const saveCheckpoint = (deps: DomainDeps, before: FeedPosition | undefined, last: FeedPosition | undefined) =>
  saveFeedCheckpoint(deps, SEARCH_INDEX_STATE_ID, before, last);

/** One run over at most `limit` changed jobs: the maintenance sweep calls it, and a search before it reads. */
export async function indexSearchTerms(deps: DomainDeps, options: { limit?: number } = {}): Promise<SearchIndexRun> {
  const limit = options.limit ?? SEARCH_INDEX_BATCH;
  const from = await readCheckpoint(deps);
  const page = await indexPage(deps, from, limit);
  await saveCheckpoint(deps, from, page.last);
  return { examined: page.examined, written: page.written, caught_up: page.examined < limit };
}

/** Follows the feed to its end in pages of `limit` (a backfill, the bench, tests); returns the jobs written. */
export async function indexAllSearchTerms(deps: DomainDeps, options: { limit?: number } = {}): Promise<number> {
  const limit = options.limit ?? SEARCH_INDEX_BATCH;
  const from = await readCheckpoint(deps);
  let position = from;
  let written = 0;
  for (;;) {
    const page = await indexPage(deps, position, limit);
    written += page.written;
    position = page.last ?? position;
    if (page.examined < limit || !page.last) break;
  }
  await saveCheckpoint(deps, from, position);
  return written;
}

/** Pages a search reads at most before it runs (SEARCH_CATCH_UP_PAGES x SEARCH_CATCH_UP_BATCH jobs). */
export const SEARCH_CATCH_UP_PAGES = 20;

/**
 * Before a search reads, the indexer follows the feed from its checkpoint to its end (at most
 * SEARCH_CATCH_UP_PAGES pages), so a job written a moment ago is found by its new words. One page
 * was not enough on a busy server: workers' updates move hundreds of jobs to the feed's end every
 * few seconds, and the checkpoint stays SEARCH_SETTLE_MS behind, so a single page from it never
 * reached the newest jobs (the jobs e2e spec found nothing in one CI run). The sweep does the rest.
 */
export async function catchUpSearch(deps: DomainDeps): Promise<void> {
  const from = await readCheckpoint(deps);
  let position = from;
  for (let pages = 0; pages < SEARCH_CATCH_UP_PAGES; pages++) {
    const page = await indexPage(deps, position, SEARCH_CATCH_UP_BATCH);
    position = page.last ?? position;
    if (page.examined < SEARCH_CATCH_UP_BATCH || !page.last) break;
  }
  await saveCheckpoint(deps, from, position);
}
