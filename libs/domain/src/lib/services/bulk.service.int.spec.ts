import type { LanguageCode } from '@event-monitor/contracts';
import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import type { Actor } from '../actor';
import { actors, checkAllDocuments, counterDrift, domainDeps, params } from '../../test-support/domain-fixtures';
import { archiveBatch, createBatch } from './batch.service';
import { reconcileBatch } from './batch-counters';
import {
  bulkCancel,
  bulkChangeLanguage,
  bulkDelete,
  bulkFail,
  bulkProgress,
  bulkRestart,
  bulkSetPriority,
  deleteOldBulkRuns,
  previewBulk,
} from './bulk.service';
import { claimNextJob, completeJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;
let seq = 0;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
  await deps.models.AuditEvent.deleteMany({});
});

interface JobSpec {
  status?: 'pending' | 'processing' | 'completed' | 'failed';
  code?: string;
  type?: string;
  language?: LanguageCode;
  session?: string;
}

const PRIVATE = { visibility: 'private' as const, read_access: ['rita', 'walt'], write_access: ['walt'], admin_access: [] };

/** A batch of `owner` with one job per spec, put in the asked states directly (counters recounted). */
async function batchOf(owner: Actor, specs: JobSpec[], acl: Record<string, unknown> = PRIVATE) {
  const { batch, job_ids } = await createBatch(deps, owner, {
    ...acl,
    batch_name: `batch ${++seq}`,
    jobs: specs.map((spec, i) => ({
      job_type: spec.type ?? 'transcribe',
      parameters: params({ session: spec.session ?? `Session ${i}`, target_language: (spec.language ?? 'de') as 'de' }),
    })),
  });
  for (const [i, spec] of specs.entries()) {
    const status = spec.status ?? 'failed';
    if (status === 'pending') continue;
    await deps.models.Job.collection.updateOne(
      { job_id: job_ids[i] },
      {
        $set: {
          status,
          ...(status === 'failed' ? { error: { code: spec.code ?? 'ValueError', message: 'boom' }, completed_at: new Date() } : {}),
          ...(status === 'completed' ? { results: { markdown_content: '# done' }, completed_at: new Date() } : {}),
        },
      },
    );
  }
  await reconcileBatch(deps, batch.batch_id);
  return { batchId: batch.batch_id, jobIds: job_ids };
}

const statusOf = async (jobId: string) => (await deps.models.Job.findOne({ job_id: jobId }).lean())?.status;
const audits = () => deps.models.AuditEvent.find({ action: /^job\.bulk_/ }).lean();

async function expectError(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  return err as DomainError;
}

