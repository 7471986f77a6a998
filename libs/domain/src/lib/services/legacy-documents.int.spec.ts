import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, checkAllDocuments, counterDrift, domainDeps } from '../../test-support/domain-fixtures';
import { batchStats, countBatchTabs, getBatch, listBatches, previewFailAll, setBatchActive } from './batch.service';
import { getJob, getJobLogs, listJobs, restartJob } from './job.service';
import { claimNextJob, completeJob } from './worker.service';

const db = useTestDatabase();
let deps: DomainDeps;

const T0 = new Date('2025-05-01T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const LEGACY_BATCH = 'batch-5f0c6a52-1111-4b7e-9c3e-000000000001';
const OWNED_BATCH = 'batch-5f0c6a52-1111-4b7e-9c3e-000000000002';

/** All 14 parameter keys, null where unset: how the Python side writes them. */
const legacyParameters = (event: string, session: string) => ({
  event,
  session,
  url: null,
  filename: null,
  track: 'Keynotes',
  day: null,
  starttime: null,
  endtime: null,
  speakers: [],
  video_url: 'https://example.org/v.mp4',
  attachments_url: null,
  source_language: 'en',
  target_language: 'de',
  use_cache: true,
});

/** What `Job.to_dict` / `Batch.to_dict` write without a user: always present, nobody listed. */
const LEGACY_ACL = { visibility: 'private', read_access: [], write_access: [], admin_access: [] };

// Shapes from legacy-system.md: keys absent when unset, `log_entries`, no isActive,
// `pending_jobs: 0` and `processing_jobs: 0` (never maintained), batch status 'processing' from
// creation on, no user_id, and the empty access_control the legacy models always write.
const legacyBatch = {
  batch_id: LEGACY_BATCH,
  batch_name: 'Legacy import',
  status: 'processing',
  created_at: T0,
  updated_at: T0,
  access_control: LEGACY_ACL,
  total_jobs: 3,
  completed_jobs: 1,
  failed_jobs: 0,
  pending_jobs: 0,
  processing_jobs: 0,
  archived: false,
};
const legacyJobs = [
  {
    job_id: 'job-legacy-0001',
    job_type: '',
    status: 'completed',
    created_at: at(0),
    updated_at: at(5),
    parameters: legacyParameters('FOSDEM', 'Opening'),
    access_control: LEGACY_ACL,
    archived: false,
    batch_id: LEGACY_BATCH,
    processing_started_at: at(1),
    completed_at: at(5),
    progress: { step: 'completed', percent: 100 },
    log_entries: [
      { timestamp: at(1), level: 'info', message: 'started' },
      { timestamp: at(5), level: 'info', message: 'done' },
    ],
    results: {
      markdown_file: 'sessions/FOSDEM/de/opening.md',
      markdown_content: '# Opening',
      assets: [],
      web_text: '',
      video_transcript: 'hello',
      attachments_text: null,
      context: null,
      attachments_url: null,
    },
  },
  {
    job_id: 'job-legacy-0002',
    job_type: '',
    status: 'pending',
    created_at: at(0),
    updated_at: at(0),
    parameters: { ...legacyParameters('FOSDEM', 'Closing'), speakers: null },
    access_control: LEGACY_ACL,
    archived: false,
    batch_id: LEGACY_BATCH,
  },
  {
    job_id: 'job-legacy-0003',
    job_type: '',
    status: 'pending',
    created_at: at(1),
    updated_at: at(1),
    job_name: 'Given name',
    parameters: legacyParameters('FOSDEM', 'Lightning'),
    access_control: LEGACY_ACL,
    archived: false,
    batch_id: LEGACY_BATCH,
    logs: [{ timestamp: at(2), level: 'warning', message: 'from the worker' }],
    log_entries: [{ timestamp: at(1), level: 'debug', message: 'from the model' }],
  },
];
const ownedBatch = {
  batch_id: OWNED_BATCH,
  batch_name: 'Olga legacy',
  status: 'completed',
  created_at: at(10),
  updated_at: at(10),
  completed_at: at(20),
  user_id: 'olga',
  access_control: { visibility: 'private', read_access: ['olga'], write_access: ['olga'], admin_access: ['olga'] },
  total_jobs: 0,
  completed_jobs: 0,
  failed_jobs: 0,
  pending_jobs: 0,
  processing_jobs: 0,
  archived: false,
  isActive: true,
};
const LEGACY_IDS = new Set([LEGACY_BATCH, OWNED_BATCH, ...legacyJobs.map((j) => j.job_id)]);

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  await deps.models.Batch.collection.insertMany([legacyBatch, ownedBatch]);
  await deps.models.Job.collection.insertMany(legacyJobs);
});

