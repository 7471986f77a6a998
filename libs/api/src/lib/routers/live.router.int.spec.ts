import { isTrackedEnvelope } from '@trpc/server';
import type { EventMonitorAuth, Principal } from '@event-monitor/auth';
import {
  claimNextJob,
  createBatch,
  createChangeFeed,
  createDomainModels,
  ensureIndexes,
  type ChangeFeed,
  type DomainDeps,
  type Role,
} from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from '../root';
import { createContextInner } from '../trpc';
import type { LiveEvent } from './live.router';

const db = useTestDatabase();
let domain: DomainDeps;
let feed: ChangeFeed;

const principal = (userId: string, role: Role): Principal => ({
  actor: { userId, role },
  via: 'session',
  scopes: ['read', 'write'],
});
const owner = principal('u-owner', 'operator');
const other = principal('u-other', 'operator');
const job = { job_type: 'live', parameters: { event: 'E', session: 'S' } };

beforeAll(async () => {
  domain = { models: createDomainModels(db.current.connection) };
  await ensureIndexes(domain.models);
  feed = createChangeFeed(domain, { mode: 'polling', pollIntervalMs: 100 });
});
afterAll(async () => {
  await feed.close();
});

/** Subscribes as `who` and collects what arrives until the returned controller aborts. */
async function subscribe(who: Principal | null, input: Record<string, unknown> = {}, withFeed = true) {
  const controller = new AbortController();
  const caller = createCaller(
    createContextInner({
      getDomain: async () => domain,
      getAuth: async () => ({}) as EventMonitorAuth,
      principal: who,
      ...(withFeed ? { getChangeFeed: () => feed } : {}),
    }),
    { signal: controller.signal },
  );
  const iterable = await caller.live.changes(input);
  const received: Array<{ id?: string; data: LiveEvent }> = [];
  const done = (async () => {
    for await (const item of iterable as AsyncIterable<unknown>) {
      received.push(isTrackedEnvelope(item) ? { id: item[0], data: item[1] as LiveEvent } : { data: item as LiveEvent });
    }
  })();
  const waitFor = async (match: (e: LiveEvent) => boolean, ms = 2000): Promise<LiveEvent> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = received.find((r) => match(r.data));
      if (found) return found.data;
      if (Date.now() > deadline) throw new Error(`nothing matching within ${ms} ms: ${JSON.stringify(received)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { controller, received, done, waitFor };
}

describe('live.changes (subscription through createCaller, real database)', () => {
  it('delivers a job claimed by a worker to a reader of its batch within 2 s, and nothing of another user\'s private batch', async () => {
    const mine = await subscribe(owner);
    const theirs = await subscribe(other);
    try {
      const { batch, job_ids } = await createBatch(domain, owner.actor, { jobs: [job] });
      const claimed = await claimNextJob(domain, { worker_id: 'w-live', job_types: ['live'] });
      expect(claimed?.job.job_id).toBe(job_ids[0]);

      const event = await mine.waitFor((e) => e.kind === 'job' && e.status === 'processing');
      expect(event).toEqual({
        kind: 'job',
        op: 'update',
        id: job_ids[0],
        batch_id: batch.batch_id,
        status: 'processing',
        at: expect.any(Date),
      });
      expect(mine.received.every((r) => typeof r.id === 'string')).toBe(true);
      await mine.waitFor((e) => e.kind === 'batch' && 'id' in e && e.id === batch.batch_id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(theirs.received).toEqual([]);
    } finally {
      mine.controller.abort();
      theirs.controller.abort();
    }
  });

  it('filters by batch_id and job_id', async () => {
    const a = await createBatch(domain, owner.actor, { jobs: [job] });
    const onlyB = await subscribe(owner, { batch_id: 'batch-b-filter' });
    const onlyJob = await subscribe(owner, { job_id: 'job-none' });
    try {
      const b = await createBatch(domain, owner.actor, { batch_id: 'batch-b-filter', jobs: [job] });
      await onlyB.waitFor((e) => e.kind === 'job' && 'id' in e && e.id === b.job_ids[0]);
      await onlyB.waitFor((e) => e.kind === 'batch' && 'id' in e && e.id === 'batch-b-filter');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ids = onlyB.received.map((r) => ('id' in r.data ? r.data.id : r.data.kind));
      expect(ids).not.toContain(a.batch.batch_id);
      expect(onlyJob.received).toEqual([]);
    } finally {
      onlyB.controller.abort();
      onlyJob.controller.abort();
    }
  });

  it('stops when the signal aborts', async () => {
    const live = await subscribe(owner);
    live.controller.abort();
    await expect(
      Promise.race([live.done.then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('still running'), 1000))]),
    ).resolves.toBe('ended');
    const count = live.received.length;
    await createBatch(domain, owner.actor, { jobs: [job] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(live.received.length).toBe(count);
  });

  it('starts with a resync when the client reconnects with a lastEventId', async () => {
    const live = await subscribe(owner, { lastEventId: 'abc-1' });
    try {
      expect(await live.waitFor(() => true)).toEqual({ kind: 'resync', at: expect.any(Date) });
    } finally {
      live.controller.abort();
    }
  });

  it('refuses anonymous callers and says when the server has no feed', async () => {
    await expect(subscribe(null)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // The stream itself fails (the client sees an error event and falls back to polling).
    const withoutFeed = await subscribe(owner, {}, false);
    await expect(withoutFeed.done).rejects.toMatchObject({ code: 'NOT_IMPLEMENTED' });
  });
});
