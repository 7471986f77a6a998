import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { claimNextJob, completeJob, heartbeat, listWorkers } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

async function workerRow(workerId: string) {
  return (await listWorkers(deps, { seen_within_ms: 3_600_000 })).find((w) => w.worker_id === workerId);
}

describe("the worker's row", () => {
  it('an idle worker polling for claims is written at most once a second, with its last-seen time', async () => {
    expect(await claimNextJob(deps, { worker_id: 'w-poll' })).toBeNull();
    const first = (await workerRow('w-poll'))?.last_seen_at;
    clock.advance(400);
    await claimNextJob(deps, { worker_id: 'w-poll' });
    expect((await workerRow('w-poll'))?.last_seen_at).toEqual(first);
    clock.advance(700);
    await claimNextJob(deps, { worker_id: 'w-poll' });
    expect((await workerRow('w-poll'))?.last_seen_at).toEqual(clock.now());
  });

  it('claims, heartbeats and completions always write the current job and the counts', async () => {
    await createBatch(deps, actors.owner, { batch_name: 'touch', jobs: [{ parameters: params() }, { parameters: params() }] });
    await claimNextJob(deps, { worker_id: 'w-busy' });
    clock.advance(100);
    const claim = await claimNextJob(deps, { worker_id: 'w-busy' });
    expect(await workerRow('w-busy')).toMatchObject({ jobs_claimed: 2, current_job_id: claim?.job.job_id, last_seen_at: clock.now() });
    clock.advance(100);
    // Same job, within the second: nothing new to write.
    await heartbeat(deps, { job_id: claim!.job.job_id, token: claim!.lease.token });
    expect((await workerRow('w-busy'))?.last_seen_at).toEqual(new Date(clock.now().getTime() - 100));
    clock.advance(100);
    await completeJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, results: { markdown_file: 'sessions/FOSDEM_2025/de/out.md' } });
    const row = await workerRow('w-busy');
    expect(row).toMatchObject({ jobs_claimed: 2, jobs_completed: 1, last_seen_at: clock.now() });
    expect(row?.current_job_id).toBeUndefined();
  });
});
