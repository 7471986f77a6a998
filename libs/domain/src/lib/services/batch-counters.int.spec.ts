import { useTestDatabase } from '@event-monitor/testing';
import { Collection, MongoNetworkError } from 'mongodb';
import type { DomainDeps } from '../context';
import { actors, counterDrift, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { reconcileBatches } from './batch-counters';
import { createBatch } from './batch.service';
import { claimNextJob } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

afterEach(() => jest.restoreAllMocks());

describe('a counter move lost between the job write and the batch $inc', () => {
  it('is repaired by the next sweep even when the batch is not among the recently changed ones', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: [0, 1].map(() => ({ job_type: 'interrupted', parameters: params() })) });
    // The database goes away after the claim's job write, before the batch's $inc.
    const realUpdate = Collection.prototype.findOneAndUpdate;
    jest.spyOn(Collection.prototype, 'findOneAndUpdate').mockImplementation(function (this: Collection, ...args: unknown[]) {
      if (this.collectionName === 'event_batches') return Promise.reject(new MongoNetworkError('connection closed')) as never;
      return (realUpdate as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
    await expect(claimNextJob(deps, { worker_id: 'w-interrupted', job_types: ['interrupted'] })).rejects.toThrow('connection closed');
    jest.restoreAllMocks();

    // Other batches change later: the interrupted one falls out of a sweep window of one batch.
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await createBatch(deps, actors.owner, { jobs: [{ job_type: `later-${i}`, parameters: params() }] });
    }
    const sweep = await reconcileBatches(deps, { limit: 1 });
    expect(sweep.results.filter((r) => r.repaired).map((r) => ({ batch: r.batch_id, pending: r.after.pending_jobs, processing: r.after.processing_jobs }))).toEqual([
      { batch: batch.batch_id, pending: 1, processing: 1 },
    ]);
    expect(await counterDrift(deps)).toEqual([]);
    // Repaired once: the next sweep does not single it out again (it checks the newest batch only).
    clock.advance(60_000);
    await createBatch(deps, actors.owner, { jobs: [{ job_type: 'latest', parameters: params() }] });
    expect((await reconcileBatches(deps, { limit: 1 })).checked).toBe(1);
  }, 60_000);
});