describe('bulk restart by filter', () => {
  it('restarts only the jobs matching every filter field, counts exactly and writes one audit event', async () => {
    const a = await batchOf(actors.owner, [
      { code: 'Timeout' },
      { code: 'Timeout', type: 'translate' },
      { code: 'ValueError' },
      { status: 'completed' },
      { status: 'pending' },
      { code: 'Timeout', language: 'fr' },
    ]);
    const result = await bulkRestart(deps, actors.owner, {
      batch_ids: [a.batchId],
      error_code: 'Timeout',
      job_type: 'transcribe',
      language: 'de',
      reason: 'provider outage',
    });
    expect(result).toEqual({ action: 'restart', matched: 1, changed: 1, skipped: 0, batches: 1, restarted: 0 });
    expect(await Promise.all(a.jobIds.map(statusOf))).toEqual(['pending', 'failed', 'failed', 'completed', 'pending', 'failed']);
    const restarted = await deps.models.Job.findOne({ job_id: a.jobIds[0] }).lean();
    expect(restarted?.error).toBeUndefined();
    expect(await counterDrift(deps)).toEqual([]);

    const events = await audits();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'job.bulk_restart',
      count: 1,
      reason: 'provider outage',
      target: { type: 'batches', ids: [a.batchId] },
      details: { filter: { batch_ids: [a.batchId], error_code: 'Timeout', job_type: 'transcribe', language: 'de' }, matched: 1, changed: 1, skipped: 0 },
    });
  });

  it('restarts failed and completed jobs of a status filter and a search, and by job ids', async () => {
    const a = await batchOf(actors.owner, [{ session: 'Rust in space' }, { session: 'Go' }, { status: 'completed', session: 'rust again' }, { status: 'completed' }]);
    expect(await bulkRestart(deps, actors.owner, { batch_ids: a.batchId, search: 'RUST', reason: 'r' })).toMatchObject({ matched: 2, changed: 2 });
    expect(await Promise.all(a.jobIds.map(statusOf))).toEqual(['pending', 'failed', 'pending', 'completed']);
    expect(await bulkRestart(deps, actors.owner, { batch_ids: [a.batchId], status: 'completed', reason: 'r' })).toMatchObject({ changed: 1 });
    expect(await statusOf(a.jobIds[3]!)).toBe('pending');
    expect(await bulkRestart(deps, actors.owner, { job_ids: [a.jobIds[1]!, 'job-missing'], reason: 'r' })).toMatchObject({ matched: 1, changed: 1 });
    expect(await Promise.all(a.jobIds.map(statusOf))).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(await counterDrift(deps)).toEqual([]);
    expect(await audits()).toHaveLength(3);
  });

  it('without batch ids acts on the caller\'s own current batches only, even for an admin', async () => {
    const own = await batchOf(actors.admin, [{}, {}]);
    const archived = await batchOf(actors.admin, [{}]);
    await archiveBatch(deps, actors.admin, archived.batchId);
    const others = await batchOf(actors.owner, [{}], { visibility: 'public' });
    const preview = await previewBulk(deps, actors.admin, { action: 'restart' });
    expect(preview).toMatchObject({ jobs: 2, batches: 1, owners: ['adam'], confirm_required: false });
    expect(await bulkRestart(deps, actors.admin, { reason: 'mine' })).toMatchObject({ matched: 2, changed: 2 });
    expect(await statusOf(archived.jobIds[0]!)).toBe('failed');
    expect(await statusOf(others.jobIds[0]!)).toBe('failed');
    expect(await statusOf(own.jobIds[0]!)).toBe('pending');
  });

  it("never touches another user's private batch, even when it is named", async () => {
    const olgas = await batchOf(actors.owner, [{}, {}]);
    const ottos = await batchOf(actors.other, [{}]);
    const named = { batch_ids: [olgas.batchId, ottos.batchId] };
    // otto may write only his own: olga's private batch is not matched, so one batch and no confirmation.
    expect(await previewBulk(deps, actors.other, { ...named, action: 'restart' })).toMatchObject({ jobs: 1, batches: 1, owners: ['otto'] });
    expect(await bulkRestart(deps, actors.other, { ...named, reason: 'x' })).toMatchObject({ matched: 1, changed: 1 });
    expect(await Promise.all(olgas.jobIds.map(statusOf))).toEqual(['failed', 'failed']);
    // rita may read it, walt may write it.
    expect(await bulkRestart(deps, actors.reader, { batch_ids: [olgas.batchId], reason: 'x' })).toMatchObject({ matched: 0 });
    expect(await bulkRestart(deps, actors.writer, { batch_ids: [olgas.batchId], reason: 'x' })).toMatchObject({ matched: 2, changed: 2 });
    await expectError(bulkRestart(deps, actors.viewer, { batch_ids: [olgas.batchId], reason: 'x' }), 'FORBIDDEN');
    expect(await counterDrift(deps)).toEqual([]);
  });
});

describe('typed confirmation beyond one batch', () => {
  it('is refused without the phrase or with a smaller count, and runs with the preview\'s phrase', async () => {
    const a = await batchOf(actors.owner, [{}, {}]);
    const b = await batchOf(actors.owner, [{}]);
    const selection = { batch_ids: [a.batchId, b.batchId], reason: 'retry all' };
    const preview = await previewBulk(deps, actors.owner, { batch_ids: selection.batch_ids, action: 'restart' });
    expect(preview).toMatchObject({ jobs: 3, batches: 2, confirm_required: true, confirm_phrase: 'restart 3 jobs', owners: ['olga'] });
    expect(preview.affected).toEqual([
      { batch_id: a.batchId, batch_name: expect.stringMatching(/^batch /), owner: 'olga', jobs: 2 },
      { batch_id: b.batchId, batch_name: expect.stringMatching(/^batch /), owner: 'olga', jobs: 1 },
    ]);
    const refused = await expectError(bulkRestart(deps, actors.owner, selection), 'VALIDATION');
    expect(refused.details).toMatchObject({ confirm_phrase: 'restart 3 jobs' });
    await expectError(bulkRestart(deps, actors.owner, { ...selection, confirm: 'restart 2 jobs' }), 'CONFLICT');
    await expectError(bulkRestart(deps, actors.owner, { ...selection, confirm: 'fail 3 jobs' }), 'VALIDATION');
    expect(await statusOf(a.jobIds[0]!)).toBe('failed');
    expect(await audits()).toHaveLength(0);
    expect(await bulkRestart(deps, actors.owner, { ...selection, confirm: preview.confirm_phrase })).toMatchObject({ changed: 3, batches: 2 });
    const [event] = await audits();
    expect(event?.target.ids.sort()).toEqual([a.batchId, b.batchId].sort());
  });
});

