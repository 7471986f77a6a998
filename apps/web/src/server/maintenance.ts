import {
  deleteExpiredIdempotencyKeys,
  deleteOldBulkRuns,
  deleteOldDeliveries,
  detectNotificationEvents,
  indexSearchTerms,
  recountFlowSlots,
  reconcileBatches,
  recoverExpiredLeases,
  runRetentionIfDue,
  sampleQueueDepth,
  syncBatchFlags,
  tidyLegacyWrites,
  type DomainDeps,
} from '@event-monitor/domain';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import { sweepExpiredCounters } from '@event-monitor/auth';
import { isDatabaseUnavailable, releaseLease, takeLease } from '@event-monitor/db';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface MaintenanceResult {
  requeued: number;
  failed: number;
  legacyFailed: number;
  repairedBatches: number;
  /** Jobs whose copy of their batch's isActive / archived was corrected (a legacy pause or archive). */
  flagsCopied: number;
  /** Leases removed from finished jobs, legacy pending jobs given priority 0, legacy failures signed. */
  legacyTidied: number;
  /** Limited job types whose slots were recounted, plus pauses whose resume time passed. */
  flowRepaired: number;
  /** Idempotency keys past their 24 hours, deleted (the embedded server has no TTL). */
  keysExpired: number;
  /** Batches the retention policy archived or deleted (it runs at most once an hour, when on). */
  retained: number;
  /** Jobs whose search words were (re)computed: changed since the last sweep, or never indexed. */
  searchIndexed: number;
  /** Notification deliveries queued for the events this sweep found. */
  notificationsQueued: number;
}

/**
 * One sweep: jobs of dead workers go back to pending (or fail when out of attempts), legacy-taken
 * jobs past the timeout fail, batch flags the legacy side changed are copied to the jobs, and
 * recently changed batches are recounted. Every change is a
 * conditional per-document update, so two sweeps at the same time (a lease taken over while its
 * old holder still finishes a sweep) change nothing twice; the lease keeps it to one in the normal case.
 */
export async function runMaintenanceOnce(
  domain: DomainDeps,
  options: { legacyTimeoutMs: number; reconcileLimit?: number },
): Promise<MaintenanceResult> {
  const leases = await recoverExpiredLeases(domain, { legacy_timeout_ms: options.legacyTimeoutMs });
  const flags = await syncBatchFlags(domain, { limit: options.reconcileLimit ?? 100 });
  const tidy = await tidyLegacyWrites(domain);
  const counters = await reconcileBatches(domain, { limit: options.reconcileLimit ?? 100 });
  await sampleQueueDepth(domain); // the metrics page's queue-depth series
  const flow = await recountFlowSlots(domain);
  const keysExpired = await deleteExpiredIdempotencyKeys(domain);
  await deleteOldBulkRuns(domain);
  const retention = await runRetentionIfDue(domain);
  // Bounded per sweep (SEARCH_INDEX_BATCH): a backlog (the first run over old jobs) takes several sweeps.
  const search = await indexSearchTerms(domain);
  const notifications = await detectNotificationEvents(domain);
  await deleteOldDeliveries(domain);
  return {
    requeued: leases.requeued,
    failed: leases.failed,
    legacyFailed: leases.legacy_failed,
    repairedBatches: counters.repaired,
    flagsCopied: flags.jobs,
    legacyTidied: tidy.leases_cleared + tidy.priorities_set + tidy.signatures_set,
    flowRepaired: flow.corrected + flow.resumed,
    keysExpired,
    retained: retention ? retention.archive.count + retention.delete.count : 0,
    searchIndexed: search.written,
    notificationsQueued: notifications.queued,
  };
}

/** The lease that makes one process at a time the sweeper (libs/db lease.ts). */
export const MAINTENANCE_LEASE = 'maintenance';

export interface Maintenance {
  /** This process's name in the lease document. */
  holder: string;
  /** Stops sweeping and gives the lease up (a clean stop: another process takes over at its next try). */
  stop(): Promise<void>;
  /** Stops sweeping and keeps the lease until it runs out, as a crash would (tests). */
  abandon(): void;
  /** Whether this process holds the maintenance lease now (it sweeps, and finds notification events). */
  holds(): boolean;
}

/**
 * Starts the periodic sweep in this server process (the host does, once). Every process tries
 * each interval, but only the holder of the maintenance lease sweeps: it renews the lease each
 * interval, for two intervals, so one late tick does not lose it. A holder that dies without
 * giving it up is replaced within one interval of its lease running out (at most three intervals
 * after its last renewal); one that stops cleanly gives it up, and is replaced within one interval.
 * An outage is reported once by the database module; anything else failing is worth a line.
 */
export function startMaintenance(options: {
  intervalSeconds: number;
  legacyTimeoutMinutes: number;
  getDomain: () => Promise<DomainDeps>;
  /** The database of the lease and of the shared rate-limit counters it sweeps. */
  getDb: () => Promise<Db>;
  /** Default: host name, process id and a random part (unique per start). */
  holder?: string;
  metrics: Pick<Metrics, 'countLeaseRecoveries'>;
  logger: Logger;
}): Maintenance {
  const { logger } = options;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const intervalMs = options.intervalSeconds * 1000;
  if (intervalMs === 0) return { holder, stop: async () => undefined, abandon: () => undefined, holds: () => false };
  let renewing: Promise<void> | undefined;
  let sweeping: Promise<void> | undefined;
  let holding = false;

  async function sweep(db: Db): Promise<void> {
    const result = await runMaintenanceOnce(await options.getDomain(), {
      legacyTimeoutMs: options.legacyTimeoutMinutes * 60_000,
    });
    await sweepExpiredCounters(db);
    options.metrics.countLeaseRecoveries(result.requeued + result.failed);
    if (result.requeued || result.failed || result.legacyFailed || result.repairedBatches || result.flagsCopied || result.legacyTidied || result.flowRepaired || result.retained) {
      logger.info(result, 'maintenance sweep changed jobs or batches');
    }
  }

  const failed = (error: unknown) => {
    if (!isDatabaseUnavailable(error)) logger.error({ err: error }, 'maintenance sweep failed');
  };

  // The lease is renewed every interval even while a long sweep runs (a loaded machine): a sweep
  // longer than the lease must not hand the lease to a second sweeper.
  async function tick(): Promise<void> {
    const db = await options.getDb();
    const held = await takeLease(db, MAINTENANCE_LEASE, holder, 2 * intervalMs);
    if (held !== holding) logger.info({ holder }, held ? 'maintenance lease taken: this process sweeps' : 'maintenance lease lost');
    holding = held;
    if (!held || sweeping) return;
    sweeping = sweep(db)
      .catch(failed)
      .finally(() => {
        sweeping = undefined;
      });
  }

  const timer = setInterval(() => {
    if (renewing) return;
    renewing = tick()
      .catch(failed)
      .finally(() => {
        renewing = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    holder,
    async stop() {
      clearInterval(timer);
      await renewing;
      await sweeping;
      if (!holding) return;
      holding = false;
      await releaseLease(await options.getDb(), MAINTENANCE_LEASE, holder).catch(() => undefined);
    },
    abandon() {
      clearInterval(timer);
    },
    holds: () => holding,
  };
}
