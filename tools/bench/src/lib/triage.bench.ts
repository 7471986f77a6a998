import { randomUUID } from 'node:crypto';
import { createApiToken } from '@event-monitor/auth';
import { BATCHES_COLLECTION, errorSignature, JOBS_COLLECTION, type JobRecord } from '@event-monitor/domain';
import { batchRecord, jobRecord, type JobStatusValue } from './documents';
import type { BenchHarness } from './harness';
import { processTreeRssMb, sampleRss } from './harness';
import { percentile, round, timed } from './stats';

export interface TriageSizes {
  batches: number;
  jobsPerBatch: number;
  /** Failed jobs in all, spread over every batch, in FAILURE_KINDS groups with varying URLs, paths and numbers. */
  failed: number;
  /** Calls of the failure-groups operation measured. */
  repeats: number;
}

export interface TriageResult {
  jobs: number;
  failed: number;
  /** GET jobs/failures/groups: groups in the answer and milliseconds per call. */
  groups: number;
  groupsP50Ms: number;
  groupsP95Ms: number;
  /** GET jobs/failures/groups?error_code=…: one group's code. */
  groupsOfCodeP50Ms: number;
  /** GET jobs/export/csv of every job: rows, bytes, wall time, rows per second. */
  exportRows: number;
  exportBytes: number;
  exportMs: number;
  exportRowsPerSecond: number;
  /** The web server process's resident memory before and at most during the export (MB). */
  serverRssBeforeMb: number | null;
  serverRssPeakMb: number | null;
  /** The same for the JSON export. */
  exportJsonMs: number;
  exportJsonRowsPerSecond: number;
  serverRssPeakJsonMb: number | null;
}

/** What the seeded failures say: realistic messages whose URLs, paths and numbers vary per job. */
const FAILURE_KINDS: ((i: number) => { code: string; message: string })[] = [
  (i) => ({
    code: 'DownloadError',
    message: `Download of https://cdn${i % 7}.example.org/v/${i}.mp4 failed with HTTP 50${i % 4}`,
  }),
  (i) => ({
    code: 'WhisperError',
    message: `CUDA out of memory on /var/media/session-${i}/audio.wav (${i % 900} MiB)`,
  }),
  (i) => ({
    code: 'TimeoutError',
    message: `worker timed out after ${600 + (i % 60)} s on job job-${randomUUID()}`,
  }),
  (i) => ({ code: 'ValueError', message: `No transcript segments in ${i % 3 === 0 ? 'de' : 'en'} track` }),
  (i) => ({
    code: 'LLMError',
    message: `rate limited by https://api.example.com/v1/chat, retry in ${i % 30} s`,
  }),
];

/**
 * Failure triage on a seeded database: `batches` x `jobsPerBatch` jobs of one operator, `failed`
 * of them failed (as the app writes a failure: error and signature), the rest completed. Measures
 * the failure-groups operation over REST, then the streamed CSV and JSON export of all jobs with
 * the server's resident memory sampled every 50 ms.
 */
