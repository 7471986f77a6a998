import { readFileSync } from 'node:fs';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { WORKERS_COLLECTION } from '@event-monitor/domain';
import { restClaimLoop, seedQueue } from './claims.bench';
import type { BenchHarness } from './harness';
import { round } from './stats';

/**
 * Throughput across app processes (issue 21): the REST worker loop (claim, then each completion asks
 * for the next job) with the same workers spread over 1, 2, 3 app processes on one database.
 * Workers are spread by the bench itself (worker w calls process w mod n): a proxy in front would
 * spend CPU of the same two cores and measure itself. CPU of the database, the app processes and the
 * bench is read from /proc during each run: the database's share says when one database is the limit.
 */
export interface ClusterRun {
  apps: number;
  workers: number;
  jobs: number;
  jobsPerSecond: number;
  handoffP50Ms: number;
  handoffP99Ms: number;
  /** CPU seconds per wall second (1.0 = one core busy) of each party during the run. */
  cpu: { database: number | null; apps: number; bench: number };
  /** The database's part of all the CPU the run used (database + apps + bench). */
  databaseShare: number | null;
}

export interface ClusterResult {
  jobs: number;
  workers: number;
  runs: ClusterRun[];
  loadAverageBefore: number[];
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where it is missing. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export async function runCluster(
  harness: BenchHarness,
  sizes: { jobs: number; workers: number; apps: number[] },
  log: (line: string) => void,
): Promise<ClusterResult> {
  const loadAverageBefore = (await import('node:os')).loadavg().map((n) => round(n, 2));
  const owner = await harness.live.createUser('operator');
  const tokens: string[] = [];
  for (let w = 0; w < sizes.workers; w++) tokens.push(await harness.live.createToken(['worker'], 'operator'));
  const extra: LiveServer[] = [];
  const runs: ClusterRun[] = [];
  try {
    for (const apps of sizes.apps) {
      // More app processes on the harness's database (the same tokens work on every one).
      while (extra.length < apps - 1) {
        log(`cluster: starting app process ${extra.length + 2} ...`);
        extra.push(
          await startLiveServer({ uri: harness.uri, dbName: harness.live.dbName, env: { MAINTENANCE_INTERVAL_SECONDS: '0' }, readyTimeoutMs: 240_000 }),
        );
      }
      const servers = [harness.live, ...extra.slice(0, apps - 1)];
      const urls = servers.map((server) => server.url);
      // An untimed round: routes loaded and connection pools warm in every process.
      await seedQueue(harness.db, 10 * apps, owner.id);
      await restClaimLoop(harness, tokens.slice(0, 2 * apps), 'claim-next', urls);

      const batchId = await seedQueue(harness.db, sizes.jobs, owner.id);
      await harness.db.collection(WORKERS_COLLECTION).deleteMany({});
      const cpuOf = () => ({
        database: cpuSeconds(harness.dbPid),
        apps: servers.reduce((sum, server) => sum + (cpuSeconds(server.pid) ?? 0), 0),
        bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
      });
      const before = cpuOf();
      const started = performance.now();
      const result = await restClaimLoop(harness, tokens, 'claim-next', urls);
      const seconds = (performance.now() - started) / 1000;
      const after = cpuOf();
      const completed = await harness.db.collection('event_jobs').countDocuments({ batch_id: batchId, status: 'completed' });
      if (completed !== sizes.jobs || result.distinct !== sizes.jobs) {
        throw new Error(`cluster run with ${apps} processes: ${completed} of ${sizes.jobs} completed, ${result.distinct} distinct`);
      }
      const database = before.database === null || after.database === null ? null : (after.database - before.database) / seconds;
      const appsCpu = (after.apps - before.apps) / seconds;
      const bench = (after.bench - before.bench) / seconds;
      const run: ClusterRun = {
        apps,
        workers: sizes.workers,
        jobs: sizes.jobs,
        jobsPerSecond: result.jobsPerSecond,
        handoffP50Ms: result.handoffP50Ms,
        handoffP99Ms: result.handoffP99Ms,
        cpu: { database: database === null ? null : round(database), apps: round(appsCpu), bench: round(bench) },
        databaseShare: database === null ? null : round(database / (database + appsCpu + bench)),
      };
      log(
        `cluster ${apps} app process(es), ${sizes.workers} workers: ${run.jobsPerSecond} jobs/s, hand-off p50 ${run.handoffP50Ms} ms; ` +
          `CPU database ${run.cpu.database}, apps ${run.cpu.apps}, bench ${run.cpu.bench} (database share ${run.databaseShare})`,
      );
      runs.push(run);
    }
  } finally {
    for (const server of extra) await server.stop().catch(() => undefined);
  }
  return { jobs: sizes.jobs, workers: sizes.workers, runs, loadAverageBefore };
}
