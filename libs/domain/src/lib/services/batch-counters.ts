import type { DomainDeps } from '../context';
import { nowOf } from '../context';
import { DomainError, DomainErrorCode } from '../errors';
import { deriveBatchStatus, type BatchCounters, type CounterKey } from '../job-state';
import type { BatchRecord } from '../models/batch.model';
import { driverCollections } from '../models/domain-models';
import type { JobStatus } from '@event-monitor/contracts';

const COUNTER_KEYS: readonly CounterKey[] = ['total_jobs', 'pending_jobs', 'processing_jobs', 'completed_jobs', 'failed_jobs'];

/**
 * Counters we can trust for an $inc: all five present and the four states adding up to the total.
 * Every $inc of ours is balanced (it keeps that sum), so a mismatch means someone else wrote
 * absolute values (the legacy worker sets completed/failed from a recount) or a key was missing
 * (legacy batch); then we recount. Negative values can appear for a moment between a job write
 * and its $inc under concurrency and are not drift.
 */
function trustedCounters(batch: SettleFields): BatchCounters | undefined {
  const { total_jobs, pending_jobs, processing_jobs, completed_jobs, failed_jobs } = batch;
  const counters = { total_jobs, pending_jobs, processing_jobs, completed_jobs, failed_jobs };
  if (!Object.values(counters).every((v) => typeof v === 'number' && Number.isInteger(v))) return undefined;
  const trusted = counters as BatchCounters;
  const sum = trusted.pending_jobs + trusted.processing_jobs + trusted.completed_jobs + trusted.failed_jobs;
  return sum === trusted.total_jobs ? trusted : undefined;
}

/** What settling a batch's status reads of it. */
type SettleFields = Pick<BatchRecord, 'batch_id' | 'status' | 'completed_at' | CounterKey> & Partial<Pick<BatchRecord, 'isActive' | 'archived'>>;

const SETTLE_PROJECTION = Object.fromEntries(
  ['batch_id', 'status', 'completed_at', 'isActive', 'archived', ...COUNTER_KEYS].map((key) => [key, 1]),
) as Record<string, 1>;

/** The batch's own flags as the counter move read them (the claim checks them, see takeNextJob). */
export interface BatchFlags {
  active: boolean;
  archived: boolean;
}

function countersFilter(counters: Partial<Record<CounterKey, number | undefined>>): Record<string, unknown> {
  return Object.fromEntries(COUNTER_KEYS.map((key) => [key, counters[key] ?? null]));
}

/**
 * Batches whose counter move failed after their job write had been applied (the database went
 * away between the two writes; the embedded server has no transactions): their counters may be
 * off by that move. The next sweep recounts them first, whether or not they are among the most
 * recently changed batches (see reconcileBatches). In memory: a process that dies between the
 * two writes leaves the batch to the sweep's window of recently changed batches.
 */
const interruptedBatches = new Set<string>();

/**
 * Moves the counters of a batch with one $inc (constant cost), then makes status and completed_at
 * match the counters just read (see settleBatchStatus). A missing batch (standalone job, deleted
 * batch) is a no-op. Returns the batch's isActive / archived as the same write read them.
 */
export async function moveBatchCounters(
  deps: DomainDeps,
  batchId: string | undefined,
  delta: Partial<BatchCounters>,
): Promise<BatchFlags | undefined> {
  if (!batchId) return undefined;
  const inc = Object.fromEntries(Object.entries(delta).filter(([, n]) => n !== 0));
  if (Object.keys(inc).length === 0) return undefined;
  // Through the driver (the worker protocol's hot path, see driverCollections): a balanced $inc
  // of counter keys and a date, nothing for Mongoose to cast.
  try {
    const after = await driverCollections(deps.models).batches.findOneAndUpdate(
      { batch_id: batchId },
      { $inc: inc, $set: { updated_at: nowOf(deps) } },
      // Only what settleBatchStatus reads: not the ACL, parameters and the rest of the batch.
      { returnDocument: 'after', projection: SETTLE_PROJECTION },
    );
    if (!after) return undefined;
    await settleBatchStatus(deps, after);
    return { active: after.isActive !== false, archived: after.archived === true };
  } catch (error) {
    // Whether the $inc was applied is unknown (the answer may be what was lost): a recount decides.
    interruptedBatches.add(batchId);
    throw error;
  }
}

/**
 * Sets the derived status for the counters in `batch`, conditional on those counters being
 * unchanged. No update pipelines on the embedded server, so this is a second write; with
 * concurrent writers the one whose $inc came last matches and wins, so the status converges.
 */
