import { useTestDatabase } from '@event-monitor/testing';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import type { AuditEventRecord } from '../models/audit.model';
import { actors, domainDeps, jobsInput, manualClock, nullPaths, params } from '../../test-support/domain-fixtures';
import { auditTrailFor, listAuditEvents, recordAudit } from './audit.service';
import { updateJob } from './edit.service';
import {
  archiveBatch,
  batchStats,
  changeLanguage,
  countBatchTabs,
  createBatch,
  deleteBatch,
  failAllBatches,
  getBatch,
  listBatches,
  previewFailAll,
  previewSetAllPending,
  restartBatch,
  setAllPending,
  setBatchActive,
  unarchiveBatch,
} from './batch.service';
import { cancelJob, createJob, deleteJob, getJob, getJobLogs, listJobs, restartJob } from './job.service';
import { claimNextJob, completeJob, listWorkers } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;

// The doors add `via`; the domain stores whatever the actor says.
const owner: Actor = { ...actors.owner, via: 'session' };
const other: Actor = { ...actors.other, via: 'token' };
const reader: Actor = { ...actors.reader, via: 'session' };
const admin: Actor = { ...actors.admin, via: 'proxy' };

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
  await deps.models.AuditEvent.deleteMany({});
});

async function auditEvents(): Promise<AuditEventRecord[]> {
  return deps.models.AuditEvent.find({}).sort({ at: 1, _id: 1 }).lean<AuditEventRecord[]>();
}

async function clearAudit(): Promise<void> {
  await deps.models.AuditEvent.deleteMany({});
}

async function batchOf(actor: Actor, n: number, extra: Record<string, unknown> = {}) {
  return createBatch(deps, actor, { jobs: jobsInput(n), ...extra });
}

/** Moves every job of a batch to failed (through the domain, so counters follow). */
async function failJobsOf(batchId: string, actor: Actor = owner) {
  for (const job of (await listJobs(deps, actor, { batch_id: batchId })).jobs) {
    await cancelJob(deps, actor, job.job_id);
  }
}

interface Case {
  name: string;
  /** Prepares the data; the audit events it leaves are removed before `run`. */
  setup: () => Promise<Record<string, string>>;
  run: (ids: Record<string, string>) => Promise<unknown>;
  expected: (
    ids: Record<string, string>,
    result: unknown,
  ) => Promise<{
    action: string;
    type: string;
    ids: string[];
    count: number;
    reason?: string;
    details?: Record<string, unknown>;
  }>;
}

const jobCount = (filter: Record<string, unknown>) => deps.models.Job.countDocuments(filter);

