import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Document } from 'mongodb';
import { connectMongoose, startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import {
  BATCHES_COLLECTION,
  createDomainModels,
  detectNotificationEvents,
  ensureIndexes,
  JOBS_COLLECTION,
  NOTIFY_HANDLERS,
  queueDelivery,
  sendDueDeliveries,
  type Actor,
  type DomainDeps,
  type NotificationSubscriptionRecord,
} from '@event-monitor/domain';
import { batchRecord, jobRecord } from './documents';
import { median, round, timed } from './stats';

export interface NotifySizes {
  batches: number;
  jobsPerBatch: number;
  /** Deliveries sent in each sending phase (one sender, then four at once). */
  sends: number;
  /** Timed sweeps with no subscription at all (the cost every installation pays). */
  repeats: number;
}

export interface NotifyResult {
  jobs: number;
  batches: number;
  /** A sweep when nobody subscribed: p50 ms (it reads no job). */
  idleSweepP50Ms: number;
  /** The sweeps that read every finished job from the feed and queued the events: seconds, jobs per second. */
  detectSeconds: number;
  detectJobsPerSecond: number;
  queued: number;
  /** Deliveries per second to a receiver on 127.0.0.1: one sender, then four senders at once (every process sends). */
  sendOnePerSecond: number;
  sendFourPerSecond: number;
  /** Deliveries the receiver got more than once across the concurrent senders (must be 0). */
  duplicates: number;
}

const FAILED_SHARE = 0.1;
const INSERT_CHUNK = 5_000;

/**
 * The notification sweep and sender in process on one embedded database: stores `batches` x
 * `jobsPerBatch` pending jobs, then finishes them as a legacy worker does (a plain update per
 * batch, 10 % failed), and times the sweeps that find the events (batch.finished and
 * batch.failure_rate for two subscriptions, job.failed for a third) and the sending to a real HTTP
 * receiver, with one sender and with four at once.
 */
export async function runNotify(sizes: NotifySizes, log: (line: string) => void, uri?: string): Promise<NotifyResult> {
  const server: EmbeddedMongo | undefined = uri ? undefined : await startEmbeddedMongo({ readyTimeoutMs: 600_000 });
  const connection = await connectMongoose({ uri: uri ?? server?.uri ?? '', dbName: `notify-bench-${randomUUID().slice(0, 8)}`, serverSelectionTimeoutMS: 30_000 });
  const seen = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const deps: DomainDeps = { models: createDomainModels(connection), notify: { retryBaseMs: 60_000 } };
    await ensureIndexes(deps.models);
    const db = connection.db;
    if (!db) throw new Error('no database handle');
    const admin: Actor = { userId: `notify-admin-${randomUUID()}`, role: 'admin' };
    const userId = `notify-user-${randomUUID()}`;
    const total = sizes.batches * sizes.jobsPerBatch;

    const idle: number[] = [];
    for (let r = 0; r <= sizes.repeats; r++) {
      const { ms } = await timed(() => detectNotificationEvents(deps));
      if (r > 0) idle.push(ms);
    }
    const idleSweepP50Ms = round(median(idle));
    log(`notify: a sweep with no subscription p50 ${idleSweepP50Ms} ms`);

    const batchIds: string[] = [];
    let jobs: Document[] = [];
    let batches: Document[] = [];
    const now = new Date();
    for (let b = 0; b < sizes.batches; b++) {
      const batchId = `batch-${randomUUID()}`;
      batchIds.push(batchId);
      for (let j = 0; j < sizes.jobsPerBatch; j++) jobs.push(jobRecord(b * sizes.jobsPerBatch + j, now, { batchId, userId }) as unknown as Document);
      batches.push(batchRecord(batchId, `Notify batch ${b}`, now, userId, { pending: sizes.jobsPerBatch, processing: 0, completed: 0, failed: 0 }) as unknown as Document);
      if (jobs.length >= INSERT_CHUNK || b === sizes.batches - 1) {
        await db.collection(JOBS_COLLECTION).insertMany(jobs, { ordered: false });
        await db.collection(BATCHES_COLLECTION).insertMany(batches, { ordered: false });
        jobs = [];
        batches = [];
      }
    }
    const subscribe = (events: string[]) =>
      NOTIFY_HANDLERS.create(deps, admin, { name: 'bench', url, events, failure_rate_percent: 5 } as never);
    await subscribe(['batch.finished', 'batch.failure_rate']);
    await subscribe(['batch.finished', 'batch.failure_rate']);
    await subscribe(['job.failed']);
    // The first sweep with subscriptions starts the feed now: what follows is what it must find.
    await detectNotificationEvents(deps);
    await new Promise((resolve) => setTimeout(resolve, 10));

    // The legacy worker finishes every job with plain updates (no lease, no counters of ours).
    const failedPerBatch = Math.max(1, Math.round(sizes.jobsPerBatch * FAILED_SHARE));
    for (const batchId of batchIds) {
      const ids = (await db.collection(JOBS_COLLECTION).find({ batch_id: batchId }, { projection: { job_id: 1 } }).toArray()).map((job) => job['job_id'] as string);
      const at = new Date();
      await db.collection(JOBS_COLLECTION).updateMany(
        { job_id: { $in: ids.slice(0, failedPerBatch) } },
        { $set: { status: 'failed', updated_at: at, completed_at: at, error: { code: 'BenchError', message: 'seeded' } } },
      );
      await db.collection(JOBS_COLLECTION).updateMany(
        { job_id: { $in: ids.slice(failedPerBatch) } },
        { $set: { status: 'completed', updated_at: at, completed_at: at, results: { markdown_file: 'x.md' } } },
      );
    }
    // The feed stays 5 s behind now (writes in flight): wait that out, then sweep until nothing is left.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    let queued = 0;
    const detected = await timed(async () => {
      for (;;) {
        const run = await detectNotificationEvents(deps);
        queued += run.queued;
        if (run.examined === 0) break;
      }
    });
    const expected = sizes.batches * 4 + sizes.batches * failedPerBatch;
    if (queued !== expected) throw new Error(`the sweeps queued ${queued} deliveries, expected ${expected}`);
    const detectSeconds = round(detected.ms / 1000, 2);
    log(`notify: sweeps over ${total} finished jobs queued ${queued} deliveries in ${detectSeconds} s`);

    const rate = async (senders: number): Promise<number> => {
      const pending = await deps.models.NotificationDelivery.countDocuments({ state: 'pending' });
      const target = Math.min(sizes.sends, pending);
      const per = Math.ceil(target / senders);
      const sent = await timed(() => Promise.all(Array.from({ length: senders }, () => sendDueDeliveries(deps, { limit: per }))));
      const count = sent.value.reduce((sum, n) => sum + n, 0);
      return Math.round(count / (sent.ms / 1000));
    };
    // Enough deliveries for both phases.
    const extra = await deps.models.NotificationSubscription.findOne({}).lean<NotificationSubscriptionRecord>();
    for (let i = queued; i < 2 * sizes.sends && extra; i++) await queueDelivery(deps, extra, { event: 'test', key: `bench-${i}`, summary: 'bench', data: {} });
    const sendOnePerSecond = await rate(1);
    const sendFourPerSecond = await rate(4);
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    log(`notify: sending ${sizes.sends} deliveries: one sender ${sendOnePerSecond}/s, four senders ${sendFourPerSecond}/s, ${duplicates} sent twice`);
    return {
      jobs: total,
      batches: sizes.batches,
      idleSweepP50Ms,
      detectSeconds,
      detectJobsPerSecond: Math.round(total / (detected.ms / 1000)),
      queued,
      sendOnePerSecond,
      sendFourPerSecond,
      duplicates,
    };
  } finally {
    receiver.close();
    await connection.db?.dropDatabase().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
}
