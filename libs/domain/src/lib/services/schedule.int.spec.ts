import { connectMongoose } from '@event-monitor/db';
import { useTestDatabase } from '@event-monitor/testing';
import type { Connection } from 'mongoose';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { createDomainModels } from '../models/domain-models';
import { actors, checkAllDocuments, counterDrift, domainDeps, jobsInput } from '../../test-support/domain-fixtures';
import { createBatch, getBatch } from './batch.service';
import { renameBatch } from './edit.service';
import { createJob } from './job.service';
import { syncBatchFlags } from './maintenance.service';
import { claimNextJob, completeJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;
const extra: Connection[] = [];
const MINUTE = 60_000;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  for (let i = 0; i < 2; i++) extra.push(await connectMongoose({ uri: db.current.uri, dbName: db.current.dbName }));
});

afterAll(async () => {
  await Promise.all(extra.map((c) => c.close()));
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
});

const fieldErrorsOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, fields: Object.keys((err.details as { fieldErrors?: object })?.fieldErrors ?? {}) };
    throw err;
  }
};

const inFuture = (ms: number) => new Date(Date.now() + ms);

/** Claims with `n` concurrent workers over three connections until none gets anything. */
async function claimAll(n: number): Promise<string[]> {
  const connections = [db.current.connection, ...extra];
  const claimed: string[] = [];
  await Promise.all(
    Array.from({ length: n }, async (_, k) => {
      const claimerDeps: DomainDeps = { models: createDomainModels(connections[k % connections.length] as Connection) };
      for (;;) {
        const result = await claimNextJob(claimerDeps, { worker_id: `w-${k}` });
        if (!result) return;
        claimed.push(result.job.job_id);
      }
    }),
  );
  return claimed;
}

describe('creating a scheduled batch', () => {
  it('stores not_before and deadline on the batch and the start time on its jobs', async () => {
    const notBefore = inFuture(10 * MINUTE);
    const deadline = inFuture(60 * MINUTE);
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(3), not_before: notBefore.toISOString(), deadline });
    expect(batch).toMatchObject({ not_before: notBefore, deadline, deadline_risk: 'unknown' });
    const jobs = await deps.models.Job.find({ job_id: { $in: job_ids } }).lean();
    expect(jobs.map((job) => job.batch_not_before?.getTime())).toEqual(job_ids.map(() => notBefore.getTime()));
    expect(await checkAllDocuments(deps)).toEqual([]);
  });

  it('leaves the keys out (never null) without a schedule', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const raw = await deps.models.Batch.collection.findOne({ batch_id: batch.batch_id });
    expect(raw).not.toHaveProperty('not_before');
    expect(raw).not.toHaveProperty('deadline');
    expect(await deps.models.Job.collection.findOne({ job_id: job_ids[0] })).not.toHaveProperty('batch_not_before');
    expect(batch).not.toHaveProperty('deadline_risk');
  });

  it.each([
    ['a deadline before not_before', { not_before: inFuture(2 * MINUTE), deadline: inFuture(MINUTE) }, ['deadline']],
    ['a deadline in the past', { deadline: new Date(Date.now() - MINUTE) }, ['deadline']],
    ['a date that is no date', { not_before: 'tomorrow' }, ['not_before']],
    ['a date without offset', { deadline: '2030-01-01T10:00:00' }, ['deadline']],
  ])('refuses %s, naming the field', async (_name, schedule, fields) => {
    expect(await fieldErrorsOf(createBatch(deps, actors.owner, { jobs: jobsInput(1), ...(schedule as object) }))).toEqual({ code: 'VALIDATION', fields });
    expect(await deps.models.Batch.countDocuments({})).toBe(0);
  });
});

