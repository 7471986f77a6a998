import { runClusterScenario } from './cluster.scenario';
import { runScenario, UNAVAILABLE_P99_LIMIT_MS, type Report } from './scenarios';
import { runStoreScenario } from './store.scenario';

// Small versions of the full runs in docs/reliability.md: same faults, same invariants.
const SCENARIO_TIMEOUT_MS = 180_000;
// Each restart of the on-disk server took 6-13 s on the shared 2 cores; three of them, plus the checks.
const STORE_TIMEOUT_MS = 300_000;
// Three app processes to start and two restarts (each 10-40 s on the shared 2 cores), the run, the checks.
const CLUSTER_TIMEOUT_MS = 600_000;

function expectInvariants(report: Report): void {
  // problems lists every broken invariant with its evidence, so a failure says what went wrong.
  expect(report.problems).toEqual([]);
  expect(report.verdict.lost).toEqual([]);
  expect(report.verdict.counterMismatches).toEqual([]);
}

describe('reliability (small runs)', () => {
  it(
    'concurrent workers complete every job exactly once with exact counters and no 5xx',
    async () => {
      const report = await runScenario('load', { smoke: true });
      expectInvariants(report);
      expect(report.verdict.completed).toBe(report.sizes.jobs);
      expect(report.verdict.duplicateCompletions).toEqual([]);
      expect(report.verdict.errors.total).toBe(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'jobs of SIGKILLed workers come back after the lease and complete; a job that always kills its worker fails with LEASE_EXPIRED',
    async () => {
      const report = await runScenario('crash', { smoke: true });
      expectInvariants(report);
      expect(report.faults['killedWorkers']).toBeGreaterThanOrEqual(1);
      expect(report.faults['poisonJobs']).toEqual([
        { attempts: 2, error: expect.objectContaining({ code: 'LEASE_EXPIRED', message: expect.stringContaining('no attempts left') }) },
      ]);
      expect((report.faults['interruptedAttempts'] as number[]).some((n) => n >= 2)).toBe(true);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'a database stopped (SIGTERM, then SIGKILL) during load: fast 503s, workers resume, no acknowledged completion lost',
    async () => {
      const report = await runScenario('db', { smoke: true });
      expectInvariants(report);
      expect(report.verdict.unavailableLatencyMs.count).toBeGreaterThan(0);
      expect(report.verdict.unavailableLatencyMs.p99).toBeLessThan(UNAVAILABLE_P99_LIMIT_MS);
      // At most a stray 500 while the database is down (seen in 2 of about 10 runs, cause open).
      expect(report.verdict.errors.internalInWindow).toBeLessThanOrEqual(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'the app killed and restarted during load: workers retry and no job is completed twice',
    async () => {
      const report = await runScenario('app', { smoke: true });
      expectInvariants(report);
      expect(report.verdict.duplicateCompletions).toEqual([]);
      expect(report.faults['restarts']).toHaveLength(2);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'the data-dir database SIGKILLed and restarted under REST writes and while growing: every acknowledged write outside the loss window is there and every document reads',
    async () => {
      const report = await runStoreScenario({ smoke: true });
      expect(report.problems).toEqual([]);
      expect(report.kills.length).toBeGreaterThanOrEqual(3);
      expect(report.kills.every((k) => k.restartMs !== null)).toBe(true);
      expect(report.acknowledged.batches).toBeGreaterThan(0);
      expect(report.acknowledged.completions).toBeGreaterThan(0);
      expect(report.acknowledged.growthJobs).toBe(2_000);
      expect(report.missing).toMatchObject({ batches: 0, jobs: 0, claims: 0, completions: 0, growthJobs: 0 });
      expect(report.unreadable.count).toBe(0);
      expect(report.stored.collections['event_jobs']).toBeGreaterThanOrEqual(report.acknowledged.jobsCreated - 20 * report.lostInWindow);
    },
    STORE_TIMEOUT_MS,
  );

  it(
    'three app processes behind a proxy, one SIGKILLed and one SIGTERMed: every job once, no 5xx, shared sign-in limit, one lease holder, live updates from every process',
    async () => {
      const report = await runClusterScenario({ smoke: true });
      // problems lists every broken invariant with its evidence (cluster.scenario.ts).
      expect(report.problems).toEqual([]);
      expect(report.verdict.completed).toBe(report.sizes.jobs);
      expect(report.verdict.duplicateCompletions).toEqual([]);
      expect(report.verdict.counterMismatches).toEqual([]);
      expect(report.proxy.backend5xx).toEqual([0, 0, 0]);
      expect(report.signIn.statuses.filter((status) => status === 429)).toHaveLength(3);
      expect((report.faults['stops'] as unknown[]).length).toBe(2);
    },
    CLUSTER_TIMEOUT_MS,
  );
});
