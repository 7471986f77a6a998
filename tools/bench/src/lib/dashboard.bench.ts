import { randomUUID } from 'node:crypto';
import type { Db, Document } from 'mongodb';
import { createCaller, createContextInner } from '@event-monitor/api';
import { authenticate, createApiToken } from '@event-monitor/auth';
import { createEventMonitorClient } from '@event-monitor/client';
import { connectMongoose } from '@event-monitor/db';
import {
  BATCHES_COLLECTION,
  COUNT_CAP,
  createDomainModels,
  JOBS_COLLECTION,
  JOB_LIST_PROJECTION,
  readableFilter,
  type Actor,
} from '@event-monitor/domain';
import { batchRecord, jobRecord, type JobStatusValue } from './documents';
import type { BenchHarness } from './harness';
import { median, round, timed } from './stats';

export interface DashboardQueryResult {
  name: string;
  /** tRPC over HTTP: what the dashboard pays (request, auth, Next.js, tRPC, the query). */
  restP50Ms: number;
  /** The same procedure through `createCaller` in this process: router and domain, no HTTP, no auth. */
  inProcessP50Ms: number;
  rawP50Ms: number;
  /** tRPC over HTTP p50 divided by raw p50 (the target applies to this one). */
  ratio: number;
  /** In-process tRPC p50 divided by raw p50: our query work alone. */
  inProcessRatio: number;
  /** What the sides returned (rows or a count), to show they did the same work. */
  rest: number;
  inProcess: number;
  raw: number;
}

export interface DashboardResult {
  batches: number;
  jobs: number;
  repeats: number;
  seedSeconds: number;
  queries: DashboardQueryResult[];
}

// The page sizes of the dashboard and the job table (apps/web client/list-inputs.ts:
// BATCH_PAGE_SIZE, DEFAULT_JOB_PAGE_SIZE).
const BATCH_PAGE = 20;
const JOB_PAGE = 50;
/** "Not archived" as the domain writes it (CURRENT_BATCH in libs/domain load.ts). */
const CURRENT = { archived: { $in: [false, null] } };