describe('the claim and not_before', () => {
  it('concurrent claimers take no job of a batch that starts later, and all of them once the time came', async () => {
    const later = await createBatch(deps, actors.owner, { jobs: jobsInput(20), not_before: inFuture(2_500) });
    const now = await createBatch(deps, actors.owner, { jobs: jobsInput(10) });
    const first = await claimAll(6);
    expect(new Set(first)).toEqual(new Set(now.job_ids));
    expect(await deps.models.Job.countDocuments({ batch_id: later.batch_id, status: 'pending' })).toBe(20);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (later.batch.not_before as Date).getTime() - Date.now() + 50)));
    const second = await claimAll(6);
    expect(second).toHaveLength(20);
    expect(new Set(second)).toEqual(new Set(later.job_ids));
    expect(await counterDrift(deps)).toEqual([]);
  }, 60_000);

  it('claim_next on completion steps over a batch that starts later', async () => {
    await createBatch(deps, actors.owner, { jobs: jobsInput(2), not_before: inFuture(10 * MINUTE) });
    const { job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const claim = await claimNextJob(deps, { worker_id: 'w' });
    expect(claim?.job.job_id).toBe(job_ids[0]);
    const done = await completeJob(deps, { job_id: job_ids[0] as string, token: claim?.lease.token as string, results: { markdown_content: 'x' }, claim_next: { worker_id: 'w' } });
    expect(done.next).toBeNull();
  });

  it('a job added to a scheduled batch waits with it', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(1), not_before: inFuture(10 * MINUTE) });
    const job = await createJob(deps, actors.owner, { batch_id: batch.batch_id, parameters: { session: 'added' } });
    expect((await deps.models.Job.findOne({ job_id: job.job_id }).lean())?.batch_not_before).toEqual(batch.not_before);
    expect(await claimNextJob(deps, { worker_id: 'w' })).toBeNull();
  });
});

/** A job as the legacy side adds one to an existing batch: a driver insert, none of our copies. */
async function insertLegacyJob(batchId: string, jobId: string): Promise<void> {
  const now = new Date();
  await deps.models.Job.collection.insertOne({
    job_id: jobId,
    batch_id: batchId,
    job_type: '',
    status: 'pending',
    created_at: now,
    updated_at: now,
    parameters: { event: 'E', session: jobId },
    access_control: { owner: 'legacy', read: [], write: [], admin: [] },
  });
}

describe('the maintenance sweep and the start time copy', () => {
  it('copies a future start onto a job the legacy side added, so the claim holds it back', async () => {
    const later = inFuture(10 * MINUTE);
    const scheduled = await createBatch(deps, actors.owner, { jobs: jobsInput(1), not_before: later });
    await insertLegacyJob(scheduled.batch.batch_id, 'legacy-added');
    // A batch changed after it: the scheduled one is no longer among the `limit` most recent.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const open = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });

    expect(await syncBatchFlags(deps, { limit: 1 })).toEqual({ batches: 1, jobs: 1 });
    expect((await deps.models.Job.findOne({ job_id: 'legacy-added' }).lean())?.batch_not_before).toEqual(later);
    expect((await claimNextJob(deps, { worker_id: 'w' }))?.job.job_id).toBe(open.job_ids[0]);
    expect(await claimNextJob(deps, { worker_id: 'w' })).toBeNull();
    expect(await syncBatchFlags(deps, { limit: 1 })).toEqual({ batches: 0, jobs: 0 });
  });

  it('moves a copy to a changed start, and removes a future copy whose start was cleared', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(2), not_before: inFuture(10 * MINUTE) });
    // Only the batch document changes (an edit stopped between its two writes, or the legacy side).
    const sooner = inFuture(5 * MINUTE);
    await deps.models.Batch.collection.updateOne({ batch_id: batch.batch_id }, { $set: { not_before: sooner } });
    expect(await syncBatchFlags(deps)).toEqual({ batches: 1, jobs: 2 });
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, batch_not_before: sooner })).toBe(2);

    await deps.models.Batch.collection.updateOne({ batch_id: batch.batch_id }, { $unset: { not_before: 1 } });
    expect(await syncBatchFlags(deps)).toEqual({ batches: 1, jobs: 2 });
    expect(await deps.models.Job.collection.countDocuments({ batch_id: batch.batch_id, batch_not_before: { $exists: true } })).toBe(0);
    expect((await claimNextJob(deps, { worker_id: 'w' }))?.job.job_id).toBe(job_ids[0]);
  });

  it('leaves the jobs of a batch whose start has passed claimable, legacy-added ones too', async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(1), not_before: inFuture(10 * MINUTE) });
    const passed = new Date(Date.now() - MINUTE);
    await deps.models.Batch.collection.updateOne({ batch_id: batch.batch_id }, { $set: { not_before: passed } });
    await deps.models.Job.collection.updateMany({ batch_id: batch.batch_id }, { $set: { batch_not_before: passed } });
    await insertLegacyJob(batch.batch_id, 'legacy-late');

    // The legacy job gets the batch flags it lacks (batch_active, ...); no start holds it back.
    expect(await syncBatchFlags(deps)).toEqual({ batches: 1, jobs: 1 });
    const claimed = [await claimNextJob(deps, { worker_id: 'w' }), await claimNextJob(deps, { worker_id: 'w' })];
    expect(claimed.map((c) => c?.job.job_id).sort()).toEqual([job_ids[0], 'legacy-late'].sort());
  });
});

