import type { DomainDeps } from '../context';
import type { BatchCounters, CounterKey } from '../job-state';
import type { BatchRecord } from '../models/batch.model';
import type { JobStatus } from '@event-monitor/contracts';

/**
 * Counters that cannot be right: total missing or not an integer, a counter negative or not an
 * integer, or the four states not adding up to the total (a missing pending_jobs, as old legacy
 * batches have, is derived from the others first). The legacy worker writes absolute
 * completed/failed after each job and `pending_jobs: 0` on a fresh batch, so between two sweeps
 * a batch it works on is in this state; showing it would show the impossible.
 */
export function countersImpossible(record: Partial<Pick<BatchRecord, CounterKey>>): boolean {
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const { total_jobs: total, processing_jobs: processing, completed_jobs: completed, failed_jobs: failed } = record;
  if (!isCount(total)) return true;
  for (const value of [processing, completed, failed]) if (value !== undefined && value !== null && !isCount(value)) return true;
  const known = (processing ?? 0) + (completed ?? 0) + (failed ?? 0);
  const pending = record.pending_jobs ?? total - known;
  return !isCount(pending) || pending + known !== total;
}

/** At most this many batches are recounted for one read (one aggregation over their jobs). */
export const MAX_RECOUNTS_PER_READ = 200;

/** The job counts per status of each batch, in one aggregation (batch_id index). */
export async function recountBatches(deps: DomainDeps, batchIds: readonly string[]): Promise<Map<string, BatchCounters>> {
  const recounts = new Map<string, BatchCounters>();
  if (batchIds.length === 0) return recounts;
  for (const id of batchIds) {
    recounts.set(id, { total_jobs: 0, pending_jobs: 0, processing_jobs: 0, completed_jobs: 0, failed_jobs: 0 });
  }
  const groups = await deps.models.Job.aggregate<{ _id: { batch_id: string; status: string }; n: number }>([
    { $match: { batch_id: { $in: [...batchIds] } } },
    { $group: { _id: { batch_id: '$batch_id', status: '$status' }, n: { $sum: 1 } } },
  ]);
  for (const { _id, n } of groups) {
    const counters = recounts.get(_id.batch_id);
    if (!counters) continue;
    counters.total_jobs += n;
    const key = `${_id.status as JobStatus}_jobs` as CounterKey;
    if (key in counters && key !== 'total_jobs') counters[key] += n;
  }
  return recounts;
}

/**
 * The records as they may be shown: those whose stored counters are impossible get counters from
 * a recount of their jobs (one aggregation for all of them, at most MAX_RECOUNTS_PER_READ), the
 * rest are returned as stored (the sweep keeps them right). Nothing is written: the sweep repairs
 * the stored values.
 */
export async function withShownCounters<T extends Partial<Pick<BatchRecord, CounterKey | 'batch_id'>>>(
  deps: DomainDeps,
  records: T[],
): Promise<T[]> {
  const impossible = records.filter(countersImpossible).map((r) => r.batch_id as string).slice(0, MAX_RECOUNTS_PER_READ);
  if (impossible.length === 0) return records;
  const recounts = await recountBatches(deps, impossible);
  return records.map((record) => {
    const recount = recounts.get(record.batch_id as string);
    return recount ? { ...record, ...recount } : record;
  });
}