/** Statuses cycle so every batch has a mix and its counters are known in advance. */
const CYCLE: JobStatusValue[] = ['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'failed', 'pending', 'pending', 'processing'];

/** `batches` batches of `jobsPerBatch` jobs owned by `userId`, every tenth archived, inserted in chunks. */
export async function seedDashboard(db: Db, userId: string, batches: number, jobsPerBatch: number): Promise<string[]> {
  const ids: string[] = [];
  const base = Date.now() - batches * 60_000;
  let pendingJobs: Document[] = [];
  const flush = async () => {
    if (pendingJobs.length) await db.collection(JOBS_COLLECTION).insertMany(pendingJobs, { ordered: false });
    pendingJobs = [];
  };
  const batchDocs: Document[] = [];
  for (let b = 0; b < batches; b++) {
    const batchId = `batch-${randomUUID()}`;
    const now = new Date(base + b * 60_000);
    const archived = b % 10 === 9;
    const counts: Record<JobStatusValue, number> = { pending: 0, processing: 0, completed: 0, failed: 0 };
    // Batches whose position is a multiple of 3 are finished: their jobs completed or failed.
    const finished = b % 3 === 0;
    for (let j = 0; j < jobsPerBatch; j++) {
      const cycled = CYCLE[(b + j) % CYCLE.length] as JobStatusValue;
      const status: JobStatusValue = finished && (cycled === 'pending' || cycled === 'processing') ? 'completed' : cycled;
      counts[status] += 1;
      pendingJobs.push(jobRecord(j, now, { batchId, userId, archived, status }));
      if (pendingJobs.length >= 5_000) await flush();
    }
    batchDocs.push(batchRecord(batchId, `Bench batch ${b}`, now, userId, counts, archived));
    ids.push(batchId);
  }
  await flush();
  await db.collection(BATCHES_COLLECTION).insertMany(batchDocs);
  return ids;
}

/**
 * The dashboard's reads: through tRPC over HTTP with a read token, and the raw queries the domain
 * sends for them (listBatches, countBatchTabs, listJobs, batchStats in libs/domain): same filter,
 * sort, limit, projection and bounded count (keyset pagination, first page).
 */
export async function runDashboard(
  harness: BenchHarness,
  sizes: { batches: number; jobsPerBatch: number; repeats: number },
  log: (line: string) => void,
): Promise<DashboardResult> {
  const reader = await harness.live.createUser('operator');
  const token = (await createApiToken(harness.live.auth, { userId: reader.id, name: 'bench-reader', scopes: ['read'] })).token;
  const actor: Actor = { userId: reader.id, role: 'operator' };
  const readable = readableFilter(actor);
  const db = harness.db;

  const seedStart = performance.now();
  const batchIds = await seedDashboard(db, reader.id, sizes.batches, sizes.jobsPerBatch);
  const seedSeconds = round((performance.now() - seedStart) / 1000, 1);
  log(`dashboard: seeded ${sizes.batches} batches / ${sizes.batches * sizes.jobsPerBatch} jobs in ${seedSeconds} s`);
  // A current batch in the middle: its jobs are neither first nor last in insertion order.
  const batchId = batchIds[Math.floor(batchIds.length / 2) - (Math.floor(batchIds.length / 2) % 10 === 9 ? 1 : 0)] as string;

  const client = createEventMonitorClient({ url: harness.live.url, token });
  // The same procedures in this process, as the same principal (authenticated once, up front).
  const connection = await connectMongoose({ uri: harness.uri, dbName: harness.live.dbName });
  const domain = { models: createDomainModels(connection) };
  const principal = await authenticate(harness.live.auth, new Headers({ authorization: `Bearer ${token}` }));
  if (!principal) throw new Error('the bench reader token did not authenticate');
  const caller = createCaller(
    createContextInner({ getDomain: async () => domain, getAuth: async () => harness.live.auth, principal }),
  );
  const batches = db.collection(BATCHES_COLLECTION);
  const jobs = db.collection(JOBS_COLLECTION);
  const and = (...parts: Document[]) => ({ $and: parts });
  const listFilter = and(readable, CURRENT);
  const jobFilter = and(readable, { batch_id: batchId });
  const sumCurrent = (field: string) => ({ $sum: { $cond: [{ $ne: ['$archived', true] }, { $ifNull: [`$${field}`, 0] }, 0] } });
  const whenCurrent = (condition: unknown) => ({ $sum: { $cond: [{ $and: [{ $ne: ['$archived', true] }, condition] }, 1, 0] } });

  const queries: { name: string; rest: () => Promise<number>; inProcess: () => Promise<number>; raw: () => Promise<number> }[] = [
    {
      name: 'batch list (page 1 of current)',
      // The dashboard's first page: no cursor, no skip (batchListInput in apps/web).
      rest: async () => (await client.batch.list.query({ archived: false, limit: BATCH_PAGE })).batches.length,
      inProcess: async () => (await caller.batch.list({ archived: false, limit: BATCH_PAGE })).batches.length,
      // listBatches: one row more than the page (is there a next page?) and a count bounded by COUNT_CAP.
      raw: async () => {
        const [rows] = await Promise.all([
          batches.find(listFilter).sort({ created_at: -1, _id: -1 }).skip(0).limit(BATCH_PAGE + 1).toArray(),
          batches.countDocuments(listFilter, { limit: COUNT_CAP + 1 }),
        ]);
        return Math.min(rows.length, BATCH_PAGE);
      },
    },
    {
      name: 'batch tabs (current / archived counts)',
      rest: async () => {
        const tabs = await client.batch.tabs.query();
        return tabs.current + tabs.archived;
      },
      inProcess: async () => {
        const tabs = await caller.batch.tabs();
        return tabs.current + tabs.archived;
      },
      // countBatchTabs: one pass over the union of both tabs' filters, grouped by tab.
      raw: async () => {
        const rows = await batches
          .aggregate([
            { $match: and(readable, { archived: { $in: [false, null, true] } }) },
            { $group: { _id: { $eq: ['$archived', true] }, n: { $sum: 1 } } },
          ])
          .toArray();
        return rows.reduce((sum, row) => sum + (row['n'] as number), 0);
      },
    },
    {
      name: 'job page (50 jobs of one batch)',
      rest: async () =>
        (await client.job.list.query({ batch_id: batchId, limit: JOB_PAGE, sort: { field: 'created_at', direction: 'asc' } })).jobs
          .length,
      inProcess: async () =>
        (await caller.job.list({ batch_id: batchId, limit: JOB_PAGE, sort: { field: 'created_at', direction: 'asc' } })).jobs.length,
      // listJobs: the batch (access check; its counters are the total, so no count), then one row
      // more than the page.
      raw: async () => {
        await batches.findOne({ batch_id: batchId });
        const rows = await jobs
          .find(jobFilter, { projection: { ...JOB_LIST_PROJECTION, _id: 1 } })
          .sort({ created_at: 1, _id: 1 })
          .skip(0)
          .limit(JOB_PAGE + 1)
          .toArray();
        return Math.min(rows.length, JOB_PAGE);
      },
    },
    {
      name: 'stats',
      rest: async () => (await client.batch.stats.query()).batches.total,
      inProcess: async () => (await caller.batch.stats()).batches.total,
      raw: async () => {
        const [row] = await batches
          .aggregate([
            { $match: readable },
            {
              $group: {
                _id: null,
                total: { $sum: 1 },
                pending: whenCurrent({ $eq: ['$status', 'pending'] }),
                processing: whenCurrent({ $eq: ['$status', 'processing'] }),
                completed: whenCurrent({ $eq: ['$status', 'completed'] }),
                failed: whenCurrent({ $eq: ['$status', 'failed'] }),
                archived: { $sum: { $cond: [{ $ne: ['$archived', true] }, 0, 1] } },
                active: whenCurrent({ $ne: ['$isActive', false] }),
                jobs_pending: sumCurrent('pending_jobs'),
                jobs_processing: sumCurrent('processing_jobs'),
                jobs_completed: sumCurrent('completed_jobs'),
                jobs_failed: sumCurrent('failed_jobs'),
              },
            },
          ])
          .toArray();
        return (row?.['total'] as number | undefined) ?? 0;
      },
    },
  ];

  const results: DashboardQueryResult[] = [];
  for (const query of queries) {
    const restMs: number[] = [];
    const inProcessMs: number[] = [];
    const rawMs: number[] = [];
    let restValue = 0;
    let inProcessValue = 0;
    let rawValue = 0;
    // Each round runs the three sides one after another; the first round is a warm-up. The order
    // rotates: with a fixed order, the side always run right after the HTTP request shared the cores
    // with the server still finishing it (in-process measured 1.4-1.9x raw that way, about 1x run first).
    const sides = ['rest', 'inProcess', 'raw'] as const;
    for (let r = 0; r <= sizes.repeats; r++) {
      const took = { rest: 0, inProcess: 0, raw: 0 };
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(r + i) % sides.length] as (typeof sides)[number];
        const run = await timed(query[side]);
        took[side] = run.ms;
        if (side === 'rest') restValue = run.value;
        else if (side === 'inProcess') inProcessValue = run.value;
        else rawValue = run.value;
      }
      if (r > 0) {
        restMs.push(took.rest);
        inProcessMs.push(took.inProcess);
        rawMs.push(took.raw);
      }
    }
    const restP50Ms = round(median(restMs));
    const inProcessP50Ms = round(median(inProcessMs));
    const rawP50Ms = round(median(rawMs));
    results.push({
      name: query.name,
      restP50Ms,
      inProcessP50Ms,
      rawP50Ms,
      ratio: round(restP50Ms / rawP50Ms, 3),
      inProcessRatio: round(inProcessP50Ms / rawP50Ms, 3),
      rest: restValue,
      inProcess: inProcessValue,
      raw: rawValue,
    });
    log(`dashboard ${query.name}: tRPC over HTTP p50 ${restP50Ms} ms, in process ${inProcessP50Ms} ms, raw ${rawP50Ms} ms`);
  }
  await connection.close();
  await jobs.deleteMany({ batch_id: { $in: batchIds } });
  await batches.deleteMany({ batch_id: { $in: batchIds } });
  return {
    batches: sizes.batches,
    jobs: sizes.batches * sizes.jobsPerBatch,
    repeats: sizes.repeats,
    seedSeconds,
    queries: results,
  };
}
