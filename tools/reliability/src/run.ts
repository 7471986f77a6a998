/**
 * npm run reliability -- <load|crash|db|app|all> [--smoke] [--json <file>] [--deadline-minutes <n>] [--verbose] [--keep]
 * npm run reliability -- cluster [--smoke] [--workers 32] [--jobs 10000] [--json <file>] [--deadline-minutes <n>] [--verbose] [--keep]
 * npm run reliability -- store [--smoke] [--kills 20] [--growth-jobs 1000000] [--growth-kills 10] [--loss-window-ms 0] [--workers 8]
 *
 * `all` is the four load/fault scenarios; `store` (the embedded database's durability under
 * SIGKILLs, hours at its full size) and `cluster` (three app processes behind a proxy, one SIGKILLed,
 * one SIGTERMed) run only when named.
 * Runs each scenario against its own embedded database (data-dir mode) and production app on
 * 127.0.0.1, prints a JSON report and a summary, and exits 1 when an invariant failed.
 * Every scenario stops by itself (deadline) and kills all of its children on the way out.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureWebBuild } from '@event-monitor/testing-live';
import { runScenario, SCENARIOS, type Report, type ScenarioName } from './scenarios';
import { clusterSummary, runClusterScenario } from './cluster.scenario';
import { runStoreScenario, storeSummary } from './store.scenario';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    smoke: { type: 'boolean', default: false },
    json: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'deadline-minutes': { type: 'string' },
    kills: { type: 'string' },
    'growth-jobs': { type: 'string' },
    'growth-kills': { type: 'string' },
    'loss-window-ms': { type: 'string' },
    workers: { type: 'string' },
    jobs: { type: 'string' },
  },
});
const which = positionals[0] ?? 'all';
const namedOnly = ['store', 'cluster'];
const scenarios: ScenarioName[] = which === 'all' ? [...SCENARIOS] : namedOnly.includes(which) ? [] : [which as ScenarioName];
if (!scenarios.every((s) => (SCENARIOS as readonly string[]).includes(s))) {
  console.error(`usage: npm run reliability -- <${[...SCENARIOS, ...namedOnly].join('|')}|all> [--smoke] [--json <file>] [--deadline-minutes <n>] [--verbose] [--keep]`);
  process.exit(2);
}

// Ctrl-C or a kill: exit through the normal path so every child is killed by its exit handler.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function summary(report: Report): string {
  const v = report.verdict;
  const lines = [
    `${report.ok ? 'PASS' : 'FAIL'} ${report.scenario}: ${v.jobs} jobs, ${report.sizes.workers} workers, ${(report.durationMs / 1000).toFixed(1)} s, ${report.jobsPerSecond} jobs/s`,
    `  completed ${v.completed}, failed ${v.failed}, claims ${v.claims}, acknowledged completions ${v.acknowledgedCompletions}`,
    `  worker-side errors ${JSON.stringify(v.errors.byStatus)} (outside fault windows: ${v.errors.outsideWindows}); 503 latency p50 ${v.unavailableLatencyMs.p50} ms, p99 ${v.unavailableLatencyMs.p99} ms`,
    `  faults ${JSON.stringify(report.faults)}`,
  ];
  for (const problem of report.problems) lines.push(`  PROBLEM: ${problem}`);
  return lines.join('\n');
}

function numberOption(name: 'kills' | 'growth-jobs' | 'growth-kills' | 'loss-window-ms' | 'workers' | 'jobs'): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} wants a number >= 0, got ${raw}`);
  return n;
}

async function store(): Promise<void> {
  const report = await runStoreScenario({
    smoke: values.smoke,
    verbose: values.verbose,
    keepFiles: values.keep,
    kills: numberOption('kills'),
    growthJobs: numberOption('growth-jobs'),
    growthKills: numberOption('growth-kills'),
    lossWindowMs: numberOption('loss-window-ms'),
    workers: numberOption('workers'),
    deadlineMs: values['deadline-minutes'] ? Number(values['deadline-minutes']) * 60_000 : undefined,
  });
  const json = JSON.stringify(report, null, 2);
  if (values.json) writeFileSync(values.json, json);
  else console.log(json);
  console.log(storeSummary(report));
  process.exit(report.ok ? 0 : 1);
}

async function cluster(): Promise<void> {
  const workers = numberOption('workers');
  const jobs = numberOption('jobs');
  const report = await runClusterScenario({
    smoke: values.smoke,
    sizes: { ...(workers ? { workers } : {}), ...(jobs ? { jobs } : {}) },
    verbose: values.verbose,
    keepFiles: values.keep,
    deadlineMs: values['deadline-minutes'] ? Number(values['deadline-minutes']) * 60_000 : undefined,
  });
  const json = JSON.stringify(report, null, 2);
  if (values.json) writeFileSync(values.json, json);
  else console.log(json);
  console.log(clusterSummary(report));
  process.exit(report.ok ? 0 : 1);
}

async function main(): Promise<void> {
  ensureWebBuild();
  if (which === 'store') return store();
  if (which === 'cluster') return cluster();
  const reports: Report[] = [];
  for (const scenario of scenarios) {
    const deadlineMs = values['deadline-minutes'] ? Number(values['deadline-minutes']) * 60_000 : undefined;
    reports.push(await runScenario(scenario, { smoke: values.smoke, verbose: values.verbose, keepFiles: values.keep, deadlineMs }));
  }
  const json = JSON.stringify(reports, null, 2);
  if (values.json) writeFileSync(values.json, json);
  else console.log(json);
  console.log(reports.map(summary).join('\n'));
  process.exit(reports.every((r) => r.ok) ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
