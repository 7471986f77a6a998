import { connectMongoose } from '@event-monitor/db';
import { useTestDatabase } from '@event-monitor/testing';
import type { Connection } from 'mongoose';
import type { DomainDeps } from '../context';
import { createDomainModels } from '../models/domain-models';
import { actors, checkAllDocuments, domainDeps, jobsInput, manualClock } from '../../test-support/domain-fixtures';
import { archiveBatch, createBatch } from './batch.service';
import { previewRetention, runRetention, runRetentionIfDue, setBatchRetention, setRetentionPolicy } from './retention.service';
import { claimNextJob, completeJob } from './worker.service';

const DAY = 86_400_000;
const db = useTestDatabase();
const clock = manualClock(new Date('2026-01-01T10:00:00Z'));
let deps: DomainDeps;
let second: Connection;
let deps2: DomainDeps;
let seq = 0;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
  second = await connectMongoose({ uri: db.current.uri, dbName: db.current.dbName });
  deps2 = { models: createDomainModels(second), now: clock.now };
});

afterAll(async () => {
  await second.close();
});

beforeEach(async () => {
  clock.set(new Date('2026-01-01T10:00:00Z'));
  await Promise.all([
    deps.models.Job.deleteMany({}),
    deps.models.Batch.deleteMany({}),
    deps.models.RetentionSettings.deleteMany({}),
    deps.models.AuditEvent.deleteMany({}),
  ]);
});

/** Works every pending job off through the worker protocol (the batches finish as in production). */
async function finishAll(): Promise<void> {
  for (;;) {
    const claimed = await claimNextJob(deps, { worker_id: 'w' });
    if (!claimed) return;
    await completeJob(deps, { job_id: claimed.job.job_id, token: claimed.lease.token, results: {} });
  }
}

/** `n` batches of two jobs each, finished now. */
async function finishedBatches(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { batch } = await createBatch(deps, actors.owner, { batch_name: `finished ${++seq}`, jobs: jobsInput(2) });
    ids.push(batch.batch_id);
  }
  await finishAll();
  return ids;
}

const batchOf = (batchId: string) => deps.models.Batch.findOne({ batch_id: batchId }).lean();
const jobsOf = (batchId: string) => deps.models.Job.find({ batch_id: batchId }).lean();
const runAudits = () => deps.models.AuditEvent.find({ action: 'retention.run' }).lean();

