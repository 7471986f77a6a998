import { cpus, loadavg } from 'node:os';
import { runAgenda } from './agenda.bench';
import { runBulk, type BulkSizes } from './bulk.bench';
import { runClaims } from './claims.bench';
import { runCluster } from './cluster.bench';
import { runFlow } from './flow.bench';
import { runCreate } from './create.bench';
import { runDashboard } from './dashboard.bench';
import { startHarness } from './harness';
import { FULL_SCALE_STEPS, runScale, type ScaleMode, type ScaleSizes } from './scale.bench';
import { checkTargets, type BenchReport } from './report';
import { runSearch, type SearchSizes } from './search.bench';
import { runNotify, type NotifySizes } from './notify.bench';
import { runTriage, type TriageSizes } from './triage.bench';

export const BENCH_NAMES = ['claims', 'agenda', 'create', 'dashboard', 'scale', 'bulk', 'cluster', 'flow', 'triage', 'search', 'notify'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];
/**
 * What runs without --only: the scale bench (up to 1,000,000 jobs, an hour or more), the bulk bench,
 * the cluster bench (two more app processes), the triage bench and the search bench only when asked.
 */
export const DEFAULT_BENCHES: readonly BenchName[] = ['claims', 'agenda', 'create', 'dashboard'];

export interface BenchSizes {
  claims: { jobs: number; workers: number[] };
  agenda: { jobs: number; concurrency: number; timeoutSeconds: number };
  create: { jobs: number; repeats: number };
  dashboard: { batches: number; jobsPerBatch: number; repeats: number };
  scale: ScaleSizes;
  bulk: BulkSizes;
  cluster: { jobs: number; workers: number; apps: number[] };
  flow: { jobs: number; workers: number; rounds: number };
  triage: TriageSizes;
  search: SearchSizes;
  notify: NotifySizes;
}

/** Benches that need no web server (in process on a database of their own). */
const WITHOUT_SERVER: readonly BenchName[] = ['scale', 'search', 'notify'];

/** The sizes. */
export const FULL_SIZES: BenchSizes = {
  claims: { jobs: 2_000, workers: [1, 8, 32] },
  agenda: { jobs: 2_000, concurrency: 32, timeoutSeconds: 600 },
  create: { jobs: 10_000, repeats: 5 },
  dashboard: { batches: 1_000, jobsPerBatch: 100, repeats: 20 },
  scale: { steps: FULL_SCALE_STEPS, repeats: 30, modes: ['memory', 'data-dir'] },
  bulk: { batches: 1_000, jobsPerBatch: 100, failedBatches: 100 },
  cluster: { jobs: 3_000, workers: 32, apps: [1, 2, 3] },
  flow: { jobs: 1_500, workers: 32, rounds: 2 },
  triage: { batches: 1_000, jobsPerBatch: 100, failed: 10_000, repeats: 20 },
  search: { batches: 1_000, jobsPerBatch: 100, repeats: 20 },
  notify: { batches: 1_000, jobsPerBatch: 100, sends: 2_000, repeats: 20 },
};

/** Tiny sizes for `--smoke` and the test: every code path, no meaningful numbers. */
export const SMOKE_SIZES: BenchSizes = {
  claims: { jobs: 200, workers: [1, 4] },
  agenda: { jobs: 200, concurrency: 4, timeoutSeconds: 60 },
  create: { jobs: 200, repeats: 2 },
  dashboard: { batches: 20, jobsPerBatch: 100, repeats: 2 },
  scale: { steps: [1_000, 10_000], repeats: 5, modes: ['memory', 'data-dir'] },
  bulk: { batches: 20, jobsPerBatch: 10, failedBatches: 5 },
  cluster: { jobs: 200, workers: 4, apps: [1, 2] },
  flow: { jobs: 100, workers: 4, rounds: 1 },
  triage: { batches: 20, jobsPerBatch: 50, failed: 100, repeats: 3 },
  search: { batches: 10, jobsPerBatch: 50, repeats: 3 },
  notify: { batches: 5, jobsPerBatch: 20, sends: 20, repeats: 3 },
};

