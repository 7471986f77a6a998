import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, type Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { connectMongoose, startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import {
  BATCHES_COLLECTION,
  batchStats,
  claimNextJob,
  createDomainModels,
  ensureIndexes,
  JOBS_COLLECTION,
  listBatches,
  listJobs,
  type Actor,
  type DomainDeps,
} from '@event-monitor/domain';
import { batchRecord, jobRecord, type JobStatusValue } from './documents';
import { median, round, timed } from './stats';

export const SCALE_MODES = ['memory', 'data-dir'] as const;
export type ScaleMode = (typeof SCALE_MODES)[number];

export interface ScaleSizes {
  /** Stored jobs at each measuring point, ascending. */
  steps: number[];
  /** Timed rounds of each query per point (after one warm-up). */
  repeats: number;
  modes: ScaleMode[];
}

export const FULL_SCALE_STEPS = [1_000, 10_000, 100_000, 1_000_000];

export interface ScalePoint {
  jobs: number;
  fillSeconds: number;
  claimP50Ms: number;
  jobPageP50Ms: number;
  batchPageP50Ms: number;
  statsP50Ms: number;
  /** BSON size of every stored job and batch document, as the driver serialises them. */
  bsonBytes: number;
  /** Files in the data directory after a clean stop; null in memory. */
  dataFileBytes: number | null;
  /** Clean stop, then from spawning the jar on the filled data to the first job page answered; null in memory. */
  startupMs: number | null;
}

export interface ScaleModeResult {
  mode: ScaleMode;
  points: ScalePoint[];
  /** The store failed: at how many stored jobs, and its error. The mode stopped there. */
  failure?: { atJobs: number; error: string };
}

export interface ScaleResult {
  repeats: number;
  jobsPerBatch: number;
  modes: ScaleModeResult[];
}

const JOBS_PER_BATCH = 100;
/** Jobs per insertMany: large chunks straight through the driver. */
const INSERT_CHUNK = 5_000;
const PENDING_SHARE = 0.02;
/** A ~2 KB markdown result, as a transcribed conference session leaves behind. */
const MARKDOWN = `# Session transcript\n\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(35)}`.slice(0, 2_048);

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const info = statSync(join(dir, name));
    total += info.isDirectory() ? dirBytes(join(dir, name)) : info.size;
  }
  return total;
}

interface Store {
  server: EmbeddedMongo;
  connection: Connection;
  deps: DomainDeps;
}

async function openStore(dataDir: string | undefined): Promise<Store> {
  // Start-up is measured, not bounded by the default 30 s.
  const server = await startEmbeddedMongo({ ...(dataDir ? { dataDir } : {}), readyTimeoutMs: 600_000 });
  const connection = await connectMongoose({ uri: server.uri, dbName: 'scale', serverSelectionTimeoutMS: 30_000 });
  return { server, connection, deps: { models: createDomainModels(connection) } };
}

