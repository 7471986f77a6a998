import { useTestDatabase } from '@event-monitor/testing';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { actors, checkAllDocuments, domainDeps, jobsInput, params } from '../../test-support/domain-fixtures';
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
} from '../services/batch.service';
import { cancelJob, createJob, deleteJob, getJob, getJobLogs, listJobs, restartJob } from '../services/job.service';
import { claimNextJob, failJob } from '../services/worker.service';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

type Who = keyof typeof actors;
const WHO: Who[] = ['viewer', 'other', 'reader', 'writer', 'owner', 'admin'];
/** ok = allowed and it acted; none = allowed but the batch is not among what it sees or changes. */
type Outcome = 'ok' | 'none' | 'NOT_FOUND' | 'FORBIDDEN';

// The viewer is listed in write_access on purpose: a viewer never writes, listed or not.
const ACL = { visibility: 'private' as const, read_access: ['olga', 'rita'], write_access: ['olga', 'walt', 'vera'], admin_access: ['olga'] };

interface Ctx {
  batchId: string;
  jobId: string;
}

async function setup(finishOne: boolean): Promise<Ctx> {
  const { batch, job_ids } = await createBatch(deps, actors.owner, { ...ACL, jobs: [{ job_type: 'matrix', parameters: params() }] });
  if (finishOne) {
    await deps.models.Job.updateMany({ job_type: 'matrix', job_id: { $ne: job_ids[0] } }, { $set: { batch_active: false } });
    const claimed = await claimNextJob(deps, { worker_id: 'w', job_types: ['matrix'] });
    expect(claimed?.job.job_id).toBe(job_ids[0]);
    await failJob(deps, { job_id: job_ids[0]!, token: claimed!.lease.token, error: { code: 'E', message: 'x' } });
  }
  return { batchId: batch.batch_id, jobId: job_ids[0]! };
}

const jobStatus = async (ctx: Ctx) => (await deps.models.Job.findOne({ job_id: ctx.jobId }).lean())?.status;

interface Case {
  /** Prepare a failed job instead of a pending one. */
  failed?: boolean;
  /** Runs the operation; returns false when it was allowed but did not touch/show this batch. */
  run: (actor: Actor, ctx: Ctx) => Promise<boolean | void>;
  expected: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
}

const READ: Case['expected'] = ['ok', 'NOT_FOUND', 'ok', 'ok', 'ok', 'ok'];
const WRITE: Case['expected'] = ['FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN', 'ok', 'ok', 'ok'];
const ADMIN: Case['expected'] = ['FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN', 'ok', 'ok'];
const LISTED: Case['expected'] = ['ok', 'none', 'ok', 'ok', 'ok', 'ok'];
const BULK: Case['expected'] = ['FORBIDDEN', 'none', 'none', 'ok', 'ok', 'ok'];
const PREVIEW: Case['expected'] = ['none', 'none', 'none', 'ok', 'ok', 'ok'];