export async function settleBatchStatus(deps: DomainDeps, batch: SettleFields): Promise<void> {
  const counters = trustedCounters(batch);
  if (!counters) {
    // The caller's job write already happened; a batch that keeps changing is recounted later.
    await reconcileBatch(deps, batch.batch_id).catch((err: unknown) => {
      if (!(err instanceof DomainError)) throw err;
    });
    return;
  }
  const { status, done } = deriveBatchStatus(counters);
  const hasCompletedAt = batch.completed_at instanceof Date;
  if (batch.status === status && done === hasCompletedAt) return;
  const update: Record<string, unknown> = { $set: { status } };
  if (done && !hasCompletedAt) (update['$set'] as Record<string, unknown>)['completed_at'] = nowOf(deps);
  if (!done && hasCompletedAt) update['$unset'] = { completed_at: 1 };
  await deps.models.Batch.updateOne({ batch_id: batch.batch_id, ...countersFilter(counters) }, update);
}

export interface BatchCounterState extends BatchCounters {
  status: string;
}

export interface ReconcileResult {
  batch_id: string;
  before: BatchCounterState;
  after: BatchCounterState;
  /** True when the stored counters or status differed from the recount. */
  repaired: boolean;
}

/**
 * Recounts the jobs of a batch with one aggregation and writes counters, status and
 * completed_at when they drifted. The write is conditional on the counters read, so a
 * concurrent $inc makes it recount again instead of overwriting it.
 */
export async function reconcileBatch(deps: DomainDeps, batchId: string): Promise<ReconcileResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const batch = await deps.models.Batch.findOne({ batch_id: batchId }).lean();
    if (!batch) throw new DomainError(DomainErrorCode.NOT_FOUND, `Batch ${batchId} not found`);
    const groups = await deps.models.Job.aggregate<{ _id: string; n: number }>([
      { $match: { batch_id: batchId } },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(groups.map((g) => [g._id, g.n])) as Partial<Record<JobStatus, number>>;
    const recount: BatchCounters = {
      total_jobs: groups.reduce((sum, g) => sum + g.n, 0),
      pending_jobs: counts.pending ?? 0,
      processing_jobs: counts.processing ?? 0,
      completed_jobs: counts.completed ?? 0,
      failed_jobs: counts.failed ?? 0,
    };
    const { status, done } = deriveBatchStatus(recount);
    const before: BatchCounterState = {
      total_jobs: batch.total_jobs ?? 0,
      pending_jobs: batch.pending_jobs ?? 0,
      processing_jobs: batch.processing_jobs ?? 0,
      completed_jobs: batch.completed_jobs ?? 0,
      failed_jobs: batch.failed_jobs ?? 0,
      status: batch.status,
    };
    const after: BatchCounterState = { ...recount, status };
    const hasCompletedAt = batch.completed_at instanceof Date;
    const same =
      COUNTER_KEYS.every((key) => batch[key] === recount[key]) && batch.status === status && done === hasCompletedAt;
    if (same) return { batch_id: batchId, before, after, repaired: false };

    const set: Record<string, unknown> = { ...recount, status, updated_at: nowOf(deps) };
    if (done && !hasCompletedAt) set['completed_at'] = nowOf(deps);
    const update: Record<string, unknown> = { $set: set };
    if (!done && hasCompletedAt) update['$unset'] = { completed_at: 1 };
    const result = await deps.models.Batch.updateOne({ batch_id: batchId, ...countersFilter(batch) }, update);
    if (result.matchedCount === 1) return { batch_id: batchId, before, after, repaired: true };
  }
  throw new DomainError(DomainErrorCode.CONFLICT, `Batch ${batchId} kept changing while it was being recounted`);
}

/**
 * The periodic run: recounts the most recently changed current batches (the legacy worker
 * changes jobs without moving our counters).
 */
export async function reconcileBatches(
  deps: DomainDeps,
  options: { limit?: number } = {},
): Promise<{ checked: number; repaired: number; results: ReconcileResult[] }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 10_000);
  const results: ReconcileResult[] = [];
  // First the batches of interrupted counter moves (archived ones too: their counters are shown).
  const interrupted = [...interruptedBatches];
  for (const batch_id of interrupted) {
    try {
      results.push(await reconcileBatch(deps, batch_id));
      interruptedBatches.delete(batch_id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // Gone (deleted, or another database's batch): nothing to repair. Still changing: next sweep.
      if (err.code === DomainErrorCode.NOT_FOUND) interruptedBatches.delete(batch_id);
    }
  }
  const batches = await deps.models.Batch.find({ archived: { $ne: true } }, { batch_id: 1, _id: 0 })
    .sort({ updated_at: -1 })
    .limit(limit)
    .lean();
  const done = new Set(interrupted);
  let checked = interrupted.length;
  for (const { batch_id } of batches) {
    if (done.has(batch_id)) continue;
    checked++;
    try {
      results.push(await reconcileBatch(deps, batch_id));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
  }
  return { checked, repaired: results.filter((r) => r.repaired).length, results };
}
