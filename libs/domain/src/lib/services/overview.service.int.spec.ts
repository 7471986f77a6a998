import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, domainDeps, jobsInput, manualClock } from '../../test-support/domain-fixtures';
import { BATCH_HANDLERS } from '../operations/batch.operations';
import { createBatch } from './batch.service';
import { batchOverview } from './overview.service';
import { claimNextJob, completeJob, failJob } from './worker.service';

const db = useTestDatabase();
const NOW = new Date('2026-03-10T12:00:00Z');
const MINUTE = 60_000;
const clock = manualClock(NOW);
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

beforeEach(async () => {
  clock.set(NOW);
  await Promise.all([
    deps.models.Job.deleteMany({}),
    deps.models.Batch.deleteMany({}),
    deps.models.Worker.deleteMany({}),
  ]);
});

const at = (minutesAgo: number) => clock.set(new Date(NOW.getTime() - minutesAgo * MINUTE));

/** One worker call sequence at a given time: claims the next job and completes, fails or keeps it. */
async function work(workerId: string, outcome: 'complete' | 'fail' | 'keep'): Promise<string> {
  const claim = await claimNextJob(deps, { worker_id: workerId });
  if (!claim) throw new Error('nothing to claim');
  const { job_id } = claim.job;
  if (outcome === 'complete')
    await completeJob(deps, { job_id, token: claim.lease.token, results: { markdown_content: '#' } });
  if (outcome === 'fail')
    await failJob(deps, {
      job_id,
      token: claim.lease.token,
      error: { code: 'VideoMissing', message: 'no video' },
    });
  return job_id;
}

describe('batchOverview', () => {
  it('counts the queue now, the jobs finished in the last hour and the workers seen in 5 minutes, per reader', async () => {
    at(120);
    await createBatch(deps, actors.owner, { jobs: jobsInput(6) });
    at(119);
    await createBatch(deps, actors.other, { jobs: jobsInput(2) });
    at(90);
    await work('w-old', 'complete'); // finished before the hour
    at(10);
    await work('w-1', 'complete');
    await work('w-1', 'complete');
    await work('w-1', 'fail');
    await work('w-1', 'keep'); // processing now; w-1 last seen 10 minutes ago: not active
    at(3);
    await work('w-2', 'complete'); // the owner's last job
    await work('w-2', 'complete'); // the other operator's first job
    clock.set(NOW);

    const owner = await batchOverview(deps, actors.owner);
    expect(owner).toEqual({
      at: NOW,
      now: { pending: 0, processing: 1 },
      last_hour: { since: new Date(NOW.getTime() - 60 * MINUTE), completed: 3, failed: 1 },
      workers: { active: 1, seen_within_ms: 5 * MINUTE },
    });
    // Another operator sees only their own batch; an admin sees both.
    const other = await batchOverview(deps, actors.other);
    expect([other.now, other.last_hour.completed, other.last_hour.failed]).toEqual([
      { pending: 1, processing: 0 },
      1,
      0,
    ]);
    const admin = await batchOverview(deps, actors.admin);
    expect([admin.now, admin.last_hour.completed, admin.last_hour.failed]).toEqual([
      { pending: 1, processing: 1 },
      4,
      1,
    ]);
    // A viewer who may read neither batch gets zeros, and the shared worker count.
    const viewer = await batchOverview(deps, actors.viewer);
    expect([viewer.now, viewer.last_hour.completed, viewer.workers.active]).toEqual([
      { pending: 0, processing: 0 },
      0,
      1,
    ]);
  });

  it('moves its windows with the clock: an hour later the finished jobs and the workers have left them', async () => {
    at(5);
    await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    await work('w-1', 'complete');
    await work('w-1', 'complete');
    clock.set(NOW);
    expect((await batchOverview(deps, actors.owner)).last_hour).toMatchObject({ completed: 2, failed: 0 });
    expect((await batchOverview(deps, actors.owner)).workers.active).toBe(1);

    clock.set(new Date(NOW.getTime() + 56 * MINUTE));
    const later = await batchOverview(deps, actors.owner);
    expect(later.last_hour).toMatchObject({ completed: 0, failed: 0 });
    expect(later.workers.active).toBe(0);
    expect(later.now).toEqual({ pending: 1, processing: 0 });
  });

  it('does not count a job whose completed_at lies ahead of the server clock (a skewed writer)', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    await deps.models.Job.collection.updateMany(
      { batch_id: batch.batch_id },
      { $set: { status: 'completed', completed_at: new Date(NOW.getTime() + 10 * MINUTE) } },
    );
    expect((await batchOverview(deps, actors.owner)).last_hour.completed).toBe(0);
  });

  it('is the batch.overview operation of the table', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(2) });
    const answer = (await BATCH_HANDLERS.overview(deps, actors.owner)) as { now: { pending: number } };
    expect(answer.now.pending).toBe(2);
  });
});
