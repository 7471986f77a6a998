import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, domainDeps, params } from '../../test-support/domain-fixtures';
import { createBatch, deleteBatch } from '../services/batch.service';
import { claimNextJob } from '../services/worker.service';
import { createChangeFeed, createChangeReadFilter, type ChangeEvent, type ChangeFeed } from './change-feed';

const db = useTestDatabase();
let deps: DomainDeps;
const feeds: ChangeFeed[] = [];

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects a feed's events; `waitFor` resolves with the first match or fails after `ms`. */
function collect(feed: ChangeFeed) {
  const events: ChangeEvent[] = [];
  const unsubscribe = feed.subscribe((event) => events.push(event));
  const waitFor = async (match: (e: ChangeEvent) => boolean, ms = 2000): Promise<ChangeEvent> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = events.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`);
      await sleep(25);
    }
  };
  return { events, unsubscribe, waitFor };
}

async function startFeed(mode: 'polling' | 'change-stream'): Promise<ChangeFeed> {
  const feed = createChangeFeed(deps, { mode, pollIntervalMs: 200 });
  feeds.push(feed);
  // Let the stream open (the embedded server names no resume token before the first change).
  await sleep(mode === 'change-stream' ? 500 : 50);
  return feed;
}

describe.each(['polling', 'change-stream'] as const)('change feed (%s)', (mode) => {
  it('delivers a new batch and a status change made by a worker within 2 s, ids only', async () => {
    const feed = await startFeed(mode);
    const seen = collect(feed);
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: [{ job_type: `cf-${mode}`, parameters: params() }] });
    const jobId = job_ids[0] as string;

    const inserted = await seen.waitFor((e) => e.kind === 'job' && e.id === jobId);
    expect(inserted).toMatchObject({ op: 'insert', batch_id: batch.batch_id, status: 'pending', at: expect.any(Date) });
    await seen.waitFor((e) => e.kind === 'batch' && e.id === batch.batch_id);

    if (mode === 'change-stream') {
      // The embedded server logs no findAndModify: a plain update stands in for the claim here.
      await deps.models.Job.updateOne({ job_id: jobId }, { $set: { status: 'processing', updated_at: new Date() } });
    } else {
      expect(await claimNextJob(deps, { worker_id: 'w-cf', job_types: [`cf-${mode}`] })).not.toBeNull();
    }
    const updated = await seen.waitFor((e) => e.id === jobId && e.status === 'processing');
    expect(updated).toEqual({ kind: 'job', op: 'update', id: jobId, batch_id: batch.batch_id, status: 'processing', at: expect.any(Date) });
    expect(feed.stats()).toMatchObject({ mode, lastEventAt: expect.any(Date) });
    expect(feed.stats().lagMs).toBeLessThan(5000);
  });

  it('stops delivering to a listener once it unsubscribes, and everything after close()', async () => {
    const feed = await startFeed(mode);
    const kept = collect(feed);
    const dropped = collect(feed);
    dropped.unsubscribe();
    const first = await createBatch(deps, actors.owner, { jobs: [{ parameters: params() }] });
    await kept.waitFor((e) => e.id === first.batch.batch_id);
    expect(dropped.events).toEqual([]);

    await feed.close();
    const count = kept.events.length;
    await createBatch(deps, actors.owner, { jobs: [{ parameters: params() }] });
    await sleep(800);
    expect(kept.events.length).toBe(count);
    expect(feed.subscribe(() => undefined)).toEqual(expect.any(Function));
  });
});

describe('change feed specifics', () => {
  it('delivers deletes in change-stream mode, naming the deleted batch and its jobs', async () => {
    const feed = await startFeed('change-stream');
    const seen = collect(feed);
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: [{ parameters: params() }] });
    await seen.waitFor((e) => e.id === batch.batch_id);
    await deleteBatch(deps, actors.owner, batch.batch_id);
    expect(await seen.waitFor((e) => e.op === 'delete' && e.kind === 'batch')).toMatchObject({ id: batch.batch_id });
    expect(await seen.waitFor((e) => e.op === 'delete' && e.kind === 'job')).toMatchObject({
      id: job_ids[0],
      batch_id: batch.batch_id,
    });
  });

  it('polling reports each (id, updated_at) once although the windows overlap', async () => {
    const feed = createChangeFeed(deps, { mode: 'polling', pollIntervalMs: 100, overlapMs: 5000 });
    feeds.push(feed);
    const seen = collect(feed);
    const { batch } = await createBatch(deps, actors.owner, { jobs: [{ parameters: params() }] });
    await seen.waitFor((e) => e.id === batch.batch_id);
    await sleep(600); // several more polls over the same window
    expect(seen.events.filter((e) => e.id === batch.batch_id)).toHaveLength(1);
  });

  it('auto mode polls on a server that is not a replica set', async () => {
    const feed = createChangeFeed(deps, { pollIntervalMs: 200 });
    feeds.push(feed);
    const seen = collect(feed);
    const { batch } = await createBatch(deps, actors.owner, { jobs: [{ parameters: params() }] });
    await seen.waitFor((e) => e.id === batch.batch_id);
    expect(feed.stats().mode).toBe('polling');
  });

  it('the read filter lets through what the actor may read and nothing of a private batch of another user', async () => {
    const mine = await createBatch(deps, actors.owner, { jobs: [{ parameters: params() }] });
    const theirs = await createBatch(deps, actors.other, { jobs: [{ parameters: params() }] });
    const at = new Date();
    const mayRead = createChangeReadFilter(deps, actors.owner);
    expect(await mayRead({ kind: 'batch', op: 'update', id: mine.batch.batch_id, at })).toBe(true);
    expect(await mayRead({ kind: 'job', op: 'update', id: mine.job_ids[0] as string, batch_id: mine.batch.batch_id, at })).toBe(true);
    expect(await mayRead({ kind: 'batch', op: 'update', id: theirs.batch.batch_id, at })).toBe(false);
    expect(await mayRead({ kind: 'job', op: 'update', id: theirs.job_ids[0] as string, batch_id: theirs.batch.batch_id, at })).toBe(false);
    // A deleted batch is judged by what was known of it; an unknown one is hidden.
    await deleteBatch(deps, actors.owner, mine.batch.batch_id);
    expect(await mayRead({ kind: 'batch', op: 'delete', id: mine.batch.batch_id, at })).toBe(true);
    expect(await mayRead({ kind: 'batch', op: 'delete', id: 'batch-never-seen', at })).toBe(false);
    expect(await createChangeReadFilter(deps, actors.admin)({ kind: 'batch', op: 'delete', id: 'batch-never-seen', at })).toBe(true);
  });
});
