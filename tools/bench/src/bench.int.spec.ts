import { testServerUri } from '@event-monitor/testing';
import { summaryTable } from './lib/report';
import { runBenchmarks, SMOKE_SIZES } from './lib/run';
import type { BenchReport } from './lib/report';

// Every bench at tiny sizes against the production build: what it processed, not how fast.
describe('npm run bench -- --smoke', () => {
  let report: BenchReport;
  const lines: string[] = [];

  beforeAll(async () => {
    report = await runBenchmarks({ smoke: true, uri: testServerUri(), log: (line) => lines.push(line) });
  }, 300_000);

  it('prints a JSON document with every bench and every target', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.smoke).toBe(true);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['date', 'machine', 'claims', 'agenda', 'create', 'dashboard', 'targets']),
    );
    expect(report.targets.map((t) => t.name)).toEqual([
      'REST/raw claim throughput at 4 workers',
      'REST/raw hand-off p50 at 4 workers',
      'REST/raw claim call p50 at 4 workers',
      'server RSS during the 4-worker run',
      'REST/Agenda jobs per second',
      'REST/raw batch creation (200 jobs)',
      'tRPC/raw batch list (page 1 of current)',
      'tRPC/raw batch tabs (current / archived counts)',
      'tRPC/raw job page (50 jobs of one batch)',
      'tRPC/raw stats',
    ]);
    const table = summaryTable(report);
    for (const target of report.targets) {
      expect(table).toMatch(new RegExp(`${target.name.replace(/[()/]/g, '\\$&')}.*${target.pass ? 'PASS' : 'MISS'}`));
    }
  });

  it('claims: each worker count completes every job exactly once, through REST and through the driver', () => {
    const { jobs, workers } = SMOKE_SIZES.claims;
    expect(report.claims?.runs.map((run) => run.workers)).toEqual(workers);
    for (const run of report.claims?.runs ?? []) {
      for (const side of [run.rest, run.restTwoCalls, run.raw]) {
        expect(side).toMatchObject({ processed: jobs, distinct: jobs });
        expect(side.jobsPerSecond).toBeGreaterThan(0);
        expect(side.claimP99Ms).toBeGreaterThanOrEqual(side.claimP50Ms);
        expect(side.handoffP99Ms).toBeGreaterThanOrEqual(side.handoffP50Ms);
      }
      // One call with claim_next is the hand-off itself; with two calls the hand-off holds the claim.
      expect(run.rest.handoffP50Ms).toBe(run.rest.claimP50Ms);
      expect(run.restTwoCalls.handoffP50Ms).toBeGreaterThanOrEqual(run.restTwoCalls.claimP50Ms);
      expect(run.handoffP50Ratio).toBeCloseTo(run.rest.handoffP50Ms / run.raw.handoffP50Ms, 2);
      expect(run.throughputRatio).toBeCloseTo(run.rest.jobsPerSecond / run.raw.jobsPerSecond, 2);
      expect(run.twoCallsThroughputRatio).toBeCloseTo(run.restTwoCalls.jobsPerSecond / run.raw.jobsPerSecond, 2);
      expect(run.serverRssPeakMb).toBeGreaterThan(10);
    }
  });

  it('agenda: every enqueued job runs once', () => {
    expect(report.agenda).toMatchObject({
      jobs: SMOKE_SIZES.agenda.jobs,
      processed: SMOKE_SIZES.agenda.jobs,
      distinct: SMOKE_SIZES.agenda.jobs,
      concurrency: SMOKE_SIZES.agenda.concurrency,
    });
    expect(report.agenda?.restJobsPerSecond).toBe(report.claims?.runs.at(-1)?.rest.jobsPerSecond);
  });

  it('batch creation: every REST and raw batch stored all its jobs', () => {
    const { jobs, repeats } = SMOKE_SIZES.create;
    expect(report.create?.stored).toEqual({ rest: Array(repeats).fill(jobs), raw: Array(repeats).fill(jobs) });
    expect(report.create?.restMs).toHaveLength(repeats);
    expect(report.create?.rawMs).toHaveLength(repeats);
  });

  it('dashboard: tRPC and the raw queries return the same data', () => {
    const { batches, jobsPerBatch } = SMOKE_SIZES.dashboard;
    expect(report.dashboard).toMatchObject({ batches, jobs: batches * jobsPerBatch });
    const byName = Object.fromEntries((report.dashboard?.queries ?? []).map((q) => [q.name, q]));
    // Every tenth batch is archived: 18 current of 20, one page.
    expect(byName['batch list (page 1 of current)']).toMatchObject({ rest: 18, inProcess: 18, raw: 18 });
    expect(byName['batch tabs (current / archived counts)']).toMatchObject({ rest: batches, inProcess: batches, raw: batches });
    expect(byName['job page (50 jobs of one batch)']).toMatchObject({ rest: 50, inProcess: 50, raw: 50 });
    expect(byName['stats']).toMatchObject({ rest: batches, inProcess: batches, raw: batches });
  });
});
