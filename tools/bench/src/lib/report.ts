import type { AgendaResult } from './agenda.bench';
import type { BulkResult } from './bulk.bench';
import type { ClaimsResult } from './claims.bench';
import type { ClusterResult } from './cluster.bench';
import type { CreateResult } from './create.bench';
import type { FlowResult } from './flow.bench';
import type { DashboardResult } from './dashboard.bench';
import type { ScaleResult } from './scale.bench';
import type { SearchResult } from './search.bench';
import type { NotifyResult } from './notify.bench';
import type { TriageResult } from './triage.bench';
import { round } from './stats';

export interface TargetCheck {
  name: string;
  /** The target in words, e.g. ">= 0.70". */
  target: string;
  value: number | null;
  pass: boolean;
}

export interface BenchReport {
  date: string;
  smoke: boolean;
  machine: { cpus: number; loadAverage: number[]; node: string; database: string };
  claims?: ClaimsResult;
  agenda?: AgendaResult & { restJobsPerSecond: number | null; restVsAgenda: number | null };
  create?: CreateResult;
  dashboard?: DashboardResult;
  scale?: ScaleResult;
  search?: SearchResult;
  notify?: NotifyResult;
  bulk?: BulkResult;
  cluster?: ClusterResult;
  flow?: FlowResult;
  triage?: TriageResult;
  targets: TargetCheck[];
}

const atLeast = (name: string, value: number | null | undefined, min: number, unit = ''): TargetCheck => ({
  name,
  target: `>= ${min}${unit}`,
  value: value ?? null,
  pass: typeof value === 'number' && value >= min,
});

const atMost = (name: string, value: number | null | undefined, max: number, unit = ''): TargetCheck => ({
  name,
  target: `<= ${max}${unit}`,
  value: value ?? null,
  pass: typeof value === 'number' && value <= max,
});

/** The targets, checked against the run with the most workers. */
export function checkTargets(report: Omit<BenchReport, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const top = report.claims?.runs.reduce((a, b) => (b.workers > a.workers ? b : a));
  if (top) {
    checks.push(atLeast(`REST/raw claim throughput at ${top.workers} workers`, top.throughputRatio, 0.7));
    // p50: the same database work on both sides. One call (complete + next claim) against the raw
    // completion + claim, and a claim call alone (the two-call loop) against the raw claim.
    checks.push(atMost(`REST/raw hand-off p50 at ${top.workers} workers`, top.handoffP50Ratio, 1.5));
    checks.push(atMost(`REST/raw claim call p50 at ${top.workers} workers`, top.twoCallsP50Ratio, 1.5));
    checks.push(atMost(`server RSS during the ${top.workers}-worker run`, top.serverRssPeakMb, 300, ' MB'));
  }
  if (report.agenda) checks.push(atLeast('REST/Agenda jobs per second', report.agenda.restVsAgenda, 10));
  if (report.create) checks.push(atMost(`REST/raw batch creation (${report.create.jobs} jobs)`, report.create.ratio, 1.3));
  for (const query of report.dashboard?.queries ?? []) checks.push(atMost(`tRPC/raw ${query.name}`, query.ratio, 1.3));
  checks.push(...scaleTargets(report.scale));
  if (report.bulk) {
    // Exactness, not speed: one request, one audit event, every selected job restarted, counters right.
    const b = report.bulk;
    checks.push(atMost(`bulk restart of ${b.selected} jobs: requests`, b.requests, 1));
    checks.push(atMost('bulk restart: audit events', b.auditEvents, 1));
    checks.push(atLeast('bulk restart: changed / selected', b.selected ? b.changed / b.selected : null, 1));
    checks.push(atMost('bulk restart: batches with wrong counters', b.counterMismatches, 0));
  }
  return checks;
}

/**
 * The scale targets, as ratios within one run: each p50 at the top size within 2x of its value at
 * the first size; (data dir) the data files at most 3x the documents' BSON size; start-up under
 * 30 s. A mode whose store failed misses every target it did not reach.
 */