describe('editing the schedule', () => {
  it("moves the jobs' start time with the batch's: set, then removed", async () => {
    const { batch, job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    const later = inFuture(10 * MINUTE);
    const edited = await renameBatch(deps, actors.owner, batch.batch_id, { not_before: later.toISOString() });
    expect(edited.not_before).toEqual(later);
    expect(edited.batch_name).toBe(batch.batch_name);
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, batch_not_before: later })).toBe(3);
    expect(await claimNextJob(deps, { worker_id: 'w' })).toBeNull();

    const cleared = await renameBatch(deps, actors.owner, batch.batch_id, { not_before: null });
    expect(cleared).not.toHaveProperty('not_before');
    expect(await deps.models.Batch.collection.findOne({ batch_id: batch.batch_id })).not.toHaveProperty('not_before');
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, batch_not_before: { $exists: true } })).toBe(0);
    expect((await claimNextJob(deps, { worker_id: 'w' }))?.job.job_id).toBe(job_ids[0]);
    expect(await deps.models.AuditEvent.countDocuments({ action: 'batch.schedule' })).toBe(2);
    expect(await deps.models.AuditEvent.countDocuments({ action: 'batch.rename' })).toBe(0);
  });

  it('checks the deadline against the stored start time, and an empty edit is refused', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(1), not_before: inFuture(30 * MINUTE) });
    expect(await fieldErrorsOf(renameBatch(deps, actors.owner, batch.batch_id, { deadline: inFuture(10 * MINUTE) }))).toEqual({
      code: 'VALIDATION',
      fields: ['deadline'],
    });
    expect(await fieldErrorsOf(renameBatch(deps, actors.owner, batch.batch_id, {}))).toEqual({ code: 'VALIDATION', fields: [] });
    const ok = await renameBatch(deps, actors.owner, batch.batch_id, { deadline: inFuture(60 * MINUTE), batch_name: 'Renamed' });
    expect(ok).toMatchObject({ batch_name: 'Renamed', deadline_risk: 'unknown' });
  });

  it('is refused to a reader who may not write the batch', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(1), visibility: 'public' });
    expect(await fieldErrorsOf(renameBatch(deps, actors.other, batch.batch_id, { not_before: inFuture(MINUTE) }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('deadline_risk', () => {
  it('follows the ETA from the observed throughput: on track, at risk, missed', async () => {
    const created = new Date('2030-01-01T10:00:00Z');
    const at = (minutes: number) => new Date(created.getTime() + minutes * MINUTE);
    const clock = { now: created };
    const timed: DomainDeps = { ...deps, now: () => clock.now };
    const { batch } = await createBatch(timed, actors.owner, { jobs: jobsInput(4), deadline: at(60) });
    expect(batch.deadline_risk).toBe('unknown');
    // Two jobs done in 10 minutes: two left, ETA 10 more minutes.
    for (let i = 0; i < 2; i++) {
      const claim = await claimNextJob(timed, { worker_id: 'w' });
      await completeJob(timed, { job_id: claim?.job.job_id as string, token: claim?.lease.token as string, results: { markdown_content: 'x' } });
    }
    clock.now = at(10);
    expect((await getBatch(timed, actors.owner, batch.batch_id)).deadline_risk).toBe('on_track');
    clock.now = at(40); // 2 done in 40 min: 40 more, past 60
    expect((await getBatch(timed, actors.owner, batch.batch_id)).deadline_risk).toBe('at_risk');
    clock.now = at(61);
    expect((await getBatch(timed, actors.owner, batch.batch_id)).deadline_risk).toBe('missed');
  });
});
