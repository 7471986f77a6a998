/**
 * `npm run reliability -- cluster`: several app processes on one database behind a round-robin
 * proxy (docs/deployment.md), under worker load, while one process is SIGKILLed and restarted and
 * another is SIGTERMed (a rolling restart) and restarted.
 *
 * Checks: every job completed exactly once, counters equal a recount, no 5xx and no failed call
 * except requests lost with the SIGKILLed process's own connections, the sign-in limit holds across
 * processes, one maintenance lease holder at a time (taken over after each stop), and live updates
 * reach event streams connected to every process (and one through the proxy, which reconnects).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import {
  findWorkspaceRoot,
  LEASES_COLLECTION,
  startEmbeddedMongo,
  type EmbeddedMongo,
} from '@event-monitor/db';
import {
  freePort,
  startLiveServer,
  startRoundRobinProxy,
  type LiveServer,
  type RoundRobinProxy,
} from '@event-monitor/testing-live';
import { judge, readDatabase, readJournals, type Verdict } from './check';

const WORKER_SCRIPT = join(__dirname, 'worker.ts');
const DB_NAME = 'reliability';
const LEASE_SECONDS = 10;
/** MAINTENANCE_INTERVAL_SECONDS of the apps: the lease is renewed each second, for two. */
const MAINTENANCE_SECONDS = 1;
/** How long the last change (the probe) may take to reach every live stream. */
const PROBE_WAIT_MS = 20_000;
/**
 * SHUTDOWN_DELAY_SECONDS of the apps: the proxy's health check (every 200 ms, 1 s timeout) must see
 * "draining" before the listener closes. 1 s was too short at load 24 with 32 workers: two
 * requests reached the closing listener and were reset.
 */
const SHUTDOWN_DELAY_SECONDS = 3;
/** The app's default sign-in limit per client and account and minute (libs/auth sign-in-limit.ts). */
const SIGN_IN_LIMIT = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ClusterSizes {
  apps: number;
  workers: number;
  jobs: number;
  batches: number;
}

export const CLUSTER_SIZES: Record<'full' | 'smoke', ClusterSizes> = {
  full: { apps: 3, workers: 32, jobs: 10_000, batches: 20 },
  smoke: { apps: 3, workers: 4, jobs: 100, batches: 2 },
};

export interface ClusterOptions {
  smoke?: boolean;
  sizes?: Partial<ClusterSizes>;
  deadlineMs?: number;
  verbose?: boolean;
  keepFiles?: boolean;
  log?: (line: string) => void;
}

export interface LiveStreamRecord {
  /** Index of the app process, or 'proxy'. */
  target: number | 'proxy';
  connectedAt: number;
  endedAt: number | null;
  /** Job events received on this connection. */
  jobEvents: number;
  /** When the last one arrived. */
  lastEventAt?: number;
  /** For the proxy's streams: the process that served it (X-Backend). */
  backend?: number;
  /** For the proxy's streams: which of the proxied readers (one per app process) it belongs to. */
  lane?: number;
  /** Why the connection gave no stream: its status, or the error that ended it. */
  refused?: string;
}

export interface LeaseChange {
  at: number;
  holder: string | null;
  /** The app process holding it (by its pid in the holder name), -1 when none of the current ones. */
  app: number;
}

export interface ClusterReport {
  scenario: 'cluster';
  date: string;
  sizes: ClusterSizes;
  durationMs: number;
  jobsPerSecond: number;
  requests: Record<string, number>;
  proxy: RoundRobinProxy['stats'] & { lostCount: number };
  faults: Record<string, unknown>;
  signIn: { statuses: number[]; backends: number[] };
  lease: {
    changes: LeaseChange[];
    takeoverMs: { stop: string; ms: number | null }[];
    unplannedHandovers: number;
  };
  live: LiveStreamRecord[];
  /** Connections that gave no stream, by target and status or error. */
  liveRefusals: Record<string, number>;
  verdict: Verdict;
  problems: string[];
  ok: boolean;
}

interface App {
  index: number;
  live: LiveServer;
}