async function closeStore(store: Store | undefined, how: 'stop' | 'kill'): Promise<void> {
  if (!store) return;
  await store.connection.close().catch(() => undefined);
  if (how === 'kill') {
    try {
      process.kill(store.server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await store.server.stop().catch(() => undefined);
}

/**
 * Grows one store (in memory, or on a data directory) through `steps` stored jobs and measures the
 * domain's own reads at each step: a claim (claimNextJob), the first job page of one batch
 * (listJobs), the first page of current batches (listBatches) and the dashboard stats (batchStats).
 */
async function runMode(mode: ScaleMode, sizes: ScaleSizes, log: (line: string) => void): Promise<ScaleModeResult> {
  const dataDir = mode === 'data-dir' ? mkdtempSync(join(tmpdir(), 'em-scale-')) : undefined;
  const result: ScaleModeResult = { mode, points: [] };
  const userId = `scale-user-${randomUUID()}`;
  const actor: Actor = { userId, role: 'operator' };
  let store: Store | undefined;
  let stored = 0;
  let bsonBytes = 0;
  let batchNumber = 0;
  const completedBatchIds: string[] = [];
  try {
    store = await openStore(dataDir);
    await ensureIndexes(store.deps.models);
    for (const target of sizes.steps) {
      const fillStart = performance.now();
      const db = store.connection.db;
      if (!db) throw new Error('no database handle');
      const jobs = db.collection(JOBS_COLLECTION);
      const batches = db.collection(BATCHES_COLLECTION);
      const newBatches = Math.ceil((target - stored) / JOBS_PER_BATCH);
      // The last 2 % of the batches added at this step stay pending; the rest are completed.
      const firstPending = newBatches - Math.max(1, Math.ceil(newBatches * PENDING_SHARE));
      let jobChunk: Document[] = [];
      let batchChunk: Document[] = [];
      const flush = async () => {
        if (jobChunk.length) await jobs.insertMany(jobChunk, { ordered: false });
        if (batchChunk.length) await batches.insertMany(batchChunk, { ordered: false });
        stored += jobChunk.length;
        jobChunk = [];
        batchChunk = [];
      };
      const base = Date.now() - newBatches * 60_000;
      for (let b = 0; b < newBatches; b++) {
        const batchId = `batch-${randomUUID()}`;
        const now = new Date(base + b * 60_000);
        const status: JobStatusValue = b >= firstPending ? 'pending' : 'completed';
        for (let j = 0; j < JOBS_PER_BATCH; j++) {
          const job = jobRecord(batchNumber * JOBS_PER_BATCH + j, now, { batchId, userId, status }) as unknown as Document;
          if (status === 'completed') job['results'] = { markdown_file: `session-${j}.md`, markdown_content: MARKDOWN };
          bsonBytes += BSON.calculateObjectSize(job);
          jobChunk.push(job);
        }
        const counts = { pending: 0, processing: 0, completed: 0, failed: 0, [status]: JOBS_PER_BATCH };
        const batch = batchRecord(batchId, `Scale batch ${batchNumber}`, now, userId, counts) as unknown as Document;
        bsonBytes += BSON.calculateObjectSize(batch);
        batchChunk.push(batch);
        if (status === 'completed') completedBatchIds.push(batchId);
        batchNumber++;
        if (jobChunk.length >= INSERT_CHUNK) await flush();
      }
      await flush();
      const fillSeconds = round((performance.now() - fillStart) / 1000, 1);
      log(`scale ${mode}: ${stored} jobs stored (filled in ${fillSeconds} s)`);

      // A completed batch in the middle of everything stored: neither first nor last.
      const pageBatch = completedBatchIds[Math.floor(completedBatchIds.length / 2)] as string;
      let dataFileBytes: number | null = null;
      let startupMs: number | null = null;
      if (dataDir) {
        await closeStore(store, 'stop');
        store = undefined;
        dataFileBytes = dirBytes(dataDir);
        const started = performance.now();
        store = await openStore(dataDir);
        await listJobs(store.deps, actor, { batch_id: pageBatch, limit: 50 });
        startupMs = round(performance.now() - started, 0);
        log(`scale ${mode}: data ${round(dataFileBytes / 1e6, 1)} MB for ${round(bsonBytes / 1e6, 1)} MB of BSON; start-up ${startupMs} ms`);
      }
      const deps = store.deps;
      const measure = async (name: string, call: () => Promise<unknown>) => {
        const samples: number[] = [];
        for (let r = 0; r <= sizes.repeats; r++) {
          const { ms } = await timed(call);
          if (r > 0) samples.push(ms);
        }
        const p50 = round(median(samples));
        log(`scale ${mode} ${stored} jobs: ${name} p50 ${p50} ms`);
        return p50;
      };
      let claimed = 0;
      const claimP50Ms = await measure('claim', async () => {
        const claim = await claimNextJob(deps, { worker_id: 'scale-worker', lease_seconds: 600 });
        if (!claim) throw new Error('claim found no pending job');
        claimed++;
      });
      const jobPageP50Ms = await measure('job page', async () => {
        const page = await listJobs(deps, actor, { batch_id: pageBatch, limit: 50 });
        if (page.jobs.length !== 50) throw new Error(`job page held ${page.jobs.length} jobs`);
      });
      const batchPageP50Ms = await measure('batch page', async () => {
        const page = await listBatches(deps, actor, { archived: false, limit: 20 });
        if (page.batches.length !== 20 && page.batches.length !== batchNumber) throw new Error(`batch page held ${page.batches.length}`);
      });
      const statsP50Ms = await measure('stats', async () => {
        const stats = await batchStats(deps, actor);
        if (stats.batches.total !== batchNumber) throw new Error(`stats counted ${stats.batches.total} batches of ${batchNumber}`);
      });
      if (claimed !== sizes.repeats + 1) throw new Error(`${claimed} claims succeeded`);
      result.points.push({ jobs: stored, fillSeconds, claimP50Ms, jobPageP50Ms, batchPageP50Ms, statsP50Ms, bsonBytes, dataFileBytes, startupMs });
    }
    await closeStore(store, 'stop');
    store = undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result.failure = { atJobs: stored, error: message.split('\n').slice(0, 3).join(' | ') };
    log(`scale ${mode}: the store failed at ${stored} jobs: ${result.failure.error}`);
    await closeStore(store, 'kill');
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

export async function runScale(sizes: ScaleSizes, log: (line: string) => void): Promise<ScaleResult> {
  const modes: ScaleModeResult[] = [];
  for (const mode of sizes.modes) modes.push(await runMode(mode, sizes, log));
  return { repeats: sizes.repeats, jobsPerBatch: JOBS_PER_BATCH, modes };
}