export function scaleTargets(scale: ScaleResult | undefined): TargetCheck[] {
  if (!scale) return [];
  const checks: TargetCheck[] = [];
  const wanted = Math.max(...scale.modes.flatMap((m) => m.points.map((p) => p.jobs)), 0);
  for (const mode of scale.modes) {
    const first = mode.points[0];
    const top = mode.failure ? undefined : mode.points.at(-1);
    const topJobs = top?.jobs ?? wanted;
    const fields = [
      ['claim', 'claimP50Ms'],
      ['job page', 'jobPageP50Ms'],
      ['batch page', 'batchPageP50Ms'],
      ['stats', 'statsP50Ms'],
    ] as const;
    for (const [name, field] of fields) {
      const ratio = first && top ? round(top[field] / first[field], 2) : null;
      checks.push(atMost(`scale ${mode.mode}: ${name} p50 at ${topJobs} / at ${first?.jobs ?? '-'} jobs`, ratio, 2));
    }
    if (mode.mode === 'data-dir') {
      const size = top && top.dataFileBytes !== null ? round(top.dataFileBytes / top.bsonBytes, 2) : null;
      checks.push(atMost(`scale data-dir: data files / BSON size at ${topJobs} jobs`, size, 3));
      checks.push(atMost(`scale data-dir: start-up with ${topJobs} jobs`, top?.startupMs, 30_000, ' ms'));
    }
  }
  return checks;
}

function table(header: string[], rows: (string | number | null)[][]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] as string[]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

