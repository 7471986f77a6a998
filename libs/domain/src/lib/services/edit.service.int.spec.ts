import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { actors, checkAllDocuments, domainDeps, jobsInput } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { renameBatch, updateJob } from './edit.service';
import { getJob, listJobs } from './job.service';
import { claimNextJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
});

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
};

describe('updateJob', () => {
  it('leaves a job a worker claimed between the read and the write unedited: CONFLICT', async () => {
    const { job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const jobId = job_ids[0] as string;
    // The real collection, with a claim slipped in right before the edit's write.
    const Job = deps.models.Job;
    const racing = new Proxy(Job, {
      get(target, key, receiver) {
        if (key !== 'findOneAndUpdate') return Reflect.get(target, key, receiver);
        return async (...args: Parameters<typeof Job.findOneAndUpdate>) => {
          expect((await claimNextJob(deps, { worker_id: 'racer' }))?.job.job_id).toBe(jobId);
          return target.findOneAndUpdate(...args);
        };
      },
    });
    const raceDeps: DomainDeps = { ...deps, models: { ...deps.models, Job: racing } };
    expect(await codeOf(updateJob(raceDeps, actors.owner, jobId, { priority: 50 }))).toBe('CONFLICT');
    const stored = await Job.findOne({ job_id: jobId }).lean();
    expect(stored).toMatchObject({ status: 'processing', priority: 0 });
  });

  it('refuses a processing or completed job as INVALID_TRANSITION', async () => {
    const { job_ids } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await claimNextJob(deps, { worker_id: 'w' });
    expect(await codeOf(updateJob(deps, actors.owner, job_ids[0] as string, { priority: 1 }))).toBe('INVALID_TRANSITION');
  });

  it('removes an emptied name (never null) and keeps the document readable by the legacy worker', async () => {
    const { job_ids } = await createBatch(deps, actors.owner, { jobs: [{ job_name: 'named', event_type: 'talk', parameters: { session: 'S' } }] });
    const after = await updateJob(deps, actors.owner, job_ids[0] as string, { job_name: '', event_type: '' });
    const raw = await deps.models.Job.collection.findOne({ job_id: job_ids[0] });
    expect(raw).not.toHaveProperty('job_name');
    expect(raw).not.toHaveProperty('event_type');
    expect(after.event_type).toBeUndefined();
    expect(await checkAllDocuments(deps)).toEqual([]);
  });
});

describe('renameBatch', () => {
  it('changes only the name: counters, status and the jobs stay', async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(3) });
    const renamed = await renameBatch(deps, actors.owner, batch.batch_id, { batch_name: 'Renamed' });
    expect(renamed).toMatchObject({ batch_name: 'Renamed', total_jobs: 3, pending_jobs: 3, status: 'pending', can: { write: true, admin: true } });
    expect((await listJobs(deps, actors.owner, { batch_id: batch.batch_id })).total).toBe(3);
  });
});

describe('the concept job fields started_at and event_type', () => {
  it('are read when a document has them and left out when a legacy one does not', async () => {
    const base = { status: 'pending', created_at: new Date(), updated_at: new Date(), archived: false, parameters: { session: 'legacy' } };
    const startedAt = new Date('2025-05-01T08:00:00Z');
    await deps.models.Job.collection.insertMany([
      { ...base, job_id: 'job-with-concept-fields', job_type: '', started_at: startedAt, event_type: 'conference' },
      { ...base, job_id: 'job-legacy-without' },
    ]);
    const withFields = await getJob(deps, actors.admin, 'job-with-concept-fields');
    expect(withFields.started_at).toEqual(startedAt);
    expect(withFields.event_type).toBe('conference');
    const without = await getJob(deps, actors.admin, 'job-legacy-without');
    expect(without).not.toHaveProperty('started_at');
    expect(without).not.toHaveProperty('event_type');
  });
});