describe('a job that changes during the run is skipped, never overwritten', () => {
  it('cancel skips a job its worker completed after the selection was read', async () => {
    const a = await batchOf(actors.owner, [{ status: 'pending', type: 'race' }, { status: 'pending', type: 'race' }, { status: 'pending', type: 'race' }]);
    const leases = new Map<string, string>();
    for (let i = 0; i < 3; i++) {
      const claim = await claimNextJob(deps, { worker_id: `w${i}`, job_types: ['race'] });
      leases.set(claim!.job.job_id, claim!.lease.token);
    }
    let completedByWorker: string | undefined;
    const result = await bulkCancel(
      deps,
      actors.owner,
      { batch_ids: [a.batchId], reason: 'stop' },
      {
        pageSize: 1,
        onProgress: async () => {
          if (completedByWorker) return;
          const still = await deps.models.Job.findOne({ batch_id: a.batchId, status: 'processing' }).lean();
          completedByWorker = still!.job_id;
          await completeJob(deps, { job_id: completedByWorker, token: leases.get(completedByWorker)!, results: { markdown_content: '# ok' } });
        },
      },
    );
    expect(result).toMatchObject({ matched: 3, changed: 2, skipped: 1 });
    const done = await deps.models.Job.findOne({ job_id: completedByWorker }).lean();
    expect(done?.status).toBe('completed');
    expect(done?.results).toEqual({ markdown_content: '# ok' });
    const cancelled = await deps.models.Job.find({ batch_id: a.batchId, status: 'failed' }).lean();
    expect(cancelled.map((job) => job.error?.code)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(cancelled.every((job) => job.lease === undefined)).toBe(true);
    expect(await counterDrift(deps)).toEqual([]);
    const [event] = await audits();
    expect(event).toMatchObject({ action: 'job.bulk_cancel', count: 2, details: { matched: 3, changed: 2, skipped: 1 } });
  });
});

describe('progress of a run started with a run_id', () => {
  const RUN = '6f1c2e9a-3b4d-4c5e-8f70-112233445566';

  it('reads running with the pages done so far, then finished with the final counts; only for its owner', async () => {
    const a = await batchOf(actors.owner, [{}, {}, {}, { status: 'pending' }]);
    expect(await bulkProgress(deps, actors.owner, { run_id: RUN })).toMatchObject({ state: 'unknown', matched: 0, done: 0 });
    const seen: unknown[] = [];
    const result = await bulkRestart(
      deps,
      actors.owner,
      { batch_ids: [a.batchId], reason: 'retry', run_id: RUN },
      { pageSize: 1, onProgress: async () => void seen.push(await bulkProgress(deps, actors.owner, { run_id: RUN })) },
    );
    expect(result).toMatchObject({ matched: 3, changed: 3 });
    expect(seen).toEqual([1, 2, 3].map((done) => expect.objectContaining({ state: 'running', action: 'restart', matched: 3, done, changed: done })));
    expect(await bulkProgress(deps, actors.owner, { run_id: RUN })).toMatchObject({ state: 'finished', matched: 3, done: 3, changed: 3 });
    // Another user's poll of the same id learns nothing.
    expect(await bulkProgress(deps, actors.other, { run_id: RUN })).toMatchObject({ state: 'unknown', matched: 0 });
  });

  it('a run stopped by an error reads failed; a day later the run is forgotten', async () => {
    const a = await batchOf(actors.owner, [{}, {}]);
    await expect(
      bulkRestart(deps, actors.owner, { batch_ids: [a.batchId], reason: 'retry', run_id: RUN }, {
        pageSize: 1,
        onProgress: () => {
          throw new Error('the database went away');
        },
      }),
    ).rejects.toThrow('the database went away');
    expect(await bulkProgress(deps, actors.owner, { run_id: RUN })).toMatchObject({ state: 'failed', matched: 2, done: 1 });
    await deps.models.BulkRun.collection.updateMany({}, { $set: { updated_at: new Date(Date.now() - 25 * 3_600_000) } });
    expect(await deleteOldBulkRuns(deps)).toBe(1);
    expect(await bulkProgress(deps, actors.owner, { run_id: RUN })).toMatchObject({ state: 'unknown' });
  });

  it('a bulk call refuses a run_id that is not a UUID, naming the field; reading one finds no run', async () => {
    const a = await batchOf(actors.owner, [{}]);
    const error = await expectError(bulkRestart(deps, actors.owner, { batch_ids: [a.batchId], reason: 'retry', run_id: 'not-a-uuid' }), 'VALIDATION');
    expect(JSON.stringify(error.details)).toContain('run_id');
    expect(await statusOf(a.jobIds[0]!)).toBe('failed');
    expect(await bulkProgress(deps, actors.owner, { run_id: 'not-a-uuid' })).toMatchObject({ state: 'unknown' });
  });
});

describe('the other actions', () => {
  it('fail: pending and processing jobs get FORCED_FAILURE with the reason', async () => {
    const a = await batchOf(actors.owner, [{ status: 'pending' }, { status: 'processing' }, { status: 'completed' }]);
    expect(await bulkFail(deps, actors.owner, { batch_ids: [a.batchId], reason: 'bad input files' })).toMatchObject({ matched: 2, changed: 2 });
    const failed = await deps.models.Job.find({ batch_id: a.batchId, status: 'failed' }).lean();
    expect(failed.map((job) => job.error)).toEqual([
      { code: 'FORCED_FAILURE', message: 'bad input files' },
      { code: 'FORCED_FAILURE', message: 'bad input files' },
    ]);
    expect(await statusOf(a.jobIds[2]!)).toBe('completed');
    expect(await counterDrift(deps)).toEqual([]);
  });

  it('delete needs the right to administer the batch; counters follow', async () => {
    const a = await batchOf(actors.owner, [{}, { status: 'pending' }, { status: 'completed' }]);
    expect(await bulkDelete(deps, actors.writer, { batch_ids: [a.batchId], reason: 'cleanup' })).toMatchObject({ matched: 0 });
    expect(await deps.models.Job.countDocuments({ batch_id: a.batchId })).toBe(3);
    expect(await bulkDelete(deps, actors.owner, { batch_ids: [a.batchId], status: 'failed', reason: 'cleanup' })).toMatchObject({ changed: 1 });
    expect(await deps.models.Job.countDocuments({ batch_id: a.batchId })).toBe(2);
    const batch = await deps.models.Batch.findOne({ batch_id: a.batchId }).lean();
    expect(batch).toMatchObject({ total_jobs: 2, failed_jobs: 0, pending_jobs: 1, completed_jobs: 1 });
    expect(await counterDrift(deps)).toEqual([]);
  });

  it('change language: processing jobs are left alone; reset_to_pending restarts finished ones', async () => {
    const a = await batchOf(actors.owner, [{ status: 'pending' }, { status: 'processing' }, { status: 'completed' }, {}]);
    expect(await bulkChangeLanguage(deps, actors.owner, { batch_ids: [a.batchId], target_language: 'fr', reason: 'r' })).toMatchObject({
      matched: 3,
      changed: 3,
      restarted: 0,
    });
    const languages = async () =>
      Promise.all(a.jobIds.map(async (id) => (await deps.models.Job.findOne({ job_id: id }).lean())?.parameters?.target_language));
    expect(await languages()).toEqual(['fr', 'de', 'fr', 'fr']);
    expect(await bulkChangeLanguage(deps, actors.owner, { batch_ids: [a.batchId], target_language: 'it', reset_to_pending: true, reason: 'r' })).toMatchObject({
      changed: 3,
      restarted: 2,
    });
    expect(await Promise.all(a.jobIds.map(statusOf))).toEqual(['pending', 'processing', 'pending', 'pending']);
    expect(await languages()).toEqual(['it', 'de', 'it', 'it']);
    expect(await counterDrift(deps)).toEqual([]);
  });

  it('set priority changes the priority only, and the documents stay readable by the legacy worker', async () => {
    const a = await batchOf(actors.owner, [{ status: 'pending' }, {}]);
    expect(await bulkSetPriority(deps, actors.owner, { batch_ids: [a.batchId], priority: '7', reason: 'urgent' })).toMatchObject({ changed: 2 });
    const jobs = await deps.models.Job.find({ batch_id: a.batchId }).lean();
    expect(jobs.map((job) => job.priority)).toEqual([7, 7]);
    expect(jobs.map((job) => job.status)).toEqual(['pending', 'failed']);
    expect(await checkAllDocuments(deps)).toEqual([]);
    const [event] = await audits();
    expect(event).toMatchObject({ action: 'job.bulk_set_priority', details: { priority: 7 } });
  });

  it('a status outside the action\'s sources selects nothing', async () => {
    const a = await batchOf(actors.owner, [{ status: 'pending' }]);
    expect(await previewBulk(deps, actors.owner, { action: 'restart', batch_ids: [a.batchId], status: 'pending' })).toMatchObject({ jobs: 0, batches: 0 });
    expect(await bulkRestart(deps, actors.owner, { batch_ids: [a.batchId], status: 'pending', reason: 'r' })).toMatchObject({ matched: 0 });
  });

  it('requires a reason', async () => {
    const a = await batchOf(actors.owner, [{}]);
    await expectError(bulkRestart(deps, actors.owner, { batch_ids: [a.batchId], reason: '  ' }), 'VALIDATION');
    expect(await statusOf(a.jobIds[0]!)).toBe('failed');
  });
});
