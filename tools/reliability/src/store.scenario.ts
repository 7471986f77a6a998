/**
 * `npm run reliability -- store`: durability of the embedded database's --data-dir mode.
 *
 * Phase 1: REST workers claim and complete jobs through the real app while a client creates
 * batches, and the database is SIGKILLed and started again (same port, same files) at random
 * moments. Every acknowledged write is noted with its time: batch creations here, claims and
 * completions in the workers' journals. Phase 2: the store grows by direct inserts (chunks of jobs
 * with a 2 KB result) with more SIGKILLs in between. Then the data directory is opened once more
 * and every acknowledged write older than the loss window (before the next kill) must be there,
 * and every document of every collection must read.
 */
import { randomUUID } from 'node:crypto';
import { BSON, MongoClient, type Document } from 'mongodb';
import { startEmbeddedMongo } from '@event-monitor/db';
import { readJournals, type JournalEvent } from './check';
import { Environment, sleep } from './environment';

export interface StoreOptions {
  smoke?: boolean;
  /** SIGKILLs during the REST phase. */
  kills?: number;
  /** Jobs stored at the end of the growth phase. */
  growthJobs?: number;
  /** SIGKILLs during the growth phase. */
  growthKills?: number;
  workers?: number;
  /**
   * An acknowledged write this close before a SIGKILL may be lost (what the storage promises; the
   * launcher states its real value). Older ones must survive.
   */
  lossWindowMs?: number;
  deadlineMs?: number;
  verbose?: boolean;
  keepFiles?: boolean;
  log?: (line: string) => void;
}

export interface KillRecord {
  phase: 'rest' | 'growth';
  at: number;
  /** From the kill to the restarted server answering a ping. */
  restartMs: number | null;
  /** REST phase: from the restart to the next write acknowledged through the app. */
  resumedMs: number | null;
  error?: string;
}

export interface StoreReport {
  scenario: 'store';
  date: string;
  parameters: { workers: number; kills: number; growthJobs: number; growthKills: number; lossWindowMs: number };
  durationMs: number;
  kills: KillRecord[];
  acknowledged: { batches: number; jobsCreated: number; claims: number; completions: number; growthJobs: number };
  /** Acknowledged writes older than the loss window that the reopened store does not have. */
  missing: { batches: number; jobs: number; claims: number; completions: number; growthJobs: number; examples: string[] };
  /** Acknowledged writes inside the loss window before a kill that were lost (allowed). */
  lostInWindow: number;
  stored: { collections: Record<string, number>; documents: number };
  unreadable: { count: number; errors: string[] };
  recoverMs: { restartP50: number | null; restartMax: number | null; resumedP50: number | null; resumedMax: number | null };
  problems: string[];
  ok: boolean;
}

const DB_NAME = 'reliability';
const JOBS_PER_BATCH = 20;
const GROWTH_CHUNK = 5_000;
const MARKDOWN = `# Session\n\n${'All work and no play makes a long transcript. '.repeat(50)}`.slice(0, 2_048);

interface AckedBatch {
  batchId: string;
  jobIds: string[];
  t: number;
}

interface AckedChunk {
  chunk: number;
  jobs: number;
  t: number;
}

const p50 = (values: number[]) => (values.length ? ([...values].sort((a, b) => a - b)[Math.ceil(values.length / 2) - 1] as number) : null);
const max = (values: number[]) => (values.length ? Math.max(...values) : null);