export async function runTriage(
  harness: BenchHarness,
  sizes: TriageSizes,
  log: (line: string) => void,
): Promise<TriageResult> {
  const owner = await harness.live.createUser('operator');
  const token = (
    await createApiToken(harness.live.auth, {
      userId: owner.id,
      name: 'bench triage',
      scopes: ['read', 'write'],
    })
  ).token;
  const jobs = harness.db.collection<JobRecord>(JOBS_COLLECTION);
  const batches = harness.db.collection(BATCHES_COLLECTION);
  const now = new Date(Date.now() - 3_600_000);
  const warm = await fetch(`${harness.live.url}/api/event-job/batches/stats`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!warm.ok) throw new Error(`GET batches/stats answered ${warm.status}`);
  const total = sizes.batches * sizes.jobsPerBatch;
  // Every (total / failed)-th job fails: the failures are spread over all batches.
  const every = Math.max(1, Math.floor(total / sizes.failed));
  log(`triage: seeding ${sizes.batches} batches x ${sizes.jobsPerBatch} jobs, ${sizes.failed} failed ...`);
  let failed = 0;
  for (let b = 0; b < sizes.batches; b++) {
    const batchId = `batch-triage-${randomUUID()}`;
    const counts: Record<JobStatusValue, number> = { pending: 0, processing: 0, completed: 0, failed: 0 };
    const records = Array.from({ length: sizes.jobsPerBatch }, (_, i) => {
      const index = b * sizes.jobsPerBatch + i;
      const fails = index % every === 0 && failed < sizes.failed;
      const status: JobStatusValue = fails ? 'failed' : 'completed';
      counts[status] += 1;
      const record = jobRecord(index, now, { batchId, userId: owner.id, status });
      if (fails) {
        // By the failure's own count: every `every`-th job fails, so the job index would pick one kind only.
        const error = FAILURE_KINDS[failed % FAILURE_KINDS.length]!(index);
        failed += 1;
        Object.assign(record, {
          error,
          error_signature: errorSignature(error.code, error.message),
          completed_at: new Date(now.getTime() + index),
        });
      }
      return record;
    });
    await jobs.insertMany(records, { ordered: false });
    await batches.insertOne(batchRecord(batchId, `bench triage ${b}`, now, owner.id, counts));
  }

  const get = async (path: string) => {
    const response = await fetch(`${harness.live.url}/api/event-job/${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const json = (await response.json()) as {
      data?: { groups: { count: number; error_code: string }[]; failed: number };
    };
    if (!response.ok || !json.data)
      throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json.data;
  };
  const first = await get('jobs/failures/groups');
  if (first.failed !== failed)
    throw new Error(`the groups count ${first.failed} failed jobs, expected ${failed}`);
  const times: number[] = [];
  for (let i = 0; i < sizes.repeats; i++) times.push((await timed(() => get('jobs/failures/groups'))).ms);
  const code = first.groups[0]?.error_code ?? 'DownloadError';
  const codeTimes: number[] = [];
  for (let i = 0; i < sizes.repeats; i++)
    codeTimes.push((await timed(() => get(`jobs/failures/groups?error_code=${code}`))).ms);
  log(
    `triage: ${first.groups.length} groups of ${failed} failed jobs: p50 ${round(percentile(times, 50), 1)} ms`,
  );

  const exportAll = async (format: 'csv' | 'json') => {
    const before = processTreeRssMb(harness.live.pid);
    const rss = sampleRss(harness.live.pid, 50);
    const start = performance.now();
    const response = await fetch(`${harness.live.url}/api/event-job/jobs/export/${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok || !response.body) throw new Error(`export ${format} answered ${response.status}`);
    let bytes = 0;
    let lines = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) lines += 1;
    }
    const ms = performance.now() - start;
    const peak = rss.stop().peakMb;
    // CSV: a header line and one line per job (CRLF); JSON: `[`, one line per job, `]`.
    const rows = format === 'csv' ? lines - 1 : lines - 2;
    if (rows !== total) throw new Error(`export ${format} sent ${rows} rows, expected ${total}`);
    return { rows, bytes, ms, before, peak };
  };
  const csv = await exportAll('csv');
  const json = await exportAll('json');
  log(
    `triage: export of ${csv.rows} rows as CSV ${round(csv.ms)} ms (${Math.round(csv.rows / (csv.ms / 1000))} rows/s, ` +
      `${round(csv.bytes / 1e6, 1)} MB), server RSS ${round(csv.before ?? NaN, 0)} -> peak ${round(csv.peak ?? NaN, 0)} MB; ` +
      `JSON ${round(json.ms)} ms, peak ${round(json.peak ?? NaN, 0)} MB`,
  );
  return {
    jobs: total,
    failed,
    groups: first.groups.length,
    groupsP50Ms: round(percentile(times, 50), 1),
    groupsP95Ms: round(percentile(times, 95), 1),
    groupsOfCodeP50Ms: round(percentile(codeTimes, 50), 1),
    exportRows: csv.rows,
    exportBytes: csv.bytes,
    exportMs: round(csv.ms, 0),
    exportRowsPerSecond: Math.round(csv.rows / (csv.ms / 1000)),
    serverRssBeforeMb: csv.before === null ? null : round(csv.before, 0),
    serverRssPeakMb: csv.peak === null ? null : round(csv.peak, 0),
    exportJsonMs: round(json.ms, 0),
    exportJsonRowsPerSecond: Math.round(json.rows / (json.ms / 1000)),
    serverRssPeakJsonMb: json.peak === null ? null : round(json.peak, 0),
  };
}