/** The readable summary printed after the JSON. */
export function summaryTable(report: BenchReport): string {
  const parts: string[] = [];
  if (report.flow) {
    parts.push(
      `Flow control (${report.flow.jobs} jobs per run, ${report.flow.workers} workers, REST claim_next loop; ` +
        `limit = max_concurrent of the bench's job type)\n` +
        table(
          ['setting', 'max_concurrent', 'jobs/s', 'hand-off p50', 'hand-off p99'],
          report.flow.runs.map((run) => [run.setting, run.maxConcurrent ?? '-', run.jobsPerSecond, run.handoffP50Ms, run.handoffP99Ms]),
        ),
    );
  }
  if (report.cluster) {
    parts.push(
      `Cluster (${report.cluster.jobs} jobs per run, ${report.cluster.workers} workers spread over the app processes, one embedded ` +
        `database; CPU in cores busy, share = the database's part of database + apps + bench)\n` +
        table(
          ['app processes', 'jobs/s', 'hand-off p50', 'hand-off p99', 'CPU database', 'CPU apps', 'CPU bench', 'database share'],
          report.cluster.runs.map((run) => [
            run.apps,
            run.jobsPerSecond,
            run.handoffP50Ms,
            run.handoffP99Ms,
            run.cpu.database,
            run.cpu.apps,
            run.cpu.bench,
            run.databaseShare,
          ]),
        ),
    );
  }
  if (report.claims) {
    parts.push(
      `Claims (${report.claims.jobs} jobs per run; REST = complete with claim_next, one call per job, as the ` +
        `Python SDK's worker loop; 2-call = claim, then complete; hand-off = from finishing a job to holding ` +
        `the next: complete + claim)\n` +
        table(
          [
            'workers',
            'REST jobs/s',
            '2-call jobs/s',
            'raw jobs/s',
            'ratio',
            '2-call ratio',
            'REST hand-off p50',
            'raw hand-off p50',
            'hand-off ratio',
            '2-call claim p50',
            'raw claim p50',
            'claim ratio',
            'REST hand-off p99',
            'raw hand-off p99',
            'RSS MB',
          ],
          report.claims.runs.map((run) => [
            run.workers,
            run.rest.jobsPerSecond,
            run.restTwoCalls.jobsPerSecond,
            run.raw.jobsPerSecond,
            run.throughputRatio,
            run.twoCallsThroughputRatio,
            run.rest.handoffP50Ms,
            run.raw.handoffP50Ms,
            run.handoffP50Ratio,
            run.restTwoCalls.claimP50Ms,
            run.raw.claimP50Ms,
            run.twoCallsP50Ratio,
            run.rest.handoffP99Ms,
            run.raw.handoffP99Ms,
            run.serverRssPeakMb,
          ]),
        ) +
        '\n(latencies in ms)',
    );
  }
  if (report.agenda) {
    const a = report.agenda;
    parts.push(
      `Agenda (${a.jobs} jobs, concurrency ${a.concurrency}): ${a.processed} processed in ${a.seconds} s ` +
        `(enqueue ${a.enqueueSeconds} s) = ${a.jobsPerSecond} jobs/s; REST ${a.restJobsPerSecond ?? '-'} jobs/s`,
    );
  }
  if (report.create) {
    const c = report.create;
    parts.push(`Batch creation (${c.jobs} jobs, ${c.repeats} runs): REST p50 ${c.restP50Ms} ms, raw p50 ${c.rawP50Ms} ms, ratio ${c.ratio}`);
  }
  if (report.bulk) {
    const b = report.bulk;
    parts.push(
      `Bulk restart by filter (${b.batches} batches / ${b.jobs} jobs, ${b.selected} selected): ${b.restartMs} ms in ${b.requests} request(s), ` +
        `changed ${b.changed}, skipped ${b.skipped}, ${b.auditEvents} audit event(s), ${b.counterMismatches} counter mismatch(es); preview ${b.previewMs} ms`,
    );
  }
  if (report.triage) {
    const r = report.triage;
    parts.push(
      `Failure triage (${r.jobs} jobs, ${r.failed} failed, ${r.groups} groups): groups p50 ${r.groupsP50Ms} ms, p95 ${r.groupsP95Ms} ms, ` +
        `one code p50 ${r.groupsOfCodeP50Ms} ms; export of ${r.exportRows} rows: CSV ${r.exportMs} ms (${r.exportRowsPerSecond} rows/s, ` +
        `${round(r.exportBytes / 1e6, 1)} MB), JSON ${r.exportJsonMs} ms (${r.exportJsonRowsPerSecond} rows/s); server RSS ` +
        `${r.serverRssBeforeMb ?? '-'} MB before, peak ${r.serverRssPeakMb ?? '-'} MB (CSV) / ${r.serverRssPeakJsonMb ?? '-'} MB (JSON)`,
    );
  }
  if (report.dashboard) {
    const d = report.dashboard;
    parts.push(
      `Dashboard (${d.batches} batches / ${d.jobs} jobs, ${d.repeats} runs each)\n` +
        table(
          ['query', 'tRPC HTTP p50 ms', 'tRPC in-process p50 ms', 'raw p50 ms', 'HTTP ratio (target)', 'in-process ratio'],
          d.queries.map((q) => [q.name, q.restP50Ms, q.inProcessP50Ms, q.rawP50Ms, q.ratio, q.inProcessRatio]),
        ),
    );
  }
  if (report.scale) {
    const rows = report.scale.modes.flatMap((mode) => [
      ...mode.points.map((p) => [
        mode.mode,
        p.jobs,
        p.claimP50Ms,
        p.jobPageP50Ms,
        p.batchPageP50Ms,
        p.statsP50Ms,
        round(p.bsonBytes / 1e6, 1),
        p.dataFileBytes === null ? null : round(p.dataFileBytes / 1e6, 1),
        p.startupMs,
        p.fillSeconds,
      ]),
      ...(mode.failure ? [[mode.mode, `FAILED at ${mode.failure.atJobs}`, mode.failure.error, null, null, null, null, null, null, null]] : []),
    ]);
    parts.push(
      `Scale (${report.scale.jobsPerBatch} jobs per batch, ${report.scale.repeats} rounds per query; the domain's claimNextJob, ` +
        'listJobs, listBatches, batchStats)\n' +
        table(
          ['mode', 'jobs', 'claim p50', 'job page p50', 'batch page p50', 'stats p50', 'BSON MB', 'data MB', 'start-up ms', 'fill s'],
          rows,
        ) +
        '\n(latencies in ms)',
    );
  }
  parts.push(
    'Targets\n' +
      table(
        ['target', 'wanted', 'measured', 'result'],
        report.targets.map((t) => [t.name, t.target, t.value === null ? null : round(t.value, 3), t.pass ? 'PASS' : 'MISS']),
      ),
  );
  return parts.join('\n\n');
}