const cases: Case[] = [
  {
    name: 'createBatch',
    setup: async () => ({}),
    run: () => createBatch(deps, owner, { batch_id: 'batch-new', batch_name: 'Day 1', jobs: jobsInput(3) }),
    expected: async () => ({
      action: 'batch.create',
      type: 'batch',
      ids: ['batch-new'],
      count: await jobCount({ batch_id: 'batch-new' }),
      details: { batch_name: 'Day 1' },
    }),
  },
  {
    name: 'deleteBatch (with reason)',
    setup: async () => ({ b: (await batchOf(owner, 2, { batch_name: 'Old upload' })).batch.batch_id }),
    run: ({ b }) => deleteBatch(deps, owner, b!, { reason: 'duplicate upload' }),
    expected: async ({ b }, result) => {
      expect(result).toEqual({ deleted_jobs: 2 });
      return {
        action: 'batch.delete',
        type: 'batch',
        ids: [b!],
        count: 2,
        reason: 'duplicate upload',
        details: { batch_name: 'Old upload' },
      };
    },
  },
  {
    name: 'archiveBatch',
    setup: async () => ({ b: (await batchOf(owner, 2)).batch.batch_id }),
    run: ({ b }) => archiveBatch(deps, owner, b!),
    expected: async ({ b }) => ({ action: 'batch.archive', type: 'batch', ids: [b!], count: await jobCount({ batch_id: b, archived: true }) }),
  },
  {
    name: 'unarchiveBatch',
    setup: async () => {
      const b = (await batchOf(owner, 2)).batch.batch_id;
      await archiveBatch(deps, owner, b);
      return { b };
    },
    run: ({ b }) => unarchiveBatch(deps, owner, b!),
    expected: async ({ b }) => ({ action: 'batch.unarchive', type: 'batch', ids: [b!], count: await jobCount({ batch_id: b, archived: false }) }),
  },
  {
    name: 'setBatchActive (toggle)',
    setup: async () => ({ b: (await batchOf(owner, 3)).batch.batch_id }),
    run: ({ b }) => setBatchActive(deps, owner, b!),
    expected: async ({ b }) => ({
      action: 'batch.toggle_active',
      type: 'batch',
      ids: [b!],
      count: await jobCount({ batch_id: b, batch_active: false }),
      details: { active: false },
    }),
  },
  {
    name: 'failAllBatches (bulk, with reason)',
    setup: async () => {
      const b1 = (await batchOf(owner, 2)).batch.batch_id;
      const b2 = (await batchOf(owner, 3)).batch.batch_id;
      const done = (await batchOf(owner, 1)).batch.batch_id;
      await failJobsOf(done);
      // Not writable by the owner: untouched, not named.
      const foreign = (await batchOf(other, 4)).batch.batch_id;
      return { b1, b2, done, foreign };
    },
    run: () => failAllBatches(deps, owner, { reason: 'encoder broken' }),
    expected: async ({ b1, b2 }, result) => {
      expect(result).toEqual({ batches: 2, jobs: 5 });
      return {
        action: 'batch.fail_all',
        type: 'batches',
        ids: [b1!, b2!],
        count: await jobCount({ batch_id: { $in: [b1, b2] }, 'error.code': 'FORCED_FAILURE' }),
        reason: 'encoder broken',
        details: { batches: 2 },
      };
    },
  },
  {
    name: 'setAllPending (bulk, with reason)',
    setup: async () => {
      const b1 = (await batchOf(owner, 2)).batch.batch_id;
      const b2 = (await batchOf(owner, 2)).batch.batch_id;
      const untouched = (await batchOf(owner, 2)).batch.batch_id;
      await failJobsOf(b1);
      await failJobsOf(b2);
      return { b1, b2, untouched };
    },
    run: () => setAllPending(deps, owner, { reason: 'new model' }),
    expected: async ({ b1, b2 }, result) => {
      expect(result).toEqual({ batches: 2, jobs: 4 });
      return {
        action: 'batch.set_all_pending',
        type: 'batches',
        ids: [b1!, b2!],
        count: await jobCount({ batch_id: { $in: [b1, b2] }, status: 'pending' }),
        reason: 'new model',
        details: { batches: 2 },
      };
    },
  },
  {
    name: 'restartBatch (with reason)',
    setup: async () => {
      const b = (await batchOf(owner, 3)).batch.batch_id;
      const { jobs } = await listJobs(deps, owner, { batch_id: b });
      await cancelJob(deps, owner, jobs[0]!.job_id);
      await cancelJob(deps, owner, jobs[1]!.job_id);
      return { b };
    },
    run: ({ b }) => restartBatch(deps, owner, b!, { scope: 'failed', reason: 'retry after fix' }),
    expected: async ({ b }, result) => {
      expect(result).toEqual({ restarted: 2 });
      return {
        action: 'batch.restart',
        type: 'batch',
        ids: [b!],
        count: 2,
        reason: 'retry after fix',
        details: { scope: 'failed' },
      };
    },
  },
  {
    name: 'changeLanguage of a batch',
    setup: async () => ({ b: (await batchOf(owner, 3)).batch.batch_id }),
    run: ({ b }) => changeLanguage(deps, owner, { target: { batch_id: b! }, target_language: 'fr' }),
    expected: async ({ b }) => ({
      action: 'language.change',
      type: 'batch',
      ids: [b!],
      count: await jobCount({ batch_id: b, 'parameters.target_language': 'fr' }),
      details: { target_language: 'fr', reset_to_pending: false, restarted: 0, skipped: 0 },
    }),
  },
  {
    name: 'changeLanguage of all current batches (bulk)',
    setup: async () => {
      const b1 = (await batchOf(owner, 1)).batch.batch_id;
      const b2 = (await batchOf(owner, 2)).batch.batch_id;
      await failJobsOf(b2);
      await batchOf(other, 2);
      return { b1, b2 };
    },
    run: () => changeLanguage(deps, owner, { target: { all_current: true }, target_language: 'es', reset_to_pending: true }),
    expected: async ({ b1, b2 }) => ({
      action: 'language.change',
      type: 'batches',
      ids: [b1!, b2!].sort(),
      count: await jobCount({ 'parameters.target_language': 'es' }),
      details: { target_language: 'es', reset_to_pending: true, restarted: 2, skipped: 0 },
    }),
  },
  {
    name: 'changeLanguage of a job (names its batch, for the batch timeline)',
    setup: async () => {
      const { batch, job_ids } = await batchOf(owner, 1);
      return { b: batch.batch_id, j: job_ids[0]! };
    },
    run: ({ j }) => changeLanguage(deps, owner, { target: { job_id: j! }, target_language: 'it' }),
    expected: async ({ b, j }) => ({
      action: 'language.change',
      type: 'job',
      ids: [j!],
      count: await jobCount({ job_id: j, 'parameters.target_language': 'it' }),
      details: { batch_id: b!, target_language: 'it', reset_to_pending: false, restarted: 0, skipped: 0 },
    }),
  },
  {
    name: 'createJob in a batch',
    setup: async () => ({ b: (await batchOf(owner, 1)).batch.batch_id }),
    run: ({ b }) => createJob(deps, owner, { batch_id: b!, parameters: params() }),
    expected: async ({ b }, result) => ({
      action: 'job.create',
      type: 'job',
      ids: [(result as { job_id: string }).job_id],
      count: 1,
      details: { batch_id: b! },
    }),
  },
  {
    name: 'createJob standalone',
    setup: async () => ({}),
    run: () => createJob(deps, owner, { parameters: params() }),
    expected: async (_ids, result) => ({ action: 'job.create', type: 'job', ids: [(result as { job_id: string }).job_id], count: 1 }),
  },
  {
    name: 'deleteJob (with reason)',
    setup: async () => {
      const created = await batchOf(owner, 2);
      return { b: created.batch.batch_id, j: created.job_ids[0]! };
    },
    run: ({ j }) => deleteJob(deps, owner, j!, { reason: 'wrong talk' }),
    expected: async ({ b, j }) => ({
      action: 'job.delete',
      type: 'job',
      ids: [j!],
      count: 1,
      reason: 'wrong talk',
      details: { batch_id: b!, status: 'pending' },
    }),
  },
  {
    name: 'restartJob',
    setup: async () => {
      const created = await batchOf(owner, 1);
      await cancelJob(deps, owner, created.job_ids[0]!);
      return { b: created.batch.batch_id, j: created.job_ids[0]! };
    },
    run: ({ j }) => restartJob(deps, owner, j!, { bypass_cache: true }),
    expected: async ({ b, j }) => ({
      action: 'job.restart',
      type: 'job',
      ids: [j!],
      count: 1,
      details: { batch_id: b!, bypass_cache: true },
    }),
  },
  {
    name: 'cancelJob (with reason)',
    setup: async () => {
      const created = await batchOf(owner, 1);
      return { b: created.batch.batch_id, j: created.job_ids[0]! };
    },
    run: ({ j }) => cancelJob(deps, owner, j!, { reason: 'speaker withdrew' }),
    expected: async ({ b, j }) => ({
      action: 'job.cancel',
      type: 'job',
      ids: [j!],
      count: 1,
      reason: 'speaker withdrew',
      details: { batch_id: b!, from: 'pending' },
    }),
  },
];