describe('legacy-shaped documents', () => {
  it('a legacy batch reads with isActive true, derived counters and shared access', async () => {
    const batch = await getBatch(deps, actors.viewer, LEGACY_BATCH);
    expect(batch).toMatchObject({
      batch_id: LEGACY_BATCH,
      status: 'processing',
      isActive: true,
      archived: false,
      total_jobs: 3,
      completed_jobs: 1,
      pending_jobs: 2,
      processing_jobs: 0,
      access_control: { visibility: 'public', read_access: [], write_access: [], admin_access: [] },
    });
    expect(batch.user_id).toBeUndefined();
  });

  it('an ownerless legacy batch and its jobs are readable by viewers and operators at every read path', async () => {
    for (const actor of [actors.viewer, actors.other]) {
      expect((await getBatch(deps, actor, LEGACY_BATCH)).batch_id).toBe(LEGACY_BATCH);
      expect((await getJob(deps, actor, 'job-legacy-0002')).job_id).toBe('job-legacy-0002');
      expect(await getJobLogs(deps, actor, 'job-legacy-0003')).toHaveLength(2);
      expect((await listBatches(deps, actor)).batches.map((b) => b.batch_id)).toContain(LEGACY_BATCH);
      expect((await listJobs(deps, actor, { batch_id: LEGACY_BATCH })).jobs).toHaveLength(3);
      expect((await listJobs(deps, actor, { limit: 100 })).jobs.map((j) => j.job_id)).toContain('job-legacy-0001');
      expect((await countBatchTabs(deps, actor)).current).toBe(1);
      expect((await batchStats(deps, actor)).batches.total).toBe(1);
    }
  });

  it('operators may change an ownerless legacy batch (check form and bulk query form), viewers may not', async () => {
    expect(await previewFailAll(deps, actors.other)).toEqual({ batches: 1, jobs: 2 });
    expect(await previewFailAll(deps, actors.viewer)).toEqual({ batches: 0, jobs: 0 });
    const paused = await setBatchActive(deps, actors.other, LEGACY_BATCH, false);
    expect(paused.isActive).toBe(false);
    await setBatchActive(deps, actors.other, LEGACY_BATCH, true);
    await expect(setBatchActive(deps, actors.viewer, LEGACY_BATCH, false)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(restartJob(deps, actors.viewer, 'job-legacy-0001')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a legacy job reads its logs from log_entries, drops nulls inside parameters and results, names itself', async () => {
    const job = await getJob(deps, actors.other, 'job-legacy-0001');
    expect(job.logs.map((l) => l.message)).toEqual(['started', 'done']);
    expect(job.parameters).toEqual({
      event: 'FOSDEM',
      session: 'Opening',
      track: 'Keynotes',
      speakers: [],
      video_url: 'https://example.org/v.mp4',
      source_language: 'en',
      target_language: 'de',
      use_cache: true,
    });
    expect(job.results).toEqual({
      markdown_file: 'sessions/FOSDEM/de/opening.md',
      markdown_content: '# Opening',
      assets: [],
      web_text: '',
      video_transcript: 'hello',
    });
    expect(job).toMatchObject({ job_name: 'FOSDEM - Keynotes - Opening', priority: 0, attempts: 0, max_attempts: 3, batch_active: true });
  });

  it('merges logs and log_entries by time, and speakers null reads as []', async () => {
    const logs = await getJobLogs(deps, actors.other, 'job-legacy-0003');
    expect(logs.map((l) => l.message)).toEqual(['from the model', 'from the worker']);
    expect((await getJob(deps, actors.other, 'job-legacy-0002')).parameters.speakers).toEqual([]);
    expect((await getJob(deps, actors.other, 'job-legacy-0003')).job_name).toBe('Given name');
  });

  it('lists, searches and counts legacy documents', async () => {
    const list = await listBatches(deps, actors.other, { search: 'legacy' });
    expect(list.batches.map((b) => b.batch_id)).toEqual([LEGACY_BATCH]);
    expect(list.total).toBe(1);
    const jobs = await listJobs(deps, actors.other, { batch_id: LEGACY_BATCH, search: 'closing' });
    expect(jobs.jobs.map((j) => j.job_id)).toEqual(['job-legacy-0002']);
    const completed = await listJobs(deps, actors.other, { batch_id: LEGACY_BATCH, status: 'completed' });
    expect(completed.jobs[0]).toMatchObject({ has_results: true, job_name: 'FOSDEM - Keynotes - Opening' });
    expect(completed.jobs[0]).not.toHaveProperty('logs');
    const stats = await batchStats(deps, actors.admin);
    expect(stats.batches).toMatchObject({ total: 2, processing: 1, completed: 1, active: 2 });
  });

  it('the claim takes a legacy pending job (no priority, no batch_active) and the missing counters get recounted', async () => {
    const claimed = await claimNextJob(deps, { worker_id: 'w-new' });
    expect(claimed?.job.batch_id).toBe(LEGACY_BATCH);
    await completeJob(deps, { job_id: claimed!.job.job_id, token: claimed!.lease.token, results: { markdown_content: '# x' } });
    const batch = await getBatch(deps, actors.admin, LEGACY_BATCH);
    expect(batch).toMatchObject({ total_jobs: 3, pending_jobs: 1, processing_jobs: 0, completed_jobs: 2, failed_jobs: 0, status: 'processing' });
  });

  it('restarting a legacy job removes its old results and keeps the legacy fields', async () => {
    await restartJob(deps, actors.other, 'job-legacy-0001');
    const raw = await deps.models.Job.collection.findOne({ job_id: 'job-legacy-0001' });
    expect(raw).not.toHaveProperty('results');
    expect(raw).not.toHaveProperty('progress');
    expect(raw?.['log_entries']).toHaveLength(2);
    expect((raw?.['logs'] as unknown[]).length).toBe(1);
    expect(raw?.['parameters']).toMatchObject({ url: null, event: 'FOSDEM' });
  });

  it('a private legacy batch stays hidden from other users', async () => {
    await expect(getBatch(deps, actors.other, OWNED_BATCH)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await getBatch(deps, actors.owner, OWNED_BATCH)).status).toBe('completed');
  });

  it('every document still passes the legacy reader check and the counters equal a recount', async () => {
    expect(await checkAllDocuments(deps, LEGACY_IDS)).toEqual([]);
    expect(await counterDrift(deps)).toEqual([]);
  });
});