const cases: Record<string, Case> = {
  getBatch: { run: (a, c) => getBatch(deps, a, c.batchId).then(() => true), expected: READ },
  listBatches: {
    run: async (a, c) => (await listBatches(deps, a, { limit: 100 })).batches.some((b) => b.batch_id === c.batchId),
    expected: LISTED,
  },
  countBatchTabs: {
    run: async (a) => (await countBatchTabs(deps, a)).current > 0,
    expected: LISTED,
  },
  batchStats: { run: async (a) => (await batchStats(deps, a)).batches.total > 0, expected: LISTED },
  listJobs: {
    run: async (a, c) => (await listJobs(deps, a, { batch_id: c.batchId })).jobs.some((j) => j.job_id === c.jobId),
    expected: READ,
  },
  listJobsAll: {
    run: async (a, c) => (await listJobs(deps, a, { limit: 200 })).jobs.some((j) => j.job_id === c.jobId),
    expected: LISTED,
  },
  getJob: { run: (a, c) => getJob(deps, a, c.jobId).then(() => true), expected: READ },
  getJobLogs: { run: (a, c) => getJobLogs(deps, a, c.jobId).then(() => true), expected: READ },
  createBatch: {
    run: (a) => createBatch(deps, a, { jobs: jobsInput(1) }).then(() => true),
    expected: ['FORBIDDEN', 'ok', 'ok', 'ok', 'ok', 'ok'],
  },
  createJobInBatch: { run: (a, c) => createJob(deps, a, { batch_id: c.batchId, parameters: params() }).then(() => true), expected: WRITE },
  createStandaloneJob: {
    run: (a) => createJob(deps, a, { parameters: params() }).then(() => true),
    expected: ['FORBIDDEN', 'ok', 'ok', 'ok', 'ok', 'ok'],
  },
  archiveBatch: { run: (a, c) => archiveBatch(deps, a, c.batchId).then(() => true), expected: WRITE },
  unarchiveBatch: { run: (a, c) => unarchiveBatch(deps, a, c.batchId).then(() => true), expected: WRITE },
  setBatchActive: { run: (a, c) => setBatchActive(deps, a, c.batchId, false).then(() => true), expected: WRITE },
  restartBatch: { failed: true, run: async (a, c) => (await restartBatch(deps, a, c.batchId)).restarted === 1, expected: WRITE },
  changeLanguageBatch: {
    run: (a, c) => changeLanguage(deps, a, { target: { batch_id: c.batchId }, target_language: 'fr' }).then(() => true),
    expected: WRITE,
  },
  changeLanguageJob: {
    run: (a, c) => changeLanguage(deps, a, { target: { job_id: c.jobId }, target_language: 'fr' }).then(() => true),
    expected: WRITE,
  },
  changeLanguageAllCurrent: {
    run: async (a, c) => {
      await changeLanguage(deps, a, { target: { all_current: true }, target_language: 'it' });
      return (await deps.models.Job.findOne({ job_id: c.jobId }).lean())?.parameters?.target_language === 'it';
    },
    expected: BULK,
  },
  restartJob: { failed: true, run: (a, c) => restartJob(deps, a, c.jobId).then(() => true), expected: WRITE },
  cancelJob: { run: (a, c) => cancelJob(deps, a, c.jobId).then(() => true), expected: WRITE },
  deleteJob: { run: (a, c) => deleteJob(deps, a, c.jobId).then(() => true), expected: ADMIN },
  deleteBatch: { run: (a, c) => deleteBatch(deps, a, c.batchId).then(() => true), expected: ADMIN },
  failAllBatches: {
    run: async (a, c) => {
      await failAllBatches(deps, a, { reason: 'matrix' });
      return (await jobStatus(c)) === 'failed';
    },
    expected: BULK,
  },
  setAllPending: {
    failed: true,
    run: async (a, c) => {
      await setAllPending(deps, a);
      return (await jobStatus(c)) === 'pending';
    },
    expected: BULK,
  },
  previewFailAll: { run: async (a) => (await previewFailAll(deps, a)).jobs > 0, expected: PREVIEW },
  previewSetAllPending: { failed: true, run: async (a) => (await previewSetAllPending(deps, a)).jobs > 0, expected: PREVIEW },
};

describe('access matrix (viewer, another user, a listed reader, a listed writer, the owner, an admin)', () => {
  const rows = Object.entries(cases).flatMap(([name, c]) => WHO.map((who, i) => [name, who, c.expected[i]!] as const));

  it.each(rows)('%s as %s -> %s', async (name, who, expected) => {
    // A clean slate per row, so "none" really means this actor sees or changes nothing.
    await deps.models.Job.deleteMany({});
    await deps.models.Batch.deleteMany({});
    const testCase = cases[name]!;
    const ctx = await setup(testCase.failed === true);
    const jobBefore = await deps.models.Job.collection.findOne({ job_id: ctx.jobId });
    let outcome: Outcome;
    try {
      outcome = (await testCase.run(actors[who], ctx)) === false ? 'none' : 'ok';
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      outcome = err.code as Outcome;
    }
    expect(outcome).toBe(expected);
    if (expected === 'NOT_FOUND' || expected === 'FORBIDDEN') {
      // Refused means untouched.
      expect(await deps.models.Job.collection.findOne({ job_id: ctx.jobId })).toEqual(jobBefore);
    }
  });

  it('leaves every document readable by the legacy worker', async () => {
    expect(await checkAllDocuments(deps)).toEqual([]);
  });
});
