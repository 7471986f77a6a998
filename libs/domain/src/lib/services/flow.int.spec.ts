import { connectMongoose } from '@event-monitor/db';
import { useTestDatabase } from '@event-monitor/testing';
import type { Connection } from 'mongoose';
import type { DomainDeps } from '../context';
import { createDomainModels } from '../models/domain-models';
import { actors, counterDrift, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { listJobTypeFlow, pauseJobType, recountFlowSlots, resumeJobType, setJobTypeLimits, SLOT_GRACE_MS } from './flow.service';
import { recoverExpiredLeases } from './maintenance.service';
import { claimNextJob, completeJob, failJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;
const extra: Connection[] = [];
let seq = 0;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  for (let i = 0; i < 3; i++) extra.push(await connectMongoose({ uri: db.current.uri, dbName: db.current.dbName }));
});

afterAll(async () => {
  await Promise.all(extra.map((c) => c.close()));
});

/** A batch of `n` jobs of `jobType` (optionally with a priority). */
async function jobsOf(jobType: string, n: number, priority = 0): Promise<string[]> {
  const { job_ids } = await createBatch(deps, actors.owner, {
    jobs: Array.from({ length: n }, (_, i) => ({ job_type: jobType, priority, parameters: params({ session: `${jobType} ${i}` }) })),
  });
  return job_ids;
}