/** Reads an event stream and counts job events until `stop` aborts it or the server ends it. */
async function watch(url: string, token: string, record: LiveStreamRecord, stop: AbortSignal): Promise<void> {
  const input = encodeURIComponent(JSON.stringify({ json: {} }));
  let answered = false;
  try {
    const response = await fetch(`${url}/api/trpc/live.changes?input=${input}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: stop,
    });
    answered = true;
    if (response.status !== 200 || !response.body) {
      record.refused = String(response.status);
      await response.body?.cancel();
      return;
    }
    const backend = response.headers.get('x-backend');
    if (backend !== null) record.backend = Number(backend);
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let carry = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      carry += decoder.decode(chunk.value, { stream: true });
      const events = carry.split('"kind":"job"');
      record.jobEvents += events.length - 1;
      if (events.length > 1) record.lastEventAt = Date.now();
      carry = events.at(-1) ?? '';
    }
  } catch (error) {
    // aborted, refused (the process is down) or cut (killed)
    if (!answered && !stop.aborted) record.refused = describeError(error);
  } finally {
    record.endedAt = Date.now();
  }
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Keeps one event stream open to `url` (reconnecting after it ends) until `stop`. */
async function keepWatching(
  url: string,
  token: string,
  target: number | 'proxy',
  records: LiveStreamRecord[],
  refusals: Record<string, number>,
  stop: AbortSignal,
  lane?: number,
): Promise<void> {
  while (!stop.aborted) {
    const record: LiveStreamRecord = {
      target,
      ...(lane === undefined ? {} : { lane }),
      connectedAt: Date.now(),
      endedAt: null,
      jobEvents: 0,
    };
    records.push(record);
    await watch(url, token, record, stop);
    if (record.refused !== undefined) {
      // Not a stream: counted by target and reason (a process that is down refuses connections).
      // Removed by identity: the array is shared by every watcher, so the last entry may be another's.
      records.splice(records.indexOf(record), 1);
      const key = `${target}: ${record.refused}`;
      refusals[key] = (refusals[key] ?? 0) + 1;
    }
    await sleep(250);
  }
}

function pidOfHolder(holder: string | null): number | undefined {
  const pid = Number(holder?.split(':').at(-2));
  return Number.isInteger(pid) ? pid : undefined;
}

export async function runClusterScenario(options: ClusterOptions = {}): Promise<ClusterReport> {
  const sizes: ClusterSizes = { ...CLUSTER_SIZES[options.smoke ? 'smoke' : 'full'], ...options.sizes };
  const log = options.log ?? ((line: string) => console.error(`[cluster] ${line}`));
  // From the workers' start: starting the app processes is not part of it.
  const runFor = options.deadlineMs ?? (options.smoke ? 240_000 : 1_200_000);
  let deadline = Number.POSITIVE_INFINITY;
  const dir = mkdtempSync(join(tmpdir(), 'em-cluster-'));
  const journalDir = join(dir, 'journals');
  mkdirSync(journalDir, { recursive: true });
  const workers: ChildProcess[] = [];
  const killWorkers = () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  };
  process.once('exit', killWorkers);

  let mongo: EmbeddedMongo | undefined;
  let proxy: RoundRobinProxy | undefined;
  const apps: App[] = [];
  const stopWatching = new AbortController();
  let ok = false;
  try {
    mongo = await startEmbeddedMongo({ port: await freePort() });
    const proxyPort = await freePort();
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const secret = randomBytes(32).toString('base64url');
    const appEnv = {
      // The public URL is the proxy's: cookies and origin checks are the balancer's.
      APP_URL: proxyUrl,
      TRUST_PROXY: 'true',
      MAINTENANCE_INTERVAL_SECONDS: String(MAINTENANCE_SECONDS),
      SHUTDOWN_DELAY_SECONDS: String(SHUTDOWN_DELAY_SECONDS),
      LOG_LEVEL: options.verbose ? 'info' : 'error',
    };
    const startApp = async (index: number) =>
      apps.push({
        index,
        live: await startLiveServer({
          uri: mongo?.uri,
          dbName: DB_NAME,
          secret,
          env: appEnv,
          verbose: options.verbose,
          readyTimeoutMs: 240_000,
        }),
      });
    // The first creates the admin; the others start side by side.
    await startApp(0);
    await Promise.all(Array.from({ length: sizes.apps - 1 }, (_, i) => startApp(i + 1)));
    apps.sort((a, b) => a.index - b.index);
    proxy = await startRoundRobinProxy(
      apps.map((app) => app.live.url),
      { port: proxyPort },
    );
    const first = (apps[0] as App).live;
    log(`${apps.length} app processes (pids ${apps.map((a) => a.live.pid).join(', ')}) behind ${proxy.url}`);

    const writeToken = await first.createToken(['read', 'write'], 'operator');
    const perBatch = Math.ceil(sizes.jobs / sizes.batches);
    const batchIds: string[] = [];
    const jobIds: string[] = [];
    for (let b = 0; b < sizes.batches; b++) {
      const count = Math.min(perBatch, sizes.jobs - b * perBatch);
      if (count <= 0) break;
      const response = await fetch(`${proxy.url}/api/event-job/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch_name: `cluster-${b}`,
          jobs: Array.from({ length: count }, (_, j) => ({
            job_type: 'reliability',
            job_name: `cluster-${b}-${j}`,
            parameters: {},
          })),
        }),
      });
      const body = (await response.json()) as { data: { batch: { batch_id: string }; job_ids: string[] } };
      if (response.status !== 201)
        throw new Error(`seeding answered ${response.status}: ${JSON.stringify(body)}`);
      batchIds.push(body.data.batch.batch_id);
      jobIds.push(...body.data.job_ids);
    }
    log(`seeded ${jobIds.length} jobs in ${batchIds.length} batches`);

    // Live updates: one stream straight to each process (reconnected after its restart), and as
    // many through the proxy (browsers behind the balancer: each reconnects wherever the proxy sends
    // it). Opened before any other request goes through the proxy, its round robin gives each
    // process one of them, so the stopped processes end proxied streams too.
    const live: LiveStreamRecord[] = [];
    const liveRefusals: Record<string, number> = {};
    const proxyUrlNow = proxy.url;
    const watchers = [
      // The batches' owner: an operator sees the changes of the batches it may read.
      ...apps.map((app) =>
        keepWatching(app.live.url, writeToken, app.index, live, liveRefusals, stopWatching.signal),
      ),
      ...apps.map((_, lane) =>
        keepWatching(proxyUrlNow, writeToken, 'proxy', live, liveRefusals, stopWatching.signal, lane),
      ),
    ];

    // The maintenance lease, polled: who holds it, and when that changed.
    const client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 2_000 });
    const leases = client.db(DB_NAME).collection<{ _id: string; holder: string }>(LEASES_COLLECTION);
    const leaseChanges: LeaseChange[] = [];
    const appOfPid = (pid: number | undefined) => apps.findIndex((app) => app.live.pid === pid);
    let polling = true;
    const leasePoller = (async () => {
      while (polling) {
        const found = await leases.findOne({ _id: 'maintenance' }).catch(() => undefined);
        if (found !== undefined) {
          const holder = found?.holder ?? null;
          if (leaseChanges.at(-1)?.holder !== holder)
            leaseChanges.push({ at: Date.now(), holder, app: appOfPid(pidOfHolder(holder)) });
        }
        await sleep(100);
      }
    })();
    const finalCount = () =>
      client
        .db(DB_NAME)
        .collection('event_jobs')
        .countDocuments({ batch_id: { $in: batchIds }, status: { $in: ['completed', 'failed'] } })
        .catch(() => -1);

    log(`starting ${sizes.workers} workers through the proxy`);
    const started = Date.now();
    deadline = started + runFor;
    for (let slot = 0; slot < sizes.workers; slot++) {
      const token = await first.createToken(['worker']);
      const id = `w${slot}`;
      const args = [
        '--import',
        'tsx',
        WORKER_SCRIPT,
        '--url',
        proxy.url,
        '--token',
        token,
        '--id',
        id,
        '--journal',
        join(journalDir, `${id}.jsonl`),
      ];
      args.push(
        '--lease-seconds',
        String(LEASE_SECONDS),
        '--work-ms',
        '5',
        '--progress-calls',
        options.smoke ? '1' : '2',
      );
      workers.push(
        spawn(process.execPath, args, {
          cwd: findWorkspaceRoot(),
          stdio: ['ignore', 'ignore', options.verbose ? 'inherit' : 'ignore'],
        }),
      );
    }

    // Sign-in attempts with a wrong password from one client, all at once, spread by the proxy over
    // the processes. The limits count in fixed one-minute windows: start well inside one.
    const operator = await first.createUser('operator');
    const windowLeft = 60_000 - (Date.now() % 60_000);
    if (windowLeft < 20_000) await sleep(windowLeft + 50);
    const attempts = await Promise.all(
      Array.from({ length: SIGN_IN_LIMIT + 3 }, async () => {
        const response = await fetch(`${proxy?.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: proxyUrl },
          body: JSON.stringify({ email: operator.email, password: 'not-the-password' }),
        });
        await response.body?.cancel();
        return { status: response.status, backend: Number(response.headers.get('x-backend')) };
      }),
    );
    const signIn = { statuses: attempts.map((a) => a.status), backends: attempts.map((a) => a.backend) };
    log(`sign-in attempts: ${signIn.statuses.join(' ')} (processes ${signIn.backends.join(' ')})`);

    const reached = async (fraction: number) => {
      while (Date.now() < deadline) {
        if ((await finalCount()) >= fraction * jobIds.length) return true;
        await sleep(100);
      }
      return false;
    };
    const holderApp = async (): Promise<App | undefined> => {
      const found = await leases.findOne({ _id: 'maintenance' });
      return apps[appOfPid(pidOfHolder(found?.holder ?? null))];
    };
    const stops: {
      signal: 'SIGKILL' | 'SIGTERM';
      app: number;
      pid: number;
      at: number;
      heldLease: boolean;
      restartMs: number;
    }[] = [];
    const fault = (async () => {
      let previous: number | undefined;
      for (const [signal, fraction] of [
        ['SIGKILL', 0.25],
        ['SIGTERM', 0.55],
      ] as const) {
        if (!(await reached(fraction))) return;
        // The lease holder, so that its takeover is exercised too (another one if it was just restarted).
        const holder = await holderApp();
        const target =
          holder && holder.index !== previous ? holder : (apps.find((a) => a.index !== previous) as App);
        previous = target.index;
        const pid = target.live.pid;
        const at = Date.now();
        log(
          `${signal} to app ${target.index} (pid ${pid}${holder === target ? ', the maintenance lease holder' : ''})`,
        );
        await target.live.kill(signal);
        const restartStarted = Date.now();
        await target.live.restart();
        const restartMs = Date.now() - restartStarted;
        // The run's time budget is for jobs: a slow restart (a loaded machine) extends it.
        deadline += restartMs;
        stops.push({ signal, app: target.index, pid, at, heldLease: holder === target, restartMs });
        log(`app ${target.index} back (pid ${target.live.pid}) after ${Date.now() - restartStarted} ms`);
      }
    })();

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
    await fault;
    // A last change after every restart (the jobs may all be done before a restarted process is
    // back): one more batch, outside the checked ones, that every open stream must see.
    const probeAt = Date.now();
    const probe = await fetch(`${proxy.url}/api/event-job/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch_name: 'cluster-probe', jobs: [{ job_type: 'probe', parameters: {} }] }),
    });
    await probe.body?.cancel();
    // The feed polls every second: every stream should see it within a few seconds. On a loaded
    // machine a process restarted a moment ago (25 s to come back in a CI run) needs longer, so wait
    // until every reader saw it, at most PROBE_WAIT_MS; whoever has not by then is reported below.
    const sawProbe = (records: LiveStreamRecord[]) => records.some((r) => (r.lastEventAt ?? 0) > probeAt);
    const probeDeadline = Date.now() + PROBE_WAIT_MS;
    await sleep(1_000);
    while (
      Date.now() < probeDeadline &&
      !(apps.every((app) => sawProbe(live.filter((r) => r.target === app.index))) &&
        apps.every((_, lane) => sawProbe(live.filter((r) => r.target === 'proxy' && r.lane === lane))))
    ) {
      await sleep(250);
    }
    stopWatching.abort();
    await Promise.all(watchers);
    polling = false;
    await leasePoller;
    await stopWorkers(workers);

    let state = await readDatabase(mongo.uri, DB_NAME, batchIds);
    for (let i = 0; i < 20 && state.counterMismatches.length > 0; i++) {
      await sleep(500);
      state = await readDatabase(mongo.uri, DB_NAME, batchIds);
    }
    await client.close();
    // The probe batch's job is claimed and completed by the workers too: not one of the checked jobs.
    const seeded = new Set(jobIds);
    const events = readJournals(journalDir).filter((event) => !event.job || seeded.has(event.job));
    // No fault windows: every worker-side error must be explained by the proxy's record of requests
    // lost with the SIGKILLed process (checked below).
    const verdict = judge(events, state, jobIds, []);

    const problems: string[] = [];
    if (verdict.lost.length) problems.push(`${verdict.lost.length} seeded jobs missing`);
    if (verdict.unfinished.length)
      problems.push(
        `${verdict.unfinished.length} jobs not final at the deadline: ${verdict.unfinished.slice(0, 5).join(', ')}`,
      );
    if (verdict.completed !== verdict.jobs)
      problems.push(`${verdict.completed} of ${verdict.jobs} jobs completed`);
    if (verdict.duplicateCompletions.length)
      problems.push(`${verdict.duplicateCompletions.length} jobs acknowledged complete to two leases`);
    if (verdict.lostAcknowledged.length) {
      // The evidence: what the journals say of the job, and its row.
      const evidence = verdict.lostAcknowledged.slice(0, 2).map((lost) => ({
        ...lost,
        row: state.jobs.find((job) => job.job_id === lost.job),
        journal: events
          .filter((e) => e.job === lost.job)
          .map((e) => ({
            e: e.e,
            w: e.w,
            t: e.t,
            lease: e.lease?.slice(0, 8),
            call: e.call,
            status: e.status,
          })),
        lostByProxy: proxy?.stats.lost.filter((l) => l.path.includes(lost.job)),
      }));
      problems.push(
        `${verdict.lostAcknowledged.length} acknowledged completions not in the database: ${JSON.stringify(evidence)}`,
      );
    }
    if (verdict.counterMismatches.length)
      problems.push(
        `${verdict.counterMismatches.length} batches' counters differ from a recount: ${JSON.stringify(verdict.counterMismatches[0])}`,
      );
    if (verdict.errors.hung) {
      // Evidence for the next run that sees one: the timed-out calls, the requests the proxy saw
      // abandoned (backend, when sent, how long) and the stops, all relative to the first stop.
      const t0 = stops[0]?.at ?? 0;
      const hung = events
        .filter((e) => e.e === 'error' && e.status === -2)
        .map((e) => ({ w: e.w, call: e.call, job: e.job, endedAt: e.t - t0, ms: e.ms }));
      const abandoned = proxy.stats.abandoned.map((a) => ({ ...a, sentAt: a.sentAt - t0 }));
      const stopTimes = stops.map((s) => ({ signal: s.signal, app: s.app, at: s.at - t0, restartMs: s.restartMs }));
      problems.push(
        `${verdict.errors.hung} requests hung past the workers' timeout: ${JSON.stringify({ hung, abandoned, stops: stopTimes })}`,
      );
    }

    // 5xx: none from any process; lost requests only on the SIGKILLed one; every worker error is one of those.
    const killed = stops.find((s) => s.signal === 'SIGKILL');
    const termed = stops.find((s) => s.signal === 'SIGTERM');
    const backend5xx = proxy.stats.backend5xx.reduce((a, b) => a + b, 0);
    if (backend5xx)
      problems.push(
        `app processes answered ${backend5xx} times with 5xx: ${JSON.stringify(proxy.stats.backend5xx)}`,
      );
    const lostElsewhere = proxy.stats.lost.filter(
      (l) => l.backend !== killed?.app || l.at < (killed?.at ?? 0) || l.at > (killed?.at ?? 0) + 5_000,
    );
    if (lostElsewhere.length)
      problems.push(
        `${lostElsewhere.length} requests lost outside the SIGKILLed process's connections: ${JSON.stringify(lostElsewhere.slice(0, 3))}`,
      );
    if (proxy.stats.noBackend) problems.push(`${proxy.stats.noBackend} requests found no app process`);
    const workerErrors = events.filter((e) => e.e === 'error').length;
    const lostOfWorkers = proxy.stats.lost.filter((l) => l.path.startsWith('/api/event-job/')).length;
    if (workerErrors > lostOfWorkers)
      problems.push(
        `workers saw ${workerErrors} errors, the proxy lost ${lostOfWorkers} of their requests with the killed process: ${JSON.stringify(verdict.errors.byStatus)}`,
      );

    if (stops.length < 2) problems.push(`only ${stops.length} of 2 app stops happened`);
    if (
      termed &&
      proxy.stats.lost.some(
        (l) => l.backend === termed.app && l.at >= termed.at && l.at <= termed.at + 20_000,
      )
    ) {
      problems.push('the SIGTERMed process dropped requests (graceful drain)');
    }

    const refused = signIn.statuses.filter((status) => status === 429).length;
    const checked = signIn.statuses.filter((status) => status === 401).length;
    if (checked !== SIGN_IN_LIMIT || refused !== 3) {
      problems.push(
        `13 sign-in attempts from one client answered ${signIn.statuses.join(' ')}: want ${SIGN_IN_LIMIT} x 401 and 3 x 429`,
      );
    }
    if (new Set(signIn.backends).size < Math.min(2, sizes.apps))
      problems.push(
        `the sign-in attempts reached only processes ${[...new Set(signIn.backends)].join(', ')}`,
      );

    // The lease: handed over only when its holder stopped, and soon.
    const takeoverMs: ClusterReport['lease']['takeoverMs'] = [];
    for (const stop of stops.filter((s) => s.heldLease)) {
      const next = leaseChanges.find(
        (c) => c.at > stop.at && c.holder !== null && pidOfHolder(c.holder) !== stop.pid,
      );
      const ms = next ? next.at - stop.at : null;
      takeoverMs.push({ stop: stop.signal, ms });
      // SIGKILL: the lease runs out (2 intervals after its last renewal), then one interval; SIGTERM:
      // the drain delay, the release, then one interval. Plus the 100 ms of polling and some slack.
      const limit =
        stop.signal === 'SIGKILL'
          ? 3 * MAINTENANCE_SECONDS * 1000 + 1_500
          : (SHUTDOWN_DELAY_SECONDS + MAINTENANCE_SECONDS) * 1000 + 2_500;
      if (ms === null || ms > limit)
        problems.push(
          `after the ${stop.signal} of the lease holder, the lease was taken over after ${ms ?? 'never'} ms (want <= ${limit})`,
        );
    }
    if (!stops.some((s) => s.heldLease)) problems.push('no stop hit the maintenance lease holder');
    const stoppedPids = new Set(stops.map((s) => s.pid));
    // A holder change whose previous holder was not stopped: a lease that lapsed (a tick more than an
    // interval late). Still one holder at a time; reported, not a failure.
    const unplannedHandovers = leaseChanges.filter((c, i) => {
      const previous = leaseChanges[i - 1]?.holder ?? null;
      return c.holder !== null && previous !== null && !stoppedPids.has(pidOfHolder(previous) ?? -1);
    }).length;

    for (const app of apps) {
      const streams = live.filter((r) => r.target === app.index);
      if (!streams.some((r) => r.jobEvents > 0))
        problems.push(`no live update reached a stream connected to app ${app.index}`);
      const restarted = stops.find((s) => s.app === app.index);
      if (!streams.some((r) => (r.lastEventAt ?? 0) > probeAt)) {
        problems.push(`app ${app.index}'s stream open at the end did not see the last change`);
      }
      if (restarted && !streams.some((r) => r.connectedAt > restarted.at && r.jobEvents > 0)) {
        problems.push(`no live update reached a stream connected to app ${app.index} after its restart`);
      }
    }
    const viaProxy = live.filter((r) => r.target === 'proxy');
    for (let lane = 0; lane < apps.length; lane++) {
      const streams = viaProxy.filter((r) => r.lane === lane);
      if (!streams.some((r) => r.jobEvents > 0))
        problems.push(`no live update reached proxied reader ${lane}`);
      if (!streams.some((r) => (r.lastEventAt ?? 0) > probeAt))
        problems.push(`proxied reader ${lane} did not see the last change`);
    }
    // A stopped process's proxied stream must have ended, and its reader reconnected elsewhere.
    const cutByStop = stops.map((stop) =>
      viaProxy.filter(
        (r) => r.backend === stop.app && r.connectedAt < stop.at && (r.endedAt ?? Infinity) > stop.at,
      ),
    );
    stops.forEach((stop, i) => {
      for (const stream of cutByStop[i] ?? []) {
        if (!viaProxy.some((r) => r.lane === stream.lane && r.connectedAt > stop.at && r.jobEvents > 0)) {
          problems.push(
            `proxied reader ${stream.lane} did not get a working stream after its process (app ${stop.app}, ${stop.signal}) stopped`,
          );
        }
      }
    });
    const proxiedAtStops = cutByStop.map((cut) => cut.length);

    const requests: Record<string, number> = {};
    for (const event of events) {
      if (event.e !== 'stop' || !event.counts) continue;
      for (const [status, n] of Object.entries(event.counts)) requests[status] = (requests[status] ?? 0) + n;
    }
    ok = problems.length === 0;
    return {
      scenario: 'cluster',
      date: new Date().toISOString(),
      sizes,
      durationMs,
      jobsPerSecond: Math.round(((verdict.completed + verdict.failed) / (durationMs / 1000)) * 10) / 10,
      requests,
      proxy: { ...proxy.stats, lost: proxy.stats.lost.slice(0, 20), lostCount: proxy.stats.lost.length },
      faults: { stops, workerErrors, proxiedStreamsCutByStops: proxiedAtStops },
      signIn,
      lease: { changes: leaseChanges, takeoverMs, unplannedHandovers },
      live,
      liveRefusals,
      verdict,
      problems,
      ok,
    };
  } finally {
    stopWatching.abort();
    killWorkers();
    process.off('exit', killWorkers);
    await proxy?.close().catch(() => undefined);
    for (const app of apps) await app.live.stop().catch(() => undefined);
    await mongo?.stop().catch(() => undefined);
    if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
  }
}

