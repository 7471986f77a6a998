import { readFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { judge, readDatabase, readJournals, type DatabaseState, type JournalEvent, type Verdict, type Window } from './check';
import { Environment, sleep, type WorkerOptions } from './environment';

export const SCENARIOS = ['load', 'crash', 'db', 'app'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Sizes {
  workers: number;
  jobs: number;
  batches: number;
}

/** Full runs (docs/reliability.md) and the small ones `npm test` runs. */
export const SIZES: Record<'full' | 'smoke', Record<ScenarioName, Sizes>> = {
  full: {
    load: { workers: 32, jobs: 10_000, batches: 20 },
    crash: { workers: 16, jobs: 1_000, batches: 4 },
    db: { workers: 16, jobs: 1_500, batches: 5 },
    app: { workers: 16, jobs: 1_500, batches: 5 },
  },
  smoke: {
    load: { workers: 4, jobs: 120, batches: 3 },
    crash: { workers: 4, jobs: 40, batches: 2 },
    db: { workers: 4, jobs: 90, batches: 3 },
    app: { workers: 4, jobs: 90, batches: 3 },
  },
};

export interface RunOptions {
  smoke?: boolean;
  sizes?: Partial<Sizes>;
  /** The whole scenario stops by itself after this long (then reports what is unfinished). */
  deadlineMs?: number;
  verbose?: boolean;
  keepFiles?: boolean;
  log?: (line: string) => void;
}

export interface Report {
  scenario: ScenarioName;
  date: string;
  sizes: Sizes;
  durationMs: number;
  jobsPerSecond: number;
  requests: Record<string, number>;
  faults: Record<string, unknown>;
  verdict: Verdict;
  /** Empty when every invariant holds. */
  problems: string[];
  ok: boolean;
}

/** Lease of the workers: the protocol's minimum, so crashed workers' jobs come back soon. */
const LEASE_SECONDS = 10;
/**
 * How long before a SIGKILL of the database an acknowledged write may be lost. The embedded store
 * (RocksDB) writes every acknowledged write to its write-ahead log before it answers, so a SIGKILL
 * of the Java process loses nothing: zero (docs/reliability.md, "The embedded store's loss window").
 * Only an answer that reaches the client just after the kill signal was sent is not held against it.
 */
export const STORE_LOSS_WINDOW_MS = 0;

/**
 * How long a request may take to be answered 503 while the database is down (p99). What it tells
 * apart is a bounded answer from a hang: the app gives a connection attempt 1.5 s
 * (apps/web/src/server/database.ts), the driver's own default is 30 s. On an idle machine the p99
 * is well under 2 s; the landing's CI run at a high load measured 3.3 s against the former 3 s.
 */
export const UNAVAILABLE_P99_LIMIT_MS = 6_000;

interface Context {
  env: Environment;
  sizes: Sizes;
  batchIds: string[];
  jobIds: string[];
  log: (line: string) => void;
  faults: Record<string, unknown>;
  windows: Window[];
  /** Extra checks of the scenario, run after the common ones. */
  extraChecks: ((events: JournalEvent[], state: DatabaseState, verdict: Verdict) => string[])[];
  /** Duplicates and lost acknowledgements explained by a SIGKILL of the database (answers in flight). */
  killAt: number[];
  finalCount: () => Promise<number>;
  done: boolean;
}

export async function runScenario(scenario: ScenarioName, options: RunOptions = {}): Promise<Report> {
  const sizes = { ...SIZES[options.smoke ? 'smoke' : 'full'][scenario], ...options.sizes };
  const log = options.log ?? ((line: string) => console.error(`[${scenario}] ${line}`));
  const deadline = Date.now() + (options.deadlineMs ?? (options.smoke ? 150_000 : 1_200_000));
  // Files only where a database restart must find the data again.
  const env = await Environment.start({ maintenanceSeconds: 1, inMemory: scenario !== 'db', verbose: options.verbose });
  let ok = false;
  try {
    const poisonCount = scenario === 'crash' ? (options.smoke ? 1 : 3) : 0;
    const perBatch = Math.ceil(sizes.jobs / sizes.batches);
    const plan = Array.from({ length: sizes.batches }, (_, b) => ({
      name: `${scenario}-${b}`,
      jobs: Array.from({ length: Math.min(perBatch, sizes.jobs - b * perBatch) }, (_, j) =>
        b === 0 && j < poisonCount ? { job_name: `poison-${j}`, max_attempts: 2 } : { job_name: `${scenario}-${b}-${j}` },
      ),
    })).filter((batch) => batch.jobs.length > 0);
    const seeded = await env.seed(plan);
    const batchIds = seeded.map((s) => s.batchId);
    const jobIds = seeded.flatMap((s) => s.jobIds);
    log(`seeded ${jobIds.length} jobs in ${batchIds.length} batches; starting ${sizes.workers} workers`);

    const client = new MongoClient(env.uri, { serverSelectionTimeoutMS: 1_000, heartbeatFrequencyMS: 1_000 });
    const finalCount = async () => {
      try {
        return await client
          .db('reliability')
          .collection('event_jobs')
          .countDocuments({ batch_id: { $in: batchIds }, status: { $in: ['completed', 'failed'] } });
      } catch {
        return -1; // database down right now
      }
    };
    const context: Context = {
      env,
      sizes,
      batchIds,
      jobIds,
      log,
      faults: {},
      windows: [],
      extraChecks: [],
      killAt: [],
      finalCount,
      done: false,
    };
    const workerOptions: WorkerOptions = {
      leaseSeconds: LEASE_SECONDS,
      workMs: scenario === 'crash' ? 100 : 5,
      progressCalls: options.smoke ? 1 : 2,
      crashOn: scenario === 'crash' ? 'poison' : undefined,
    };
    const started = Date.now();
    await env.startWorkers(sizes.workers, workerOptions);
    const fault = FAULTS[scenario](context, workerOptions).catch((error: unknown) => {
      context.faults['error'] = String(error);
    });

    let last = 0;
    while (Date.now() < deadline) {
      const count = await finalCount();
      if (count >= jobIds.length) break;
      if (count >= 0 && Date.now() - last > 5_000) {
        log(`${count}/${jobIds.length} jobs final`);
        last = Date.now();
      }
      await sleep(250);
    }
    const durationMs = Date.now() - started;
    context.done = true;
    await fault;
    await env.stopWorkers();
    await client.close().catch(() => undefined);

    // Counter drift (a crash between a job update and its $inc) is repaired by the sweep.
    let state = await readDatabase(env.uri, 'reliability', batchIds);
    for (let i = 0; i < 20 && state.counterMismatches.length > 0; i++) {
      await sleep(500);
      state = await readDatabase(env.uri, 'reliability', batchIds);
    }
    const events = readJournals(env.journalDir);
    const verdict = judge(events, state, jobIds, context.windows);
    const problems = commonProblems(verdict, poisonCount, context.killAt);
    if (context.faults['error']) problems.push(`the fault injection failed: ${String(context.faults['error'])}`);
    for (const check of context.extraChecks) problems.push(...check(events, state, verdict));

    const requests: Record<string, number> = {};
    for (const event of events) {
      if (event.e !== 'stop' || !event.counts) continue;
      for (const [status, n] of Object.entries(event.counts)) requests[status] = (requests[status] ?? 0) + n;
    }
    ok = problems.length === 0;
    return {
      scenario,
      date: new Date().toISOString(),
      sizes,
      durationMs,
      jobsPerSecond: Math.round(((verdict.completed + verdict.failed) / (durationMs / 1000)) * 10) / 10,
      requests,
      faults: context.faults,
      verdict,
      problems,
      ok,
    };
  } finally {
    await env.close({ keepFiles: options.keepFiles || (!ok && options.keepFiles !== false && !options.smoke) });
  }
}

/** The invariants of every scenario. */
function commonProblems(verdict: Verdict, expectedFailed: number, killAt: number[]): string[] {
  const problems: string[] = [];
  // The answer to a write made just before the kill can arrive a few ms after it.
  const nearKill = (t: number) => killAt.some((k) => t - k <= 100 && k - t <= STORE_LOSS_WINDOW_MS);
  if (verdict.lost.length) problems.push(`${verdict.lost.length} seeded jobs missing: ${verdict.lost.slice(0, 5).join(', ')}`);
  if (verdict.unfinished.length) problems.push(`${verdict.unfinished.length} jobs not final at the deadline: ${verdict.unfinished.slice(0, 5).join(', ')}`);
  if (verdict.failed !== expectedFailed) problems.push(`${verdict.failed} jobs failed, expected ${expectedFailed}`);
  if (verdict.completed !== verdict.jobs - expectedFailed) problems.push(`${verdict.completed} of ${verdict.jobs} jobs completed, expected ${verdict.jobs - expectedFailed}`);
  const duplicates = verdict.duplicateCompletions.filter((d) => !nearKill(d.firstAckAt));
  if (duplicates.length) problems.push(`${duplicates.length} jobs acknowledged complete to two leases: ${duplicates.slice(0, 5).map((d) => d.job).join(', ')}`);
  const lostAcks = verdict.lostAcknowledged.filter((l) => !nearKill(l.ackAt));
  if (lostAcks.length) problems.push(`${lostAcks.length} acknowledged completions not in the database: ${lostAcks.slice(0, 5).map((l) => l.job).join(', ')}`);
  if (verdict.counterMismatches.length) problems.push(`${verdict.counterMismatches.length} batches' counters differ from a recount: ${JSON.stringify(verdict.counterMismatches[0])}`);
  if (verdict.errors.outsideWindows) problems.push(`workers saw ${verdict.errors.outsideWindows} errors outside fault windows: ${JSON.stringify(verdict.errors.outsideByStatus)}`);
  if (verdict.errors.hung) problems.push(`${verdict.errors.hung} requests hung past the workers' timeout`);
  return problems;
}

type Fault = (context: Context, workerOptions: WorkerOptions) => Promise<void>;

/** Resolves once `fraction` of the jobs are final (or the run is over). */
async function progressReached(context: Context, fraction: number): Promise<boolean> {
  while (!context.done) {
    if ((await context.finalCount()) >= fraction * context.jobIds.length) return true;
    await sleep(100);
  }
  return false;
}

/** The first claim or completion any worker journaled after `since`: the service works again. */
function firstSuccessAfter(context: Context, since: number): number | undefined {
  const events = readJournals(context.env.journalDir);
  return events.find((e) => e.t >= since && (e.e === 'claim' || e.e === 'complete'))?.t;
}

async function waitForSuccessAfter(context: Context, since: number, timeoutMs: number): Promise<number | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const t = firstSuccessAfter(context, since);
    if (t) return t;
    await sleep(100);
  }
  return undefined;
}

