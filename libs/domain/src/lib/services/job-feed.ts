/**
 * The jobs' change feed: jobs in `{updated_at, _id}` order after a checkpoint kept in app_settings
 * (one document per reader, by `_id`). Every writer sets `updated_at` (ours and the legacy Python
 * workers), so a reader of the feed sees the legacy side's changes too. The search indexer and the
 * notification sweep each follow it with their own checkpoint.
 *
 * A write whose `updated_at` was taken a moment before a read but lands after it would be behind
 * the checkpoint: so a checkpoint never passes `now - FEED_SETTLE_MS`, and the jobs of the last
 * seconds are read again by the next run (readers make a second look harmless).
 */
import { Types } from 'mongoose';
import { nowOf, type DomainDeps } from '../context';
import { driverCollections } from '../models/domain-models';
import type { JobRecord } from '../models/job.model';
import type { SearchIndexStateRecord } from '../models/settings.model';

/** How far behind `now` a checkpoint stays (writes in flight land within this). */
export const FEED_SETTLE_MS = 5_000;

export const ZERO_ID = new Types.ObjectId('000000000000000000000000');

export interface FeedPosition {
  at: Date;
  id: Types.ObjectId;
}

/** Up to `limit` jobs after `from`, in feed order, with the given fields. */
export async function readFeedPage(
  deps: DomainDeps,
  from: FeedPosition | undefined,
  limit: number,
  projection: Record<string, 1>,
): Promise<{ jobs: JobRecord[]; last?: FeedPosition }> {
  const jobs = driverCollections(deps.models).jobs;
  const filter = from ? { $or: [{ updated_at: { $gt: from.at } }, { updated_at: from.at, _id: { $gt: from.id } }] } : {};
  const page = (await jobs
    .find(filter, { projection: { ...projection, _id: 1, updated_at: 1 } })
    .sort({ updated_at: 1, _id: 1 })
    .limit(limit)
    .toArray()) as JobRecord[];
  const last = page.at(-1);
  // A job without a date in updated_at (none should exist) sorts first and cannot be a position.
  const position = last && last.updated_at instanceof Date && last._id ? { at: last.updated_at, id: last._id } : undefined;
  return { jobs: page, ...(position ? { last: position } : {}) };
}

export async function readFeedCheckpoint(deps: DomainDeps, id: string): Promise<FeedPosition | undefined> {
  const state = await deps.models.SearchIndexState.findOne({ _id: id }).lean<SearchIndexStateRecord>();
  return state?.after_updated_at && state.after_id ? { at: state.after_updated_at, id: state.after_id } : undefined;
}

/** The position `now - FEED_SETTLE_MS`: a reader that starts there skips the feed's past. */
export function settledPosition(deps: DomainDeps): FeedPosition {
  return { at: new Date(nowOf(deps).getTime() - FEED_SETTLE_MS), id: ZERO_ID };
}

/** Moves the checkpoint `id` to `last`, but never past `now - FEED_SETTLE_MS` and never back. */
export async function saveFeedCheckpoint(deps: DomainDeps, id: string, before: FeedPosition | undefined, last: FeedPosition | undefined): Promise<void> {
  if (!last) return;
  const settled = settledPosition(deps);
  const next = last.at <= settled.at ? last : settled;
  const ahead =
    !before || next.at > before.at || (next.at.getTime() === before.at.getTime() && next.id.toHexString() > before.id.toHexString());
  if (!ahead) return;
  await deps.models.SearchIndexState.updateOne(
    { _id: id },
    { $set: { after_updated_at: next.at, after_id: next.id, updated_at: nowOf(deps) } },
    { upsert: true },
  );
}
