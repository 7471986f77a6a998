import { randomUUID } from 'node:crypto';
import { BATCHES_COLLECTION, JOBS_COLLECTION } from '@event-monitor/domain';
import { batchRecord, jobInput, jobRecord } from './documents';
import type { BenchHarness } from './harness';
import { median, round, timed } from './stats';

export interface CreateResult {
  jobs: number;
  repeats: number;
  /** POST /api/event-job/batches with `jobs` jobs: milliseconds per request. */
  restMs: number[];
  /** insertOne(batch) + insertMany(jobs) with the raw driver. */
  rawMs: number[];
  restP50Ms: number;
  rawP50Ms: number;
  /** REST p50 divided by raw p50. */
  ratio: number;
  /** Jobs found in the database per created batch (each must equal `jobs`). */
  stored: { rest: number[]; raw: number[] };
}

export async function runCreate(
  harness: BenchHarness,
  sizes: { jobs: number; repeats: number },
  log: (line: string) => void,
): Promise<CreateResult> {
  const owner = await harness.live.createUser('operator');
  const token = await harness.live.createToken(['write'], 'operator');
  const body = JSON.stringify({ batch_name: 'bench create', jobs: Array.from({ length: sizes.jobs }, (_, i) => jobInput(i)) });
  const jobs = harness.db.collection(JOBS_COLLECTION);
  const batches = harness.db.collection(BATCHES_COLLECTION);

  const viaRest = async (): Promise<string> => {
    const response = await fetch(`${harness.live.url}/api/event-job/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const json = (await response.json()) as { data?: { batch: { batch_id: string }; job_ids: string[] } };
    if (response.status !== 201 || json.data?.job_ids.length !== sizes.jobs) {
      throw new Error(`POST /batches answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
    }
    return json.data.batch.batch_id;
  };
  const viaRaw = async (): Promise<string> => {
    // Built inside the timing, as the server builds its records inside the request.
    const batchId = `batch-${randomUUID()}`;
    const now = new Date();
    await batches.insertOne(
      batchRecord(batchId, 'bench create', now, owner.id, { pending: sizes.jobs, processing: 0, completed: 0, failed: 0 }),
    );
    await jobs.insertMany(
      Array.from({ length: sizes.jobs }, (_, i) => jobRecord(i, now, { batchId, userId: owner.id })),
      { ordered: true },
    );
    return batchId;
  };

  // One untimed round of each: route modules loaded, connections open.
  for (const batchId of [await viaRest(), await viaRaw()]) {
    await jobs.deleteMany({ batch_id: batchId });
    await batches.deleteOne({ batch_id: batchId });
  }

  const restMs: number[] = [];
  const rawMs: number[] = [];
  const stored = { rest: [] as number[], raw: [] as number[] };
  // Alternating, so both sides meet the same collection sizes; each batch is removed after counting.
  for (let r = 0; r < sizes.repeats; r++) {
    for (const side of r % 2 === 0 ? (['rest', 'raw'] as const) : (['raw', 'rest'] as const)) {
      const { ms, value: batchId } = await timed(side === 'rest' ? viaRest : viaRaw);
      (side === 'rest' ? restMs : rawMs).push(round(ms, 1));
      stored[side].push(await jobs.countDocuments({ batch_id: batchId }));
      await jobs.deleteMany({ batch_id: batchId });
      await batches.deleteOne({ batch_id: batchId });
    }
  }
  const restP50Ms = round(median(restMs), 1);
  const rawP50Ms = round(median(rawMs), 1);
  log(`create ${sizes.jobs} jobs: REST p50 ${restP50Ms} ms, raw p50 ${rawP50Ms} ms`);
  return {
    jobs: sizes.jobs,
    repeats: sizes.repeats,
    restMs,
    rawMs,
    restP50Ms,
    rawP50Ms,
    ratio: round(restP50Ms / rawP50Ms, 3),
    stored,
  };
}