describe('every state-changing operation leaves exactly one audit event', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const ids = await c.setup();
    await clearAudit();
    clock.advance(1_000);
    const result = await c.run(ids);
    const events = await auditEvents();
    expect(events).toHaveLength(1);
    const [event] = events as [AuditEventRecord];
    const want = await c.expected(ids, result);
    expect(event.event_id).toMatch(/^audit-[0-9a-f-]{36}$/);
    expect(event.at).toEqual(clock.now());
    expect(event.actor).toEqual({ user_id: 'olga', role: 'operator', via: 'session' });
    expect(event.action).toBe(want.action);
    expect(event.target.type).toBe(want.type);
    expect([...event.target.ids].sort()).toEqual([...want.ids].sort());
    expect(event.target.truncated).toBe(false);
    expect(event.count).toBe(want.count);
    if (want.reason) expect(event.reason).toBe(want.reason);
    else expect(event).not.toHaveProperty('reason');
    if (want.details) expect(event.details).toEqual(want.details);
    else expect(event).not.toHaveProperty('details');
    // Stored as the Python side likes it: no null anywhere, no __v.
    const raw = await deps.models.AuditEvent.collection.findOne({ event_id: event.event_id });
    expect(nullPaths(raw)).toEqual([]);
    expect(raw).not.toHaveProperty('__v');
  });

  it('the table covers every batch and job action', () => {
    const covered = new Set<string>();
    for (const c of cases) covered.add(c.name.split(' ')[0]!);
    expect([...covered].sort()).toEqual(
      [
        'archiveBatch',
        'cancelJob',
        'changeLanguage',
        'createBatch',
        'createJob',
        'deleteBatch',
        'deleteJob',
        'failAllBatches',
        'restartBatch',
        'restartJob',
        'setAllPending',
        'setBatchActive',
        'unarchiveBatch',
      ].sort(),
    );
  });

  it('a bulk action that finds nothing still records who tried, with count 0 and no ids', async () => {
    await batchOf(other, 2);
    await clearAudit();
    expect(await failAllBatches(deps, owner)).toEqual({ batches: 0, jobs: 0 });
    const [event] = await auditEvents();
    expect(event).toMatchObject({ action: 'batch.fail_all', count: 0, target: { type: 'batches', truncated: false } });
    expect(event?.target.ids ?? []).toEqual([]);
    expect(event).not.toHaveProperty('reason');
  });

  it('a blank reason is not stored', async () => {
    const { batch } = await batchOf(owner, 1);
    await clearAudit();
    await deleteBatch(deps, owner, batch.batch_id, { reason: '   ' });
    const [event] = await auditEvents();
    expect(event).not.toHaveProperty('reason');
  });

  it('a reason longer than 1000 characters is refused before anything changes', async () => {
    const { batch } = await batchOf(owner, 1);
    await clearAudit();
    await expect(deleteBatch(deps, owner, batch.batch_id, { reason: 'x'.repeat(1001) })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await getBatch(deps, owner, batch.batch_id)).toBeDefined();
    expect(await auditEvents()).toEqual([]);
  });
});

