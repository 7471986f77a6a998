import { ACTIVE_WORKER_WINDOW_MS, THROUGHPUT_WINDOW_MS } from '@event-monitor/contracts';
import { readableFilter } from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { batchStats } from './batch.service';
import { and } from './load';

/** The dashboard's totals and throughput strip (BatchOverviewJson in contracts). */
export interface BatchOverview {
  at: Date;
  now: { pending: number; processing: number };
  last_hour: { since: Date; completed: number; failed: number };
  workers: { active: number; seen_within_ms: number };
}

/**
 * What the dashboard shows at a glance, in three bounded reads and never a scan of all jobs: the
 * queue from the batch counters (batchStats' one pass over the batches), the last hour's finished
 * jobs from one range of the {status, completed_at} index, and the workers seen recently from the
 * {last_seen_at} index.
 */
export async function batchOverview(deps: DomainDeps, actor: Actor): Promise<BatchOverview> {
  const at = nowOf(deps);
  const since = new Date(at.getTime() - THROUGHPUT_WINDOW_MS);
  const [stats, finished, active] = await Promise.all([
    batchStats(deps, actor),
    finishedBetween(deps, actor, since, at),
    deps.models.Worker.countDocuments({
      last_seen_at: { $gte: new Date(at.getTime() - ACTIVE_WORKER_WINDOW_MS), $lte: at },
    }),
  ]);
  return {
    at,
    now: { pending: stats.jobs.pending, processing: stats.jobs.processing },
    last_hour: { since, ...finished },
    workers: { active, seen_within_ms: ACTIVE_WORKER_WINDOW_MS },
  };
}

/**
 * Jobs the actor may read that completed or failed within [since, until]. Both ends bound the
 * range, so a worker clock ahead of ours does not count a job before it happened.
 */
async function finishedBetween(
  deps: DomainDeps,
  actor: Actor,
  since: Date,
  until: Date,
): Promise<{ completed: number; failed: number }> {
  const rows = await deps.models.Job.aggregate<{ _id: string; n: number }>([
    {
      $match: and(
        { status: { $in: ['completed', 'failed'] }, completed_at: { $gte: since, $lte: until } },
        readableFilter(actor),
      ),
    },
    { $group: { _id: '$status', n: { $sum: 1 } } },
  ]);
  const count = (status: string): number => rows.find((row) => row._id === status)?.n ?? 0;
  return { completed: count('completed'), failed: count('failed') };
}