export async function runStoreScenario(options: StoreOptions = {}): Promise<StoreReport> {
  const smoke = options.smoke ?? false;
  const kills = options.kills ?? (smoke ? 2 : 20);
  const growthJobs = options.growthJobs ?? (smoke ? 2_000 : 1_000_000);
  const growthKills = options.growthKills ?? (smoke ? 1 : 10);
  const workers = options.workers ?? (smoke ? 3 : 8);
  // RocksDB: a SIGKILL loses no acknowledged write (docs/reliability.md); a window > 0 is for other stores.
  const lossWindowMs = options.lossWindowMs ?? 0;
  const log = options.log ?? ((line: string) => console.error(`[store] ${line}`));
  const deadline = Date.now() + (options.deadlineMs ?? (smoke ? 120_000 : 6 * 3_600_000));
  const started = Date.now();

  const env = await Environment.start({ maintenanceSeconds: 1, verbose: options.verbose });
  const killRecords: KillRecord[] = [];
  const problems: string[] = [];
  const batches: AckedBatch[] = [];
  const chunks: AckedChunk[] = [];
  let ok = false;
  try {
    // ---- phase 1: REST writes under SIGKILLs ------------------------------------------------
    await env.startWorkers(workers, { leaseSeconds: 10, workMs: 5, progressCalls: 1 });
    let creating = true;
    let createdSeq = 0;
    const creator = (async () => {
      while (creating) {
        const name = `store-${++createdSeq}`;
        try {
          const response = await fetch(`${env.live.url}/api/event-job/batches`, {
            method: 'POST',
            headers: { authorization: `Bearer ${env.writeToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              batch_name: name,
              jobs: Array.from({ length: JOBS_PER_BATCH }, (_, j) => ({ job_type: 'store', job_name: `${name}-${j}`, parameters: {} })),
            }),
            signal: AbortSignal.timeout(15_000),
          });
          const t = Date.now();
          if (response.status === 201) {
            const body = (await response.json()) as { data: { batch: { batch_id: string }; job_ids: string[] } };
            batches.push({ batchId: body.data.batch.batch_id, jobIds: body.data.job_ids, t });
          } else {
            await response.body?.cancel();
          }
        } catch {
          // the database or the app is away: try again shortly
        }
        await sleep(smoke ? 100 : 250);
      }
    })();

    const acknowledgedAfter = (since: number): number | undefined => {
      const batch = batches.find((b) => b.t >= since)?.t;
      const journal = readJournals(env.journalDir).find((e) => e.t >= since && (e.e === 'complete' || e.e === 'claim'))?.t;
      const times = [batch, journal].filter((t): t is number => t !== undefined);
      return times.length ? Math.min(...times) : undefined;
    };

    // Each kill lands on a store that workers are completing jobs in: on a loaded machine the
    // workers may not have completed anything within a fixed sleep (a CI run once killed twice
    // before the first completion, so no completion was ever checked).
    const completedSince = (since: number) => readJournals(env.journalDir).some((e) => e.t >= since && e.e === 'complete');
    const waitForCompletion = async (since: number) => {
      const until = Date.now() + 30_000;
      while (!completedSince(since) && Date.now() < until) await sleep(100);
    };
    let lastUp = started;
    for (let k = 0; k < kills && Date.now() < deadline; k++) {
      await waitForCompletion(lastUp);
      await sleep((smoke ? 800 : 1_000) + Math.random() * (smoke ? 1_200 : 3_000));
      const record = await killAndRestart(env, 'rest');
      killRecords.push(record);
      if (record.restartMs !== null) {
        const upAt = record.at + record.restartMs;
        let resumedAt: number | undefined;
        while (resumedAt === undefined && Date.now() < upAt + 30_000) {
          resumedAt = acknowledgedAfter(upAt);
          if (resumedAt === undefined) await sleep(100);
        }
        record.resumedMs = resumedAt === undefined ? null : resumedAt - upAt;
        lastUp = upAt;
      }
      log(`kill ${k + 1}/${kills}: restart ${record.restartMs ?? 'FAILED'} ms, writes resumed after ${record.resumedMs ?? '-'} ms${record.error ? ` (${record.error})` : ''}`);
      if (record.restartMs === null) break;
    }
    // Writes keep going a little past the last kill (completions included), then everything that
    // writes stops.
    await waitForCompletion(lastUp);
    await sleep(lossWindowMs + 500);
    creating = false;
    await creator;
    await env.stopWorkers();
    await env.live.stop();

    // ---- phase 2: growth by direct inserts, SIGKILLs in between ----------------------------
    const chunkCount = Math.ceil(growthJobs / GROWTH_CHUNK);
    const killAfter = new Set(Array.from({ length: growthKills }, (_, i) => Math.floor(((i + 1) * chunkCount) / (growthKills + 1))));
    const growthBatch = `growth-${randomUUID()}`;
    let stored = 0;
    let client = new MongoClient(env.uri, { serverSelectionTimeoutMS: 30_000 });
    const growthStart = Date.now();
    for (let chunk = 0; chunk < chunkCount && killRecords.every((r) => r.restartMs !== null); chunk++) {
      if (Date.now() > deadline) {
        problems.push(`the deadline ended the growth phase at ${stored} jobs`);
        break;
      }
      const size = Math.min(GROWTH_CHUNK, growthJobs - stored);
      const now = new Date();
      const docs: Document[] = Array.from({ length: size }, (_, i) => ({
        job_id: `job-g-${chunk}-${i}`,
        job_type: 'growth',
        job_name: `growth ${chunk}/${i}`,
        status: 'completed',
        batch_id: growthBatch,
        growth_chunk: chunk,
        created_at: now,
        updated_at: now,
        parameters: { event: 'Growth Conference', session: `Session ${i}`, track: `Track ${i % 8}`, speakers: ['A', 'B'] },
        results: { markdown_file: `g-${chunk}-${i}.md`, markdown_content: MARKDOWN },
        attempts: 1,
        max_attempts: 3,
        priority: 0,
        archived: false,
      }));
      try {
        await client.db(DB_NAME).collection('event_jobs').insertMany(docs, { ordered: false });
      } catch (error) {
        problems.push(`growth insert of chunk ${chunk} failed at ${stored} jobs: ${errorText(error)}`);
        break;
      }
      stored += size;
      chunks.push({ chunk, jobs: size, t: Date.now() });
      if (chunk % 20 === 19) log(`growth: ${stored} jobs (${Math.round(stored / ((Date.now() - growthStart) / 1000))} jobs/s)`);
      if (killAfter.has(chunk)) {
        // Kill at once after an acknowledged chunk (or up to twice the loss window after it, when one is allowed).
        await sleep(Math.random() * 2 * lossWindowMs);
        await client.close().catch(() => undefined);
        const record = await killAndRestart(env, 'growth');
        killRecords.push(record);
        log(`growth kill at ${stored} jobs: restart ${record.restartMs ?? 'FAILED'} ms${record.error ? ` (${record.error})` : ''}`);
        client = new MongoClient(env.uri, { serverSelectionTimeoutMS: 30_000 });
      }
    }
    await client.close().catch(() => undefined);

    // ---- verification: a last SIGKILL, then open the files once more and read everything ----
    const lastKillAt = Date.now();
    await env.stopDatabase('SIGKILL');
    const verify = await verifyStore(env, {
      batches,
      chunks,
      killTimes: [...killRecords.map((r) => r.at), lastKillAt],
      lossWindowMs,
      events: readJournals(env.journalDir),
      problems,
    });

    const restarts = killRecords.map((r) => r.restartMs).filter((v): v is number => v !== null);
    const resumed = killRecords.map((r) => r.resumedMs).filter((v): v is number => v !== null && v !== undefined);
    const totalKills = killRecords.length;
    if (killRecords.filter((r) => r.phase === 'rest').length < kills) problems.push(`only ${killRecords.filter((r) => r.phase === 'rest').length} of ${kills} kills happened in the REST phase`);
    for (const record of killRecords) if (record.restartMs === null) problems.push(`the database did not start again after a kill: ${record.error}`);
    ok = problems.length === 0;
    return {
      scenario: 'store',
      date: new Date().toISOString(),
      parameters: { workers, kills, growthJobs, growthKills, lossWindowMs },
      durationMs: Date.now() - started,
      kills: killRecords,
      acknowledged: {
        batches: batches.length,
        jobsCreated: batches.reduce((n, b) => n + b.jobIds.length, 0),
        claims: verify.events.filter((e) => e.e === 'claim').length,
        completions: verify.events.filter((e) => e.e === 'complete').length,
        growthJobs: chunks.reduce((n, c) => n + c.jobs, 0),
      },
      missing: verify.missing,
      lostInWindow: verify.lostInWindow,
      stored: verify.stored,
      unreadable: verify.unreadable,
      recoverMs: { restartP50: p50(restarts), restartMax: max(restarts), resumedP50: p50(resumed), resumedMax: max(resumed) },
      problems: totalKills ? problems : [...problems, 'no kill happened'],
      ok,
    };
  } finally {
    await env.close({ keepFiles: options.keepFiles || (!ok && !smoke && options.keepFiles !== false) });
  }
}

async function killAndRestart(env: Environment, phase: KillRecord['phase']): Promise<KillRecord> {
  const at = Date.now();
  await env.stopDatabase('SIGKILL');
  try {
    await env.startDatabase();
    return { phase, at, restartMs: Date.now() - at, resumedMs: null };
  } catch (error) {
    return { phase, at, restartMs: null, resumedMs: null, error: errorText(error).split('\n').slice(0, 3).join(' | ') };
  }
}

interface VerifyInput {
  batches: AckedBatch[];
  chunks: AckedChunk[];
  killTimes: number[];
  lossWindowMs: number;
  events: JournalEvent[];
  problems: string[];
}

/** Reopens the data directory and checks every acknowledged write outside the loss window. */
async function verifyStore(env: Environment, input: VerifyInput) {
  const { lossWindowMs, killTimes, problems } = input;
  // An answer can reach the client a few ms after the kill that cut its write short.
  const inWindow = (t: number) => killTimes.some((k) => t - k <= 100 && k - t <= lossWindowMs);
  const missing = { batches: 0, jobs: 0, claims: 0, completions: 0, growthJobs: 0, examples: [] as string[] };
  const note = (kind: keyof Omit<typeof missing, 'examples'>, n: number, example: string) => {
    missing[kind] += n;
    if (missing.examples.length < 10) missing.examples.push(example);
  };
  let lostInWindow = 0;
  const unreadable = { count: 0, errors: [] as string[] };
  const stored = { collections: {} as Record<string, number>, documents: 0 };

  let server;
  try {
    server = await startEmbeddedMongo({ dataDir: env.dataDir, readyTimeoutMs: 600_000 });
  } catch (error) {
    problems.push(`the data directory could not be opened at the end: ${errorText(error).split('\n').slice(0, 3).join(' | ')}`);
    return { missing, lostInWindow, unreadable: { count: -1, errors: [errorText(error)] }, stored, events: input.events };
  }
  const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 30_000 });
  try {
    const db = client.db(DB_NAME);
    // Every document of every collection, decoded in full (and written out again as Extended JSON).
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      let n = 0;
      try {
        for await (const doc of db.collection(name).find({}, { batchSize: 1_000 })) {
          BSON.EJSON.stringify(doc);
          n++;
        }
      } catch (error) {
        unreadable.count++;
        unreadable.errors.push(`${name} after ${n} documents: ${errorText(error).split('\n')[0]}`);
      }
      stored.collections[name] = n;
      stored.documents += n;
    }

    const jobs = db.collection('event_jobs');
    const batchIds = input.batches.map((b) => b.batchId);
    const storedBatches = new Set((await db.collection('event_batches').find({ batch_id: { $in: batchIds } }, { projection: { batch_id: 1 } }).toArray()).map((b) => b['batch_id'] as string));
    const rows = new Map<string, Document>();
    for (const row of await jobs
      .find({ batch_id: { $in: batchIds } }, { projection: { _id: 0, job_id: 1, status: 1, attempts: 1, completed_lease_token: 1 } })
      .toArray())
      rows.set(row['job_id'] as string, row);

    for (const batch of input.batches) {
      const absentJobs = batch.jobIds.filter((id) => !rows.has(id));
      const lost = !storedBatches.has(batch.batchId) || absentJobs.length > 0;
      if (!lost) continue;
      if (inWindow(batch.t)) lostInWindow++;
      else {
        if (!storedBatches.has(batch.batchId)) note('batches', 1, `batch ${batch.batchId} acknowledged at ${batch.t}`);
        if (absentJobs.length) note('jobs', absentJobs.length, `${absentJobs.length} jobs of batch ${batch.batchId}`);
      }
    }
    for (const event of input.events) {
      if (event.e !== 'claim' && event.e !== 'complete') continue;
      const row = event.job ? rows.get(event.job) : undefined;
      const kept =
        event.e === 'claim'
          ? (row?.['attempts'] as number | undefined) !== undefined && (row?.['attempts'] as number) >= (event.attempts ?? 0)
          : row?.['status'] === 'completed' && row['completed_lease_token'] === event.lease;
      if (kept) continue;
      if (inWindow(event.t)) lostInWindow++;
      else note(event.e === 'claim' ? 'claims' : 'completions', 1, `${event.e} of ${event.job} by ${event.w} at ${event.t}: ${JSON.stringify(row ?? null)}`);
    }
    if (input.chunks.length) {
      const counted = new Map(
        (await jobs.aggregate([{ $match: { job_type: 'growth' } }, { $group: { _id: '$growth_chunk', n: { $sum: 1 } } }]).toArray()).map((r) => [
          r['_id'] as number,
          r['n'] as number,
        ]),
      );
      for (const chunk of input.chunks) {
        const have = counted.get(chunk.chunk) ?? 0;
        if (have >= chunk.jobs) continue;
        if (inWindow(chunk.t)) lostInWindow++;
        else note('growthJobs', chunk.jobs - have, `growth chunk ${chunk.chunk}: ${have} of ${chunk.jobs} jobs`);
      }
    }
  } catch (error) {
    problems.push(`verification failed: ${errorText(error).split('\n')[0]}`);
  } finally {
    await client.close().catch(() => undefined);
    await server.stop();
  }
  const total = missing.batches + missing.jobs + missing.claims + missing.completions + missing.growthJobs;
  if (total) problems.push(`${total} acknowledged writes older than the ${lossWindowMs} ms loss window are missing: ${missing.examples.slice(0, 3).join('; ')}`);
  if (unreadable.count) problems.push(`${unreadable.count} collections could not be read to the end: ${unreadable.errors.join('; ')}`);
  return { missing, lostInWindow, unreadable, stored, events: input.events };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The figures in a few lines. */
export function storeSummary(report: StoreReport): string {
  const m = report.missing;
  return [
    `${report.ok ? 'PASS' : 'FAIL'} store: ${report.kills.length} kills (${report.kills.filter((k) => k.phase === 'rest').length} under REST load, ` +
      `${report.kills.filter((k) => k.phase === 'growth').length} while growing), ${(report.durationMs / 1000).toFixed(1)} s, loss window ${report.parameters.lossWindowMs} ms`,
    `  acknowledged: ${report.acknowledged.batches} batches / ${report.acknowledged.jobsCreated} jobs created, ${report.acknowledged.claims} claims, ` +
      `${report.acknowledged.completions} completions, ${report.acknowledged.growthJobs} growth jobs`,
    `  missing (outside the window): ${m.batches} batches, ${m.jobs} jobs, ${m.claims} claims, ${m.completions} completions, ${m.growthJobs} growth jobs; lost inside the window: ${report.lostInWindow}`,
    `  stored at the end: ${report.stored.documents} documents ${JSON.stringify(report.stored.collections)}; unreadable collections: ${report.unreadable.count}`,
    `  recovery: restart p50 ${report.recoverMs.restartP50 ?? '-'} ms, max ${report.recoverMs.restartMax ?? '-'} ms; REST writes resumed p50 ${report.recoverMs.resumedP50 ?? '-'} ms, max ${report.recoverMs.resumedMax ?? '-'} ms`,
    ...report.problems.map((p) => `  PROBLEM: ${p}`),
  ].join('\n');
}