describe('retention of finished batches', () => {
  it('answers NOT_FOUND for batch ids named like built-ins, and writes nothing', async () => {
    for (const batch_id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expect(setBatchRetention(deps, actors.admin, { batch_id, keep: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await deps.models.Batch.countDocuments({})).toBe(0);
  });

  it('changes nothing while the policy is off (the default), however old the batches', async () => {
    const [finished] = await finishedBatches(1);
    const { batch: archived } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await finishAll();
    await archiveBatch(deps, actors.owner, archived.batch_id);
    clock.advance(3650 * DAY);

    expect(await runRetentionIfDue(deps)).toBeNull();
    const preview = await previewRetention(deps, actors.admin);
    expect(preview).toMatchObject({ policy: {}, archive: { count: 0, batches: [] }, delete: { count: 0, batches: [] }, held: 0 });
    const run = await runRetention(deps, actors.admin);
    expect(run).toMatchObject({ archive: { count: 0 }, delete: { count: 0 }, deleted_jobs: 0 });
    expect(await batchOf(finished!)).toMatchObject({ archived: false });
    expect(await batchOf(archived.batch_id)).toMatchObject({ archived: true });
    expect(await jobsOf(archived.batch_id)).toHaveLength(1);
    // A batch's own days do not switch on an action the installation has off.
    await setBatchRetention(deps, actors.owner, { batch_id: finished!, archive_after_days: 1 });
    expect((await runRetention(deps, actors.admin)).archive.count).toBe(0);
  });

  it('archives a finished batch N days after it finished, not before; a kept batch stays', async () => {
    const [due, kept, own] = await finishedBatches(3);
    await setBatchRetention(deps, actors.owner, { batch_id: kept!, keep: true });
    await setBatchRetention(deps, actors.owner, { batch_id: own!, archive_after_days: 60 });
    await setRetentionPolicy(deps, actors.admin, { archive_finished_after_days: 30 });

    clock.advance(29 * DAY);
    expect((await previewRetention(deps, actors.admin)).archive.count).toBe(0);
    expect((await runRetention(deps, actors.admin)).archive.count).toBe(0);
    expect(await batchOf(due!)).toMatchObject({ archived: false });

    clock.advance(2 * DAY);
    const preview = await previewRetention(deps, actors.admin);
    expect(preview.archive).toEqual({ count: 1, batches: [{ batch_id: due, batch_name: expect.stringMatching(/^finished /) }] });
    const run = await runRetention(deps, actors.admin);
    expect(run.archive).toEqual(preview.archive);
    expect(await batchOf(due!)).toMatchObject({ archived: true, archived_at: clock.now() });
    expect((await jobsOf(due!)).map((job) => job.archived)).toEqual([true, true]);
    expect(await batchOf(kept!)).toMatchObject({ archived: false, retention: { keep: true } });
    expect(await batchOf(own!)).toMatchObject({ archived: false });

    clock.advance(30 * DAY); // 61 days: the batch's own 60 days are over, the kept one stays kept
    expect((await runRetention(deps, actors.admin)).archive.batches.map((b) => b.batch_id)).toEqual([own]);
    expect(await batchOf(kept!)).toMatchObject({ archived: false });

    const audits = await runAudits();
    expect(audits).toHaveLength(3);
    expect(audits.map((audit) => audit.details?.['archived']).sort()).toEqual([0, 1, 1]);
    expect(await checkAllDocuments(deps)).toEqual([]);
  });

  it('deletes an archived batch with its jobs M days after it was archived; a legacy archive starts its clock at the first run', async () => {
    const [ours, legacy] = await finishedBatches(2);
    await archiveBatch(deps, actors.owner, ours!);
    // The legacy archive_batch sets the flag only (no archived_at).
    await deps.models.Batch.collection.updateOne({ batch_id: legacy }, { $set: { archived: true } });
    await setRetentionPolicy(deps, actors.admin, { delete_archived_after_days: 10 });

    clock.advance(9 * DAY);
    expect((await runRetention(deps, actors.admin)).delete.count).toBe(0);
    expect(await batchOf(legacy!)).toMatchObject({ archived_at: clock.now() });

    clock.advance(2 * DAY);
    const preview = await previewRetention(deps, actors.admin);
    expect(preview.delete.batches.map((b) => b.batch_id)).toEqual([ours]);
    const run = await runRetention(deps, actors.admin);
    expect(run).toMatchObject({ delete: { count: 1 }, deleted_jobs: 2 });
    expect(await batchOf(ours!)).toBeNull();
    expect(await jobsOf(ours!)).toEqual([]);
    expect(await batchOf(legacy!)).not.toBeNull();

    clock.advance(9 * DAY); // 10 days after the run that stamped it
    expect((await runRetention(deps, actors.admin)).delete.batches.map((b) => b.batch_id)).toEqual([legacy]);
    expect(await deps.models.Job.countDocuments({})).toBe(0);
    const [audit] = (await runAudits()).filter((a) => a.details?.['deleted'] === 1).slice(0, 1);
    expect(audit).toMatchObject({ target: { type: 'batches', ids: [ours] }, count: 1, details: { deleted_jobs: 2, trigger: 'manual' } });
  });

  it('never touches a batch with a pending, processing or leased job, even when its stored status says finished', async () => {
    const [restarted, legacyTaken, archivedPending, leftLease] = await finishedBatches(4);
    // Legacy update_jobs_status_by_batch: every job of the batch back to pending, the batch as it was.
    await deps.models.Job.collection.updateMany({ batch_id: restarted }, { $set: { status: 'pending' } });
    // A legacy worker took a job with a plain update: processing, no lease.
    const [taken] = await jobsOf(legacyTaken!);
    await deps.models.Job.collection.updateOne({ job_id: taken!.job_id }, { $set: { status: 'processing', processing_started_at: clock.now() } });
    await archiveBatch(deps, actors.owner, archivedPending!);
    await deps.models.Job.collection.updateMany({ batch_id: archivedPending }, { $set: { status: 'pending' } });
    // A legacy worker finished a job an app worker held: completed, the lease still on it.
    const [finishedLeased] = await jobsOf(leftLease!);
    await deps.models.Job.collection.updateOne(
      { job_id: finishedLeased!.job_id },
      { $set: { lease: { token: 'left-over', worker_id: 'w', expires_at: new Date(clock.now().getTime() + 3650 * DAY) } } },
    );
    await setRetentionPolicy(deps, actors.admin, { archive_finished_after_days: 1, delete_archived_after_days: 1 });
    const before = await deps.models.Job.collection.find({}).sort({ job_id: 1 }).toArray();

    clock.advance(30 * DAY);
    expect(await previewRetention(deps, actors.admin)).toMatchObject({ archive: { count: 0 }, delete: { count: 0 }, held: 4 });
    expect(await runRetention(deps, actors.admin)).toMatchObject({ archive: { count: 0 }, delete: { count: 0 }, held: 4, deleted_jobs: 0 });
    expect(await deps.models.Job.collection.find({}).sort({ job_id: 1 }).toArray()).toEqual(before);
    expect(await batchOf(restarted!)).toMatchObject({ archived: false });
    expect(await batchOf(legacyTaken!)).toMatchObject({ archived: false });
    expect(await batchOf(leftLease!)).toMatchObject({ archived: false });
    expect(await batchOf(archivedPending!)).not.toBeNull();
  });

  it('two runs at once (two connections) archive and delete each batch once and count it once', async () => {
    const finished = await finishedBatches(6);
    const old = finished.slice(0, 3);
    for (const id of old) await archiveBatch(deps, actors.owner, id);
    await setRetentionPolicy(deps, actors.admin, { archive_finished_after_days: 5, delete_archived_after_days: 5 });
    clock.advance(6 * DAY);

    const [a, b] = await Promise.all([runRetention(deps, actors.admin), runRetention(deps2, actors.admin)]);
    expect(a.archive.count + b.archive.count).toBe(3);
    expect(a.delete.count + b.delete.count).toBe(3);
    expect(a.deleted_jobs + b.deleted_jobs).toBe(6);
    expect(await deps.models.Batch.countDocuments({})).toBe(3);
    expect(await deps.models.Batch.countDocuments({ archived: true, retention_delete: { $exists: false } })).toBe(3);
    expect(await deps.models.Job.countDocuments({})).toBe(6);
    const audits = await runAudits();
    expect(audits).toHaveLength(2);
    expect(audits.reduce((sum, audit) => sum + audit.count, 0)).toBe(6);
  });

  it('the sweep runs it at most once an hour, across processes, and only while an action is on', async () => {
    await finishedBatches(1);
    expect(await runRetentionIfDue(deps)).toBeNull();
    await setRetentionPolicy(deps, actors.admin, { archive_finished_after_days: 1 });
    clock.advance(2 * DAY);
    const [a, b] = await Promise.all([runRetentionIfDue(deps), runRetentionIfDue(deps2)]);
    expect([a, b].filter((run) => run !== null)).toHaveLength(1);
    expect((a ?? b)?.archive.count).toBe(1);
    clock.advance(59 * 60_000);
    expect(await runRetentionIfDue(deps)).toBeNull();
    clock.advance(2 * 60_000);
    expect(await runRetentionIfDue(deps)).not.toBeNull();
    const audits = await runAudits();
    expect(audits.map((audit) => audit.details?.['trigger'])).toEqual(['automatic', 'automatic']);
    expect(audits[0]?.actor.user_id).toBe('system:retention');
  });

  it('only admins see or change the policy; a batch admin sets its own retention, never as null', async () => {
    for (const actor of [actors.owner, actors.viewer]) {
      await expect(previewRetention(deps, actor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(setRetentionPolicy(deps, actor, { archive_finished_after_days: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(runRetention(deps, actor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const [id] = await finishedBatches(1);
    await expect(setBatchRetention(deps, actors.other, { batch_id: id!, keep: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await setBatchRetention(deps, actors.owner, { batch_id: id!, keep: true, delete_after_days: 3 })).toEqual({ batch_id: id, keep: true, delete_after_days: 3 });
    expect(await setBatchRetention(deps, actors.owner, { batch_id: id!, keep: null, delete_after_days: null })).toEqual({ batch_id: id });
    const raw = await deps.models.Batch.collection.findOne({ batch_id: id });
    expect(raw).not.toHaveProperty('retention');
    expect(await setRetentionPolicy(deps, actors.admin, { archive_finished_after_days: 7 })).toMatchObject({ archive_finished_after_days: 7, updated_by: 'adam' });
    expect(await setRetentionPolicy(deps, actors.admin, { archive_finished_after_days: null })).not.toHaveProperty('archive_finished_after_days');
    expect(await checkAllDocuments(deps)).toEqual([]);
  });
});