function lastEvent(journal: string): JournalEvent | undefined {
  try {
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    return JSON.parse(lines.at(-1) ?? '') as JournalEvent;
  } catch {
    return undefined; // not written yet, or a line being written
  }
}

const FAULTS: Record<ScenarioName, Fault> = {
  // No fault: throughput and the invariants under 32 concurrent workers.
  load: async () => undefined,

  /**
   * SIGKILL workers right after they journaled a claim (mid-job); each slot gets a new worker.
   * Workers that die on a poison job (always, after claim and progress) are replaced too.
   */
  crash: async (context, workerOptions) => {
    const { env } = context;
    const toKill = context.sizes.workers >= 8 ? 8 : 2;
    const interrupted: { worker: string; job: string; lease: string }[] = [];
    let poisonDeaths = 0;
    while (!context.done) {
      for (const slot of new Set(env.workers.map((w) => w.slot))) {
        const current = env.workers.filter((w) => w.slot === slot).at(-1);
        if (!current) continue;
        const dead = current.process.exitCode !== null || current.process.signalCode !== null;
        if (dead) {
          if (!current.killedOnPurpose) poisonDeaths++;
          env.spawnWorker(slot, workerOptions);
          continue;
        }
        // Every fresh claim is a candidate until enough were killed: a random pick missed them all
        // on a fast machine (jobs of 40 are over before a 5 % draw lands on a fresh claim).
        if (interrupted.length >= toKill) continue;
        const last = lastEvent(current.journal);
        if (last?.e !== 'claim' || !last.job || !last.lease || last.name?.startsWith('poison')) continue;
        // Only a fresh claim: the worker is still in its first 100 ms of work, before any call.
        if (Date.now() - last.t > 60) continue;
        current.killedOnPurpose = true;
        current.process.kill('SIGKILL');
        interrupted.push({ worker: current.id, job: last.job, lease: last.lease });
        context.log(`SIGKILLed worker ${current.id} holding ${last.job}`);
      }
      await sleep(20);
    }
    context.faults['killedWorkers'] = interrupted.length;
    context.faults['poisonDeaths'] = poisonDeaths;
    context.faults['leaseSeconds'] = workerOptions.leaseSeconds;
    context.extraChecks.push((events, state) => {
      const problems: string[] = [];
      const byId = new Map(state.jobs.map((job) => [job.job_id, job]));
      if (interrupted.length === 0) problems.push('no worker was killed mid-job');
      for (const { worker, job, lease } of interrupted) {
        if (events.some((e) => e.e === 'complete' && e.w === worker && e.job === job)) {
          problems.push(`worker ${worker} completed ${job} although it was killed`);
        }
        const row = byId.get(job);
        // The kill can land just after the worker's complete was applied (not yet journaled):
        // then the job was completed once, under the killed worker's lease. Anything else must
        // be a completion under another lease after the lease expired.
        if (row?.status === 'completed' && row.completed_lease_token === lease) continue;
        if (row?.status !== 'completed' || (row.attempts ?? 0) < 2) {
          problems.push(`interrupted job ${job}: ${JSON.stringify(row)} (want completed by another lease, attempts >= 2)`);
        }
      }
      const poison = state.jobs.filter((job) => job.status === 'failed');
      for (const job of poison) {
        if (job.error?.code !== 'LEASE_EXPIRED' || job.attempts !== job.max_attempts) {
          problems.push(`poison job ${job.job_id} ended ${JSON.stringify(job)} (want LEASE_EXPIRED after max_attempts)`);
        }
      }
      context.faults['interruptedAttempts'] = interrupted.map(({ job }) => byId.get(job)?.attempts);
      context.faults['poisonJobs'] = poison.map((job) => ({ attempts: job.attempts, error: job.error }));
      return problems;
    });
  },

  /**
   * Stops the database twice during load and starts it again on the same port and files:
   * first cleanly (SIGTERM, must lose nothing), then by SIGKILL (must lose nothing acknowledged either).
   */
  db: async (context) => {
    const { env } = context;
    const downMs = context.sizes.workers >= 16 ? 5_000 : 3_000;
    const outages: Record<string, unknown>[] = [];
    for (const [signal, fraction] of [
      ['SIGTERM', 0.25],
      ['SIGKILL', 0.55],
    ] as const) {
      if (!(await progressReached(context, fraction))) break;
      const stopAt = Date.now();
      await env.stopDatabase(signal);
      if (signal === 'SIGKILL') context.killAt.push(stopAt);
      context.log(`database stopped with ${signal}`);
      await sleep(downMs);
      const restartMs = await env.startDatabase();
      const upAt = Date.now();
      const recoveredAt = await waitForSuccessAfter(context, upAt, 30_000);
      context.log(`database back after ${restartMs} ms; workers resumed ${recoveredAt ? recoveredAt - upAt : '?'} ms later`);
      context.windows.push({ name: `db-${signal}`, from: stopAt, to: (recoveredAt ?? upAt) + 2_000 });
      outages.push({ signal, stopAt, downMs, restartMs, resumedAfterMs: recoveredAt ? recoveredAt - upAt : null });
    }
    context.faults['outages'] = outages;
    context.extraChecks.push((events, _state, verdict) => {
      const problems: string[] = [];
      if (outages.length < 2) problems.push(`only ${outages.length} of 2 outages happened`);
      if (outages.some((o) => o['resumedAfterMs'] === null || (o['resumedAfterMs'] as number) > 10_000)) problems.push('workers did not resume within 10 s of the restart');
      if (verdict.unavailableLatencyMs.count === 0) problems.push('no 503 was seen while the database was down');
      if (verdict.errors.internalInWindow > 0) problems.push(`${verdict.errors.internalInWindow} answers were 500 during the outages`);
      // A worker told its token is invalid would stop in production: an outage must be a 503.
      const unauthorized = events.filter((e) => (e.e === 'claim-refused' || e.e === 'abandon') && e.status === 401).length;
      context.faults['unauthorized'] = unauthorized;
      if (unauthorized) problems.push(`workers were answered 401 ${unauthorized} times during the outages`);
      if (verdict.unavailableLatencyMs.p99 > UNAVAILABLE_P99_LIMIT_MS) {
        problems.push(`503 answers took up to ${verdict.unavailableLatencyMs.p99} ms (p99), want < ${UNAVAILABLE_P99_LIMIT_MS / 1000} s`);
      }
      const sigterm = outages.find((o) => o['signal'] === 'SIGTERM');
      if (sigterm) {
        const lost = verdict.lostAcknowledged.filter((l) => l.ackAt <= (sigterm['stopAt'] as number));
        const killAt = context.killAt[0] ?? Infinity;
        const beforeKill = lost.filter((l) => l.ackAt < killAt - STORE_LOSS_WINDOW_MS);
        if (beforeKill.length) problems.push(`${beforeKill.length} completions acknowledged before the SIGTERM stop were lost`);
      }
      const killAt = context.killAt[0];
      if (killAt) {
        const inWindow = verdict.lostAcknowledged.filter((l) => l.ackAt - killAt <= 100 && killAt - l.ackAt <= STORE_LOSS_WINDOW_MS);
        context.faults['lostAtKill'] = inWindow.map((l) => ({ job: l.job, msBeforeKill: killAt - l.ackAt }));
        context.faults['acknowledgedInLastSecondBeforeKill'] = events.filter(
          (e) => e.e === 'complete' && e.t <= killAt && killAt - e.t <= 1_000,
        ).length;
      }
      return problems;
    });
  },

  /** SIGKILL, later SIGTERM, of the Next.js server during load; each time it starts again on the same port. */
  app: async (context) => {
    const { env } = context;
    const restarts: Record<string, unknown>[] = [];
    for (const [signal, fraction] of [
      ['SIGKILL', 0.25],
      ['SIGTERM', 0.55],
    ] as const) {
      if (!(await progressReached(context, fraction))) break;
      const stopAt = Date.now();
      await env.live.kill(signal);
      context.log(`app stopped with ${signal}`);
      const restartStarted = Date.now();
      await env.live.restart();
      const upAt = Date.now();
      const recoveredAt = await waitForSuccessAfter(context, upAt, 30_000);
      context.log(`app back after ${upAt - restartStarted} ms`);
      context.windows.push({ name: `app-${signal}`, from: stopAt, to: (recoveredAt ?? upAt) + 2_000 });
      restarts.push({ signal, restartMs: upAt - restartStarted, resumedAfterMs: recoveredAt ? recoveredAt - upAt : null });
    }
    context.faults['restarts'] = restarts;
    context.extraChecks.push((events, _state, verdict) => {
      const problems: string[] = [];
      if (verdict.errors.internalInWindow) problems.push(`${verdict.errors.internalInWindow} answers were 500 around the restarts`);
      if (restarts.length < 2) problems.push(`only ${restarts.length} of 2 app restarts happened`);
      context.faults['networkErrorsRetried'] = events.filter((e) => e.e === 'error' && e.status === -1).length;
      // A complete whose answer was lost to the restart is sent again with the same lease.
      context.faults['completeCallsRetried'] = events.filter((e) => e.e === 'error' && e.call === 'complete').length;
      return problems;
    });
  },
};
