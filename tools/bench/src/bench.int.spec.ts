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

// The scale bench at 1,000 and 10,000 jobs, both modes: what it measured and that it prints its targets.
describe('npm run bench -- --only scale (smoke sizes)', () => {
  let report: BenchReport;

  beforeAll(async () => {
    report = await runBenchmarks({ smoke: true, only: ['scale'], log: () => undefined });
  }, 600_000);

  it('measures every query at 1,000 and 10,000 jobs in memory, and reports the data-dir mode or how its store failed', () => {
    const modes = report.scale?.modes ?? [];
    expect(modes.map((m) => m.mode)).toEqual(['memory', 'data-dir']);
    const memory = modes[0];
    expect(memory?.failure).toBeUndefined();
    expect(memory?.points.map((p) => p.jobs)).toEqual(SMOKE_SIZES.scale.steps);
    for (const point of memory?.points ?? []) {
      for (const p50 of [point.claimP50Ms, point.jobPageP50Ms, point.batchPageP50Ms, point.statsP50Ms]) expect(p50).toBeGreaterThan(0);
      // 100 jobs of ~2.5 KB per batch: the BSON size grows with what is stored.
      expect(point.bsonBytes).toBeGreaterThan(point.jobs * 1_000);
      expect(point.dataFileBytes).toBeNull();
    }
    const disk = modes[1];
    // Today's H2 store may fail on the way (issue 15); then the report says where and why.
    if (disk?.failure) expect(disk.failure.error).toMatch(/\S/);
    else expect(disk?.points.map((p) => p.jobs)).toEqual(SMOKE_SIZES.scale.steps);
    for (const point of disk?.points ?? []) {
      expect(point.dataFileBytes).toBeGreaterThan(0);
      expect(point.startupMs).toBeGreaterThan(0);
    }
  });

  it('checks each target and prints it with PASS or MISS', () => {
    const names = report.targets.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['scale memory: claim p50 at 10000 / at 1000 jobs', 'scale data-dir: start-up with 10000 jobs']));
    expect(names).toHaveLength(10);
    const table = summaryTable(report);
    expect(table).toMatch(/^Scale \(/m);
    for (const target of report.targets) {
      expect(table).toMatch(new RegExp(`${target.name.replace(/[()/]/g, '\\$&')}.*${target.pass ? 'PASS' : 'MISS'}`));
    }
  });
});
