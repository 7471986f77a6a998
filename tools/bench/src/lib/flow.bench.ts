import { FLOW_CACHE_MS, JOB_TYPE_FLOW_COLLECTION, WORKERS_COLLECTION } from '@event-monitor/domain';
import type { Db } from 'mongodb';
import { restClaimLoop, seedQueue } from './claims.bench';
import type { BenchHarness } from './harness';

/**
 * What a limit per job type costs the claim (issue 20): the REST worker loop (each completion asks
 * for the next job) on the bench's one job type without any flow control, with a concurrency limit
 * above the number of workers (the reservation is paid on every claim but never refuses), and with
 * a limit that binds (a quarter of the workers). Rounds alternate between the settings, so a
 * machine's load drifts over all of them alike.
 */
export interface FlowRun {
  setting: 'none' | 'limit-not-binding' | 'limit-binding';
  maxConcurrent: number | null;
  jobsPerSecond: number;
  handoffP50Ms: number;
  handoffP99Ms: number;
}

export interface FlowResult {
  jobs: number;
  workers: number;
  rounds: number;
  runs: FlowRun[];
}

const BENCH_JOB_TYPE = 'bench';

async function setLimit(db: Db, maxConcurrent: number | null): Promise<void> {
  const flow = db.collection(JOB_TYPE_FLOW_COLLECTION);
  await flow.deleteMany({});
  if (maxConcurrent !== null) {
    await flow.insertOne({
      job_type: BENCH_JOB_TYPE,
      max_concurrent: maxConcurrent,
      count: 0,
      slots: [],
      window_minute: 0,
      window_count: 0,
      version: 0,
      updated_at: new Date(),
    });
  }
  // The app reads the flow controls at most every FLOW_CACHE_MS: wait until it has.
  await new Promise((resolve) => setTimeout(resolve, FLOW_CACHE_MS + 500));
}

export async function runFlow(
  harness: BenchHarness,
  sizes: { jobs: number; workers: number; rounds: number },
  log: (line: string) => void,
): Promise<FlowResult> {
  const owner = await harness.live.createUser('operator');
  const tokens: string[] = [];
  for (let w = 0; w < sizes.workers; w++) tokens.push(await harness.live.createToken(['worker'], 'operator'));
  const settings: { setting: FlowRun['setting']; maxConcurrent: number | null }[] = [
    { setting: 'none', maxConcurrent: null },
    { setting: 'limit-not-binding', maxConcurrent: sizes.workers * 4 },
    { setting: 'limit-binding', maxConcurrent: Math.max(1, Math.floor(sizes.workers / 4)) },
  ];
  // Untimed warm-up of the routes and pools.
  await seedQueue(harness.db, 20, owner.id);
  await restClaimLoop(harness, tokens.slice(0, 2));

  const runs: FlowRun[] = [];
  for (let round = 0; round < sizes.rounds; round++) {
    for (const { setting, maxConcurrent } of settings) {
      await setLimit(harness.db, maxConcurrent);
      await seedQueue(harness.db, sizes.jobs, owner.id);
      await harness.db.collection(WORKERS_COLLECTION).deleteMany({});
      log(`flow: round ${round + 1}, ${setting}, ${sizes.workers} workers, ${sizes.jobs} jobs`);
      const result = await restClaimLoop(harness, tokens);
      if (result.processed !== sizes.jobs || result.distinct !== sizes.jobs) {
        throw new Error(`flow ${setting}: expected ${sizes.jobs} jobs processed once each, got ${result.processed} (${result.distinct} distinct)`);
      }
      runs.push({ setting, maxConcurrent, jobsPerSecond: result.jobsPerSecond, handoffP50Ms: result.handoffP50Ms, handoffP99Ms: result.handoffP99Ms });
    }
  }
  await setLimit(harness.db, null);
  return { jobs: sizes.jobs, workers: sizes.workers, rounds: sizes.rounds, runs };
}
