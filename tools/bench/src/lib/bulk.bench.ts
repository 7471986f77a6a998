import { randomUUID } from 'node:crypto';
import { createApiToken } from '@event-monitor/auth';
import { BATCHES_COLLECTION, JOBS_COLLECTION } from '@event-monitor/domain';
import type { JobRecord } from '@event-monitor/domain';
import { batchRecord, jobRecord, type JobStatusValue } from './documents';
import type { BenchHarness } from './harness';
import { round, timed } from './stats';

export interface BulkSizes {
  batches: number;
  jobsPerBatch: number;
  /** Batches whose jobs are all failed with the error code the bulk restart selects. */
  failedBatches: number;
}

export interface BulkResult {
  batches: number;
  jobs: number;
  /** Jobs the filter (status failed, error code BULK_TIMEOUT) selects: all jobs of failedBatches batches. */
  selected: number;
  /** POST jobs/bulk/preview: wall time. */
  previewMs: number;
  /** POST jobs/bulk/restart by filter: wall time of the one request. */
  restartMs: number;
  /** HTTP requests the restart took (the preview not counted). */
  requests: number;
  /** The answer's counts. */
  matched: number;
  changed: number;
  skipped: number;
  /** job.bulk_restart audit events written. */
  auditEvents: number;
  /** Batches whose stored counters differ from a recount afterwards (must be 0). */
  counterMismatches: number;
  /** Pending jobs found afterwards among the selected ones (must equal selected). */
  pendingAfter: number;
}

const CODE = 'BULK_TIMEOUT';

/**
 * A bulk restart by filter on a seeded database: `batches` batches of `jobsPerBatch` jobs of one
 * operator, the jobs of `failedBatches` batches failed with error code BULK_TIMEOUT, the rest
 * completed. One preview, then ONE request restarts every failed job with that code.
 */
export async function runBulk(harness: BenchHarness, sizes: BulkSizes, log: (line: string) => void): Promise<BulkResult> {
  const owner = await harness.live.createUser('operator');
  const token = (await createApiToken(harness.live.auth, { userId: owner.id, name: 'bench bulk', scopes: ['read', 'write'] })).token;
  const jobs = harness.db.collection<JobRecord>(JOBS_COLLECTION);
  const batches = harness.db.collection(BATCHES_COLLECTION);
  // An hour back: the server's change feed (polling updated_at from its start) never reads the
  // seeded jobs, so it does not compete with the measured requests; the bulk writes it does see.
  const now = new Date(Date.now() - 3_600_000);
  const batchIds: string[] = [];
  // One request first: the server creates the declared indexes on its first request (domain.ts),
  // as it would long before a real database fills up; seeded afterwards, the jobs are indexed on insert.
  const warm = await fetch(`${harness.live.url}/api/event-job/batches/stats`, { headers: { authorization: `Bearer ${token}` } });
  if (!warm.ok) throw new Error(`GET batches/stats answered ${warm.status}`);
  log(`bulk: seeding ${sizes.batches} batches x ${sizes.jobsPerBatch} jobs ...`);
  for (let b = 0; b < sizes.batches; b++) {
    const batchId = `batch-bulk-${randomUUID()}`;
    batchIds.push(batchId);
    const status: JobStatusValue = b < sizes.failedBatches ? 'failed' : 'completed';
    const records = Array.from({ length: sizes.jobsPerBatch }, (_, i) => {
      const record = jobRecord(b * sizes.jobsPerBatch + i, now, { batchId, userId: owner.id, status });
      if (status === 'failed') Object.assign(record, { error: { code: CODE, message: 'upstream timed out' } });
      return record;
    });
    await jobs.insertMany(records, { ordered: false });
    const counts = { pending: 0, processing: 0, completed: 0, failed: 0, [status]: sizes.jobsPerBatch };
    await batches.insertOne(batchRecord(batchId, `bench bulk ${b}`, now, owner.id, counts));
  }
  const selected = sizes.failedBatches * sizes.jobsPerBatch;

  let requests = 0;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> => {
    requests += 1;
    const response = await fetch(`${harness.live.url}/api/event-job/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await response.json()) as { data?: Record<string, unknown> };
    if (!response.ok || !json.data) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json.data;
  };

  // "Restart the failed jobs with error BULK_TIMEOUT" over the caller's own current batches.
  const filter = { status: 'failed', error_code: CODE };
  const preview = await timed(() => call('POST', 'jobs/bulk/preview', { ...filter, action: 'restart' }));
  if (preview.value['jobs'] !== selected) throw new Error(`preview counted ${String(preview.value['jobs'])} jobs, expected ${selected}`);
  requests = 0;
  const restart = await timed(() =>
    call('POST', 'jobs/bulk/restart', { ...filter, reason: 'bench: upstream is back', confirm: preview.value['confirm_phrase'] }),
  );
  const answer = restart.value as { matched: number; changed: number; skipped: number };

  const auditEvents = await harness.db.collection('audit_events').countDocuments({ action: 'job.bulk_restart' });
  const pendingAfter = await jobs.countDocuments({ batch_id: { $in: batchIds.slice(0, sizes.failedBatches) }, status: 'pending' });
  // Counters against a recount, for every batch.
  const recount = await jobs
    .aggregate<{ _id: { batch: string; status: string }; n: number }>([
      { $match: { batch_id: { $in: batchIds } } },
      { $group: { _id: { batch: '$batch_id', status: '$status' }, n: { $sum: 1 } } },
    ])
    .toArray();
  const counted = new Map<string, Record<string, number>>();
  for (const row of recount) {
    const entry = counted.get(row._id.batch) ?? {};
    entry[row._id.status] = row.n;
    counted.set(row._id.batch, entry);
  }
  let counterMismatches = 0;
  for (const batch of await batches.find({ batch_id: { $in: batchIds } }).toArray()) {
    const c = counted.get(batch['batch_id'] as string) ?? {};
    const same = (['pending', 'processing', 'completed', 'failed'] as const).every((s) => (batch[`${s}_jobs`] ?? 0) === (c[s] ?? 0));
    if (!same) counterMismatches += 1;
  }

  const result: BulkResult = {
    batches: sizes.batches,
    jobs: sizes.batches * sizes.jobsPerBatch,
    selected,
    previewMs: round(preview.ms, 1),
    restartMs: round(restart.ms, 1),
    requests,
    matched: answer.matched,
    changed: answer.changed,
    skipped: answer.skipped,
    auditEvents,
    counterMismatches,
    pendingAfter,
  };
  log(
    `bulk restart of ${answer.changed} of ${result.jobs} jobs by filter: ${result.restartMs} ms in ${requests} request(s), ` +
      `${auditEvents} audit event(s), ${counterMismatches} counter mismatch(es); preview ${result.previewMs} ms`,
  );
  return result;
}