const slotsOf = async (jobType: string) => (await deps.models.JobTypeFlow.findOne({ job_type: jobType }).lean())?.count;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pause and resume by job type', () => {
  it('the claim skips a paused type and hands its jobs out again after resume', async () => {
    const type = `paused-${++seq}`;
    const [job] = await jobsOf(type, 1, 50);
    const [other] = await jobsOf(`other-${seq}`, 1, 0);
    await pauseJobType(deps, actors.admin, { job_type: type });

    // Without job_types (the $nin form) and with them (the shorter $in form).
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).toBeNull();
    const any = await claimNextJob(deps, { worker_id: 'w', job_types: [type, `other-${seq}`] });
    expect(any?.job.job_id).toBe(other);
    expect((await listJobTypeFlow(deps)).job_types).toContainEqual(expect.objectContaining({ job_type: type, paused: true }));

    await resumeJobType(deps, actors.admin, { job_type: type });
    expect((await claimNextJob(deps, { worker_id: 'w', job_types: [type] }))?.job.job_id).toBe(job);
  });

  it('a paused type is skipped by a claim for any type too, while other types are handed out', async () => {
    const type = `paused-any-${++seq}`;
    await jobsOf(type, 2, 100); // the best jobs of the queue
    await jobsOf(`other-any-${seq}`, 1, 0);
    await pauseJobType(deps, actors.admin, { job_type: type });
    const claimed = await claimNextJob(deps, { worker_id: 'w-any' });
    expect(claimed).not.toBeNull();
    expect(claimed?.job.job_type).not.toBe(type);
    await resumeJobType(deps, actors.admin, { job_type: type });
    expect((await claimNextJob(deps, { worker_id: 'w-any' }))?.job.job_type).toBe(type);
  });

  it('a pause with resume_at ends by itself at that time', async () => {
    const clock = manualClock(new Date());
    const clocked: DomainDeps = { ...deps, now: clock.now };
    const type = `timed-${++seq}`;
    const [job] = await jobsOf(type, 1);
    await pauseJobType(clocked, actors.admin, { job_type: type, resume_at: new Date(clock.now().getTime() + 60_000) });
    expect(await claimNextJob(clocked, { worker_id: 'w', job_types: [type] })).toBeNull();
    clock.advance(61_000);
    expect((await claimNextJob(clocked, { worker_id: 'w', job_types: [type] }))?.job.job_id).toBe(job);
    // The sweep clears the pause for display.
    expect((await recountFlowSlots(clocked)).resumed).toBeGreaterThanOrEqual(1);
    expect((await deps.models.JobTypeFlow.findOne({ job_type: type }).lean())?.paused).toBe(false);
  });

  it('refuses a resume_at in the past', async () => {
    await expect(pauseJobType(deps, actors.admin, { job_type: 'x', resume_at: new Date(Date.now() - 1000) })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('limits per job type', () => {
  it('32 concurrent claimers over 4 connections never hold more jobs of a type than its limit', async () => {
    const type = `limited-${++seq}`;
    const LIMIT = 3;
    const JOBS = 60;
    await jobsOf(type, JOBS);
    await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: LIMIT });

    let maxSampled = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const processing = await deps.models.Job.countDocuments({ status: 'processing', job_type: type });
        maxSampled = Math.max(maxSampled, processing);
        await sleep(3);
      }
    })();

    const connections = [db.current.connection, ...extra];
    const held: { from: number; to: number }[] = [];
    let done = 0;
    // Until the limit has been reached once, a holder waits (up to 10 s) for the others: on a
    // loaded machine claims take longer than a hold, and "the limit is used" must not depend on
    // timing. After that, holds are short.
    let holding = 0;
    let limitReached = false;
    const claimers = Array.from({ length: 32 }, async (_, i) => {
      const claimerDeps: DomainDeps = { models: createDomainModels(connections[i % connections.length]!) };
      const deadline = Date.now() + 90_000;
      while (done < JOBS && Date.now() < deadline) {
        const claimed = await claimNextJob(claimerDeps, { worker_id: `w-${i}`, job_types: [type] });
        if (!claimed) {
          await sleep(10);
          continue;
        }
        // Inside the true holding time (reservation .. release): their overlap can only be smaller.
        const from = performance.now();
        holding++;
        const waitUntil = Date.now() + 10_000;
        while (!limitReached && holding < LIMIT && Date.now() < waitUntil) await sleep(2);
        if (holding >= LIMIT) limitReached = true;
        await sleep(1 + (i % 4));
        holding--;
        const to = performance.now();
        await completeJob(claimerDeps, { job_id: claimed.job.job_id, token: claimed.lease.token, results: {} });
        held.push({ from, to });
        done++;
      }
    });
    await Promise.all(claimers);
    sampling = false;
    await sampler;

    expect(done).toBe(JOBS);
    expect(await deps.models.Job.countDocuments({ job_type: type, status: 'completed' })).toBe(JOBS);
    expect(maxSampled).toBeGreaterThan(0);
    expect(maxSampled).toBeLessThanOrEqual(LIMIT);
    const events = held.flatMap((h) => [[h.from, 1] as const, [h.to, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let maxOpen = 0;
    for (const [, step] of events) maxOpen = Math.max(maxOpen, (open += step));
    expect(maxOpen).toBeLessThanOrEqual(LIMIT);
    expect(maxOpen).toBe(LIMIT); // the limit is used, not just respected
    expect(await slotsOf(type)).toBe(0);
    expect(await counterDrift(deps)).toEqual([]);
  }, 120_000);

  it('hands out jobs of other types while a limited type is full', async () => {
    const type = `full-${++seq}`;
    await jobsOf(type, 3, 100);
    const [free] = await jobsOf(`free-${seq}`, 1, 0);
    await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: 1 });
    const first = await claimNextJob(deps, { worker_id: 'w1', job_types: [type, `free-${seq}`] });
    expect(first?.job.job_type).toBe(type);
    const second = await claimNextJob(deps, { worker_id: 'w2', job_types: [type, `free-${seq}`] });
    expect(second?.job.job_id).toBe(free);
    expect(await claimNextJob(deps, { worker_id: 'w3', job_types: [type, `free-${seq}`] })).toBeNull();
    expect(await slotsOf(type)).toBe(1);
  });

  it('job types named like built-ins (constructor, __proto__, toString) are limited and paused like any other', async () => {
    for (const type of ['constructor', '__proto__', 'toString']) {
      await jobsOf(type, 2, 100);
      await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: 1 });
      expect((await claimNextJob(deps, { worker_id: `b-${type}`, job_types: [type] }))?.job.job_type).toBe(type);
      expect(await claimNextJob(deps, { worker_id: `b2-${type}`, job_types: [type] })).toBeNull();
      expect(await slotsOf(type)).toBe(1);
      await pauseJobType(deps, actors.admin, { job_type: type });
      expect((await listJobTypeFlow(deps)).job_types).toContainEqual(expect.objectContaining({ job_type: type, paused: true }));
      await resumeJobType(deps, actors.admin, { job_type: type });
    }
  });

  it('releases the slot when the job fails (retry or for good) and when its lease expires', async () => {
    const type = `release-${++seq}`;
    await jobsOf(type, 3);
    await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: 1 });
    const a = await claimNextJob(deps, { worker_id: 'w', job_types: [type] });
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).toBeNull();
    await failJob(deps, { job_id: a!.job.job_id, token: a!.lease.token, error: { code: 'E', message: 'x' }, retryable: false });
    expect(await slotsOf(type)).toBe(0);

    const clock = manualClock(new Date());
    const clocked: DomainDeps = { ...deps, now: clock.now };
    const b = await claimNextJob(clocked, { worker_id: 'w', job_types: [type], lease_seconds: 30 });
    expect(b).not.toBeNull();
    clock.advance(31_000);
    const recovered = await recoverExpiredLeases(clocked);
    expect(recovered.requeued + recovered.failed).toBe(1);
    expect(await slotsOf(type)).toBe(0);
    expect(await claimNextJob(clocked, { worker_id: 'w2', job_types: [type] })).not.toBeNull();
  });

  it('the recount gives back the slot of a claimer that crashed between reservation and claim, and counts legacy-taken jobs', async () => {
    const type = `leak-${++seq}`;
    const [legacyJob] = await jobsOf(type, 3);
    await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: 2 });
    // A crashed claimer: a slot without a job, reserved long ago.
    await deps.models.JobTypeFlow.updateOne(
      { job_type: type },
      { $inc: { count: 1, version: 1 }, $push: { slots: { token: 'crashed', at: new Date(Date.now() - SLOT_GRACE_MS - 1000) } } },
    );
    // A legacy worker takes a job directly in MongoDB (no lease, no slot).
    await deps.models.Job.collection.updateOne({ job_id: legacyJob }, { $set: { status: 'processing', processing_started_at: new Date() } });
    const before = await claimNextJob(deps, { worker_id: 'w', job_types: [type] });
    expect(before).not.toBeNull(); // 1 crashed + 1 = 2: full now
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).toBeNull();

    expect((await recountFlowSlots(deps)).corrected).toBeGreaterThanOrEqual(1);
    // Now: the legacy job and the claimed one hold the two slots; the crashed one is gone.
    const doc = await deps.models.JobTypeFlow.findOne({ job_type: type }).lean();
    expect(doc?.count).toBe(2);
    expect(doc?.slots.map((slot) => slot.token).sort()).toEqual([before!.lease.token, `legacy:${legacyJob}`].sort());
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).toBeNull();
  });

  it('starts at most rate_per_minute jobs of a type in one minute window', async () => {
    const clock = manualClock(new Date('2026-06-01T10:00:05Z'));
    const clocked: DomainDeps = { ...deps, now: clock.now };
    const type = `rate-${++seq}`;
    await jobsOf(type, 10);
    await setJobTypeLimits(clocked, actors.admin, { job_type: type, rate_per_minute: 4 });
    const started: string[] = [];
    for (let i = 0; i < 6; i++) {
      const claimed = await claimNextJob(clocked, { worker_id: `w-${i}`, job_types: [type] });
      if (claimed) started.push(claimed.job.job_id);
    }
    expect(started).toHaveLength(4);
    expect((await listJobTypeFlow(clocked)).job_types.find((t) => t.job_type === type)).toMatchObject({ rate_per_minute: 4, started_this_minute: 4 });
    clock.advance(60_000);
    expect(await claimNextJob(clocked, { worker_id: 'w-next', job_types: [type] })).not.toBeNull();
  });

  it('clearing a limit (null) hands out jobs beyond it again', async () => {
    const type = `cleared-${++seq}`;
    await jobsOf(type, 2);
    await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: 1 });
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).not.toBeNull();
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).toBeNull();
    const cleared = await setJobTypeLimits(deps, actors.admin, { job_type: type, max_concurrent: null });
    expect(cleared.max_concurrent).toBeUndefined();
    expect(await claimNextJob(deps, { worker_id: 'w', job_types: [type] })).not.toBeNull();
  });

  it('only admins change flow controls', async () => {
    await expect(setJobTypeLimits(deps, actors.owner, { job_type: 'x', max_concurrent: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(pauseJobType(deps, actors.owner, { job_type: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(resumeJobType(deps, actors.viewer, { job_type: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