/** SIGTERM to every worker, SIGKILL to those still there after 3 s. */
async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  const running = workers.filter((w) => w.exitCode === null && w.signalCode === null);
  const exits = running.map((w) => new Promise((resolve) => w.once('exit', resolve)));
  for (const worker of running) worker.kill('SIGTERM');
  await Promise.race([Promise.all(exits), sleep(3_000)]);
  for (const worker of running)
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
}

export function clusterSummary(report: ClusterReport): string {
  const v = report.verdict;
  const lines = [
    `${report.ok ? 'PASS' : 'FAIL'} cluster: ${report.sizes.apps} app processes, ${v.jobs} jobs, ${report.sizes.workers} workers, ${(report.durationMs / 1000).toFixed(1)} s, ${report.jobsPerSecond} jobs/s`,
    `  completed ${v.completed}, failed ${v.failed}, claims ${v.claims}; requests per process ${JSON.stringify(report.proxy.answered)}, lost with a killed process ${report.proxy.lostCount}, retried elsewhere ${report.proxy.retried}`,
    `  worker-side errors ${JSON.stringify(v.errors.byStatus)}; sign-in ${report.signIn.statuses.join(' ')}`,
    `  stops ${JSON.stringify(report.faults['stops'])}; lease takeovers ${JSON.stringify(report.lease.takeoverMs)}, unplanned handovers ${report.lease.unplannedHandovers}`,
    `  live streams: ${report.live.map((r) => `${r.target}${r.lane === undefined ? '' : `#${r.lane}@${r.backend ?? '-'}`}:${r.jobEvents}`).join(' ')}; proxied streams cut by the stops ${JSON.stringify(report.faults['proxiedStreamsCutByStops'])}; refused ${JSON.stringify(report.liveRefusals)}`,
  ];
  for (const problem of report.problems) lines.push(`  PROBLEM: ${problem}`);
  return lines.join('\n');
}
