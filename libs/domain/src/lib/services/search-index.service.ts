/**
 * Keeps every job's `search_terms` current by following the jobs' change feed: jobs in
 * `{updated_at, _id}` order after a checkpoint (app_settings `_id: 'search_index'`). Every writer
 * sets `updated_at` (ours and the legacy Python workers), so one code path covers both, and jobs
 * that never had terms (older or legacy ones) get them on the first run: the checkpoint starts at
 * the beginning. The indexer writes only `search_terms`, never `updated_at` (that would feed
 * itself), and only when the terms changed and the job did not change since it was read.
 *
 * A write whose `updated_at` was taken a moment before a run but lands after it would be behind
 * the checkpoint: so the checkpoint never passes `now - SEARCH_SETTLE_MS`, and the jobs of the
 * last seconds are read again by the next run (unchanged terms are not written).
 */
import type { AnyBulkWriteOperation } from 'mongodb';
import { Types } from 'mongoose';
import { nowOf, type DomainDeps } from '../context';
import { driverCollections } from '../models/domain-models';
import type { JobRecord } from '../models/job.model';
import { SEARCH_INDEX_STATE_ID, type SearchIndexStateRecord } from '../models/settings.model';
import { searchTermsOf } from './search-terms';

/** Jobs per run of the maintenance sweep. */
export const SEARCH_INDEX_BATCH = 2000;
/** Jobs a search reads from the feed before it runs, so a job written a moment ago is found. */
export const SEARCH_CATCH_UP_BATCH = 500;
/** How far behind `now` the checkpoint stays (writes in flight land within this). */
export const SEARCH_SETTLE_MS = 5_000;

const ZERO_ID = new Types.ObjectId('000000000000000000000000');

const FEED_PROJECTION = {
  _id: 1,
  updated_at: 1,
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

interface FeedPosition {
  at: Date;
  id: Types.ObjectId;
}

/** Reads up to `limit` jobs after `from` and writes the terms that changed. */
async function indexPage(deps: DomainDeps, from: FeedPosition | undefined, limit: number): Promise<{ examined: number; written: number; last?: FeedPosition }> {
  const jobs = driverCollections(deps.models).jobs;
  const filter = from ? { $or: [{ updated_at: { $gt: from.at } }, { updated_at: from.at, _id: { $gt: from.id } }] } : {};
  const changed = (await jobs
    .find(filter, { projection: FEED_PROJECTION })
    .sort({ updated_at: 1, _id: 1 })
    .limit(limit)
    .toArray()) as JobRecord[];
  const writes: AnyBulkWriteOperation<JobRecord>[] = [];
  for (const job of changed) {
    const terms = searchTermsOf(job);
    if (sameTerms(job.search_terms, terms)) continue;
    // Conditional on updated_at: a job changed since the read is left to the next run.
    writes.push({ updateOne: { filter: { _id: job._id, updated_at: job.updated_at }, update: { $set: { search_terms: terms } } } });
  }
  if (writes.length > 0) await jobs.bulkWrite(writes, { ordered: false });
  const last = changed.at(-1);
  // A job without a date in updated_at (none should exist) sorts first and cannot be a position.
  const position = last && last.updated_at instanceof Date && last._id ? { at: last.updated_at, id: last._id } : undefined;
  return { examined: changed.length, written: writes.length, ...(position ? { last: position } : {}) };
}

async function readCheckpoint(deps: DomainDeps): Promise<FeedPosition | undefined> {
  const state = await deps.models.SearchIndexState.findOne({ _id: SEARCH_INDEX_STATE_ID }).lean<SearchIndexStateRecord>();
  return state?.after_updated_at && state.after_id ? { at: state.after_updated_at, id: state.after_id } : undefined;
}

/** Moves the checkpoint to `last`, but never past `now - SEARCH_SETTLE_MS` and never back. */
async function saveCheckpoint(deps: DomainDeps, before: FeedPosition | undefined, last: FeedPosition | undefined): Promise<void> {
  if (!last) return;
  const settled = new Date(nowOf(deps).getTime() - SEARCH_SETTLE_MS);
  const next = last.at <= settled ? last : { at: settled, id: ZERO_ID };
  const ahead =
    !before || next.at > before.at || (next.at.getTime() === before.at.getTime() && next.id.toHexString() > before.id.toHexString());
  if (!ahead) return;
  await deps.models.SearchIndexState.updateOne(
    { _id: SEARCH_INDEX_STATE_ID },
    { $set: { after_updated_at: next.at, after_id: next.id, updated_at: nowOf(deps) } },
    { upsert: true },
  );
}

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