describe('what is not audited', () => {
  it('read operations and worker calls record nothing', async () => {
    const { batch, job_ids } = await batchOf(owner, 2);
    await clearAudit();
    const jobId = job_ids[0]!;
    await listBatches(deps, owner);
    await countBatchTabs(deps, owner);
    await getBatch(deps, owner, batch.batch_id);
    await batchStats(deps, owner);
    await previewFailAll(deps, owner);
    await previewSetAllPending(deps, owner);
    await listJobs(deps, owner, { batch_id: batch.batch_id });
    await getJob(deps, owner, jobId);
    await getJobLogs(deps, owner, jobId);
    await listWorkers(deps);
    await listAuditEvents(deps, admin);
    await auditTrailFor(deps, owner, { batch_id: batch.batch_id });
    await auditTrailFor(deps, owner, { job_id: jobId });
    // Workers are service accounts acting on leases, not operators.
    const claimed = await claimNextJob(deps, { worker_id: 'w1' });
    await completeJob(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, results: { markdown_content: 'x' } });
    expect(await auditEvents()).toEqual([]);
  });

  it('a refused or failing operation records nothing', async () => {
    const { batch, job_ids } = await batchOf(owner, 1);
    await clearAudit();
    await expect(deleteBatch(deps, other, batch.batch_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(createBatch(deps, actors.viewer, { jobs: jobsInput(1) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(restartJob(deps, owner, job_ids[0]!)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await expect(setAllPending(deps, actors.viewer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createBatch(deps, owner, { batch_id: batch.batch_id, jobs: jobsInput(1) })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await auditEvents()).toEqual([]);
  });
});

describe('recordAudit', () => {
  it('stores at most 1,000 ids (deduplicated) and flags the rest as truncated', async () => {
    const ids = Array.from({ length: 1_005 }, (_, i) => `batch-${i}`);
    expect(await recordAudit(deps, owner, { action: 'batch.fail_all', target: { type: 'batches', ids: [...ids, 'batch-0'] }, count: 1_005 })).toBe(true);
    const [event] = await auditEvents();
    expect(event?.target.ids).toHaveLength(1_000);
    expect(event?.target.ids[0]).toBe('batch-0');
    expect(event?.target.truncated).toBe(true);
    expect(event?.count).toBe(1_005);
  });

  it('drops undefined details and omits `via` when the actor has none', async () => {
    await recordAudit(deps, actors.owner, {
      action: 'job.create',
      target: { type: 'job', ids: ['job-1'] },
      count: 1,
      details: { batch_id: undefined },
    });
    const raw = await deps.models.AuditEvent.collection.findOne({});
    expect(raw?.['actor']).toEqual({ user_id: 'olga', role: 'operator' });
    expect(raw).not.toHaveProperty('details');
  });

  it('retries a failed insert once and then stores the event', async () => {
    const spy = jest.spyOn(deps.models.AuditEvent, 'insertMany').mockRejectedValueOnce(new Error('socket closed'));
    const onAuditError = jest.fn();
    try {
      await createBatch({ ...deps, onAuditError }, owner, { jobs: jobsInput(1) });
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    expect(onAuditError).not.toHaveBeenCalled();
    expect((await auditEvents()).map((e) => e.action)).toEqual(['batch.create']);
  });

  it('when the first insert landed but its answer was lost, the retry does not store it twice', async () => {
    const model = deps.models.AuditEvent;
    const real = model.insertMany.bind(model);
    const spy = jest.spyOn(model, 'insertMany').mockImplementationOnce((async (docs: unknown) => {
      await real(docs as never);
      throw new Error('connection reset after write');
    }) as never);
    const onAuditError = jest.fn();
    try {
      const stored = await recordAudit({ ...deps, onAuditError }, owner, { action: 'batch.archive', target: { type: 'batch', ids: ['b'] }, count: 0 });
      expect(stored).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect(onAuditError).not.toHaveBeenCalled();
    expect(await auditEvents()).toHaveLength(1);
  });

  it('when the audit store keeps failing, the change still succeeds and onAuditError hears about it', async () => {
    const failure = new Error('audit store down');
    const spy = jest.spyOn(deps.models.AuditEvent, 'insertMany').mockRejectedValue(failure);
    const onAuditError = jest.fn();
    try {
      const { batch } = await createBatch({ ...deps, onAuditError }, owner, { jobs: jobsInput(2) });
      expect((await getBatch(deps, owner, batch.batch_id)).total_jobs).toBe(2);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    expect(onAuditError).toHaveBeenCalledTimes(1);
    expect(onAuditError).toHaveBeenCalledWith(failure, expect.objectContaining({ action: 'batch.create', count: 2 }));
    expect(await auditEvents()).toEqual([]);
  });
});

describe('listAuditEvents', () => {
  let ids: { b1: string; b2: string; j1: string };

  beforeEach(async () => {
    clock.set(new Date('2026-02-01T10:00:00Z'));
    const first = await createBatch(deps, owner, { jobs: jobsInput(2) }); // 10:00
    clock.advance(60_000);
    const second = await createBatch(deps, other, { jobs: jobsInput(1) }); // 10:01
    clock.advance(60_000);
    await cancelJob(deps, owner, first.job_ids[0]!, { reason: 'dup' }); // 10:02
    clock.advance(60_000);
    await archiveBatch(deps, admin, second.batch.batch_id); // 10:03
    ids = { b1: first.batch.batch_id, b2: second.batch.batch_id, j1: first.job_ids[0]! };
  });

  it('is for admins only', async () => {
    await expect(listAuditEvents(deps, owner)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(listAuditEvents(deps, actors.viewer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists newest first with the total', async () => {
    const page = await listAuditEvents(deps, admin);
    expect(page.total).toBe(4);
    expect(page.events.map((e) => e.action)).toEqual(['batch.archive', 'job.cancel', 'batch.create', 'batch.create']);
    expect(page.events[0]?.actor).toEqual({ user_id: 'adam', role: 'admin', via: 'proxy' });
    expect(page.events[1]).toMatchObject({ reason: 'dup', target: { type: 'job', ids: [ids.j1] } });
  });

  it('filters by action, user, object id and time, and pages', async () => {
    const list = async (input: Parameters<typeof listAuditEvents>[2]) => (await listAuditEvents(deps, admin, input)).events.map((e) => e.action);
    expect(await list({ action: 'batch.create' })).toEqual(['batch.create', 'batch.create']);
    expect(await list({ user_id: 'otto' })).toEqual(['batch.create']);
    expect(await list({ user_id: 'olga', action: 'job.cancel' })).toEqual(['job.cancel']);
    expect(await list({ target_id: ids.b2 })).toEqual(['batch.archive', 'batch.create']);
    expect(await list({ target_id: ids.j1 })).toEqual(['job.cancel']);
    expect(await list({ since: '2026-02-01T10:01:00Z', until: new Date('2026-02-01T10:03:00Z') })).toEqual(['job.cancel', 'batch.create']);
    const page = await listAuditEvents(deps, admin, { limit: 1, skip: 1 });
    expect(page).toMatchObject({ total: 4, limit: 1, skip: 1 });
    expect(page.events.map((e) => e.action)).toEqual(['job.cancel']);
  });

  it('refuses bad filters with the failing field', async () => {
    await expect(listAuditEvents(deps, admin, { action: 'batch.explode' as never })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { action: expect.any(Array) } },
    });
    await expect(listAuditEvents(deps, admin, { limit: 201 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(listAuditEvents(deps, admin, { since: '2026-02-02T00:00:00Z', until: '2026-02-01T00:00:00Z' })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { until: expect.any(Array) } },
    });
  });
});

describe('auditTrailFor', () => {
  let batchId: string;
  let jobId: string;
  let siblingId: string;

  beforeEach(async () => {
    const created = await createBatch(deps, owner, { jobs: jobsInput(2), read_access: ['rita'] });
    batchId = created.batch.batch_id;
    [jobId, siblingId] = created.job_ids as [string, string];
    clock.advance(1_000);
    await cancelJob(deps, owner, jobId);
    clock.advance(1_000);
    await cancelJob(deps, owner, siblingId);
    clock.advance(1_000);
    await restartJob(deps, owner, siblingId);
    clock.advance(1_000);
    // A bulk action by an admin that also names a batch the reader cannot see.
    await createBatch(deps, other, { batch_id: 'batch-hidden', jobs: jobsInput(1) });
    clock.advance(1_000);
    await failAllBatches(deps, admin, { reason: 'all stop' });
    clock.advance(1_000);
    await restartBatch(deps, owner, batchId, { scope: 'all' });
  });

  it("a batch's trail holds the events naming the batch and those of its jobs, newest first", async () => {
    const trail = await auditTrailFor(deps, owner, { batch_id: batchId });
    expect(trail.events.map((e) => e.action)).toEqual([
      'batch.restart',
      'batch.fail_all',
      'job.restart',
      'job.cancel',
      'job.cancel',
      'batch.create',
    ]);
    expect(trail.events.filter((e) => e.target.type === 'job').map((e) => e.target.ids)).toEqual([[siblingId], [siblingId], [jobId]]);
    expect(trail.has_more).toBe(false);
  });

  it("a batch's trail lists the language change, edit and delete of its jobs, not another batch's jobs", async () => {
    const elsewhere = await batchOf(owner, 1);
    await cancelJob(deps, owner, elsewhere.job_ids[0]!);
    clock.advance(1_000);
    await changeLanguage(deps, owner, { target: { job_id: siblingId }, target_language: 'it' });
    clock.advance(1_000);
    await updateJob(deps, owner, jobId, { parameters: params({ session: 'Edited' }) });
    clock.advance(1_000);
    await deleteJob(deps, owner, siblingId, { reason: 'duplicate' });
    const trail = await auditTrailFor(deps, owner, { batch_id: batchId }, { limit: 3 });
    expect(trail.events.map((e) => [e.action, e.target.ids])).toEqual([
      ['job.delete', [siblingId]],
      ['job.update', [jobId]],
      ['language.change', [siblingId]],
    ]);
    expect(trail.has_more).toBe(true);
    const all = await auditTrailFor(deps, owner, { batch_id: batchId }, { limit: 200 });
    expect(all.events.flatMap((e) => e.target.ids)).not.toContain(elsewhere.job_ids[0]);
  });

  it("a reader of the batch sees the job ids of its jobs' events", async () => {
    const trail = await auditTrailFor(deps, reader, { batch_id: batchId });
    expect(trail.events.find((e) => e.action === 'job.restart')?.target.ids).toEqual([siblingId]);
  });

  it("a job's trail holds its own events and those of its batch, not its siblings'", async () => {
    const trail = await auditTrailFor(deps, owner, { job_id: jobId });
    expect(trail.events.map((e) => e.action)).toEqual(['batch.restart', 'batch.fail_all', 'job.cancel', 'batch.create']);
    expect(trail.events.find((e) => e.action === 'job.cancel')?.target.ids).toEqual([jobId]);
  });

  it('is NOT_FOUND for a user who may not read the object, also for the admin-only listing', async () => {
    await expect(auditTrailFor(deps, other, { batch_id: batchId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(auditTrailFor(deps, other, { job_id: jobId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(auditTrailFor(deps, owner, { batch_id: 'batch-hidden' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(auditTrailFor(deps, owner, { batch_id: 'batch-gone' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a reader sees the trail, with bulk events cut down to the object asked about; an admin sees every id', async () => {
    const forReader = await auditTrailFor(deps, reader, { batch_id: batchId });
    const bulk = forReader.events.find((e) => e.action === 'batch.fail_all');
    expect(bulk?.target.ids).toEqual([batchId]);
    expect(bulk).toMatchObject({ reason: 'all stop', actor: { user_id: 'adam' } });
    const forAdmin = await auditTrailFor(deps, admin, { batch_id: batchId });
    expect(forAdmin.events.find((e) => e.action === 'batch.fail_all')?.target.ids.sort()).toEqual([batchId, 'batch-hidden'].sort());
  });

  it('pages by limit and says when there is more', async () => {
    const trail = await auditTrailFor(deps, owner, { job_id: jobId }, { limit: 2 });
    expect(trail.events.map((e) => e.action)).toEqual(['batch.restart', 'batch.fail_all']);
    expect(trail).toMatchObject({ limit: 2, has_more: true });
    await expect(auditTrailFor(deps, owner, { job_id: jobId }, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