export interface RunOptions {
  smoke?: boolean;
  only?: readonly BenchName[];
  /** A running database server; default: an embedded one started (and stopped) here. */
  uri?: string;
  sizes?: BenchSizes;
  log?: (line: string) => void;
  verbose?: boolean;
  /** The scale bench's largest size (its steps above are dropped), e.g. 100000. */
  scaleMax?: number;
  /** The scale bench's modes (default both), e.g. ['data-dir'] to run one mode on its own. */
  scaleModes?: readonly ScaleMode[];
}

/** Starts one database server and the production web server on it, then runs the chosen benches. */
export async function runBenchmarks(options: RunOptions = {}): Promise<BenchReport> {
  const smoke = options.smoke ?? false;
  const sizes = options.sizes ?? (smoke ? SMOKE_SIZES : FULL_SIZES);
  const only = new Set<BenchName>(options.only?.length ? options.only : DEFAULT_BENCHES);
  const log = options.log ?? ((line: string) => console.error(`[bench] ${line}`));
  const machine = (database: string) => ({
    cpus: cpus().length,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    database,
  });

  // The scale bench starts and restarts its own servers (both modes): no web server needed.
  let scale: BenchReport['scale'];
  if (only.has('scale')) {
    const steps = sizes.scale.steps.filter((n) => options.scaleMax === undefined || n <= options.scaleMax);
    if (options.scaleMax !== undefined && !steps.includes(options.scaleMax)) steps.push(options.scaleMax);
    scale = await runScale({ ...sizes.scale, steps, modes: options.scaleModes ? [...options.scaleModes] : sizes.scale.modes }, log);
  }
  let search: BenchReport['search'];
  if (only.has('search')) search = await runSearch(sizes.search, log, options.uri);
  let notify: BenchReport['notify'];
  if (only.has('notify')) notify = await runNotify(sizes.notify, log, options.uri);
  if ([...only].every((name) => WITHOUT_SERVER.includes(name))) {
    const report = {
      date: new Date().toISOString(),
      smoke,
      machine: machine(options.uri ? 'given server' : 'embedded mongo-java-server, one per bench'),
      ...(scale ? { scale } : {}),
      ...(search ? { search } : {}),
      ...(notify ? { notify } : {}),
    };
    return { ...report, targets: checkTargets(report) };
  }

  log(options.uri ? 'starting the web server ...' : 'starting the embedded database and the web server ...');
  const harness = await startHarness({ uri: options.uri, verbose: options.verbose });
  try {
    const report: Omit<BenchReport, 'targets'> = {
      date: new Date().toISOString(),
      smoke,
      machine: machine(options.uri ? 'given server' : 'embedded mongo-java-server (in memory)'),
      ...(scale ? { scale } : {}),
      ...(search ? { search } : {}),
      ...(notify ? { notify } : {}),
    };
    if (only.has('claims')) report.claims = await runClaims(harness, sizes.claims, log);
    if (only.has('agenda')) {
      const agenda = await runAgenda(harness.db, sizes.agenda, log);
      const rest = report.claims?.runs.find((run) => run.workers === sizes.agenda.concurrency)?.rest.jobsPerSecond ?? null;
      report.agenda = {
        ...agenda,
        restJobsPerSecond: rest,
        restVsAgenda: rest === null ? null : Math.round((rest / agenda.jobsPerSecond) * 100) / 100,
      };
    }
    if (only.has('create')) report.create = await runCreate(harness, sizes.create, log);
    if (only.has('dashboard')) report.dashboard = await runDashboard(harness, sizes.dashboard, log);
    if (only.has('bulk')) report.bulk = await runBulk(harness, sizes.bulk, log);
    if (only.has('cluster')) report.cluster = await runCluster(harness, sizes.cluster, log);
    if (only.has('flow')) report.flow = await runFlow(harness, sizes.flow, log);
    if (only.has('triage')) report.triage = await runTriage(harness, sizes.triage, log);
    return { ...report, targets: checkTargets(report) };
  } finally {
    await harness.stop();
  }
}
