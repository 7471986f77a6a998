import {
  reconcileBatches,
  recoverExpiredLeases,
  sampleQueueDepth,
  syncBatchFlags,
  tidyLegacyWrites,
  type DomainDeps,
} from '@event-monitor/domain';
import { isDatabaseUnavailable } from '@event-monitor/db';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface MaintenanceResult {
  requeued: number;
  failed: number;
  legacyFailed: number;
  repairedBatches: number;
  /** Jobs whose copy of their batch's isActive / archived was corrected (a legacy pause or archive). */
  flagsCopied: number;
  /** Leases removed from finished jobs plus legacy pending jobs given priority 0. */
  legacyTidied: number;
}

/**
 * One sweep: jobs of dead workers go back to pending (or fail when out of attempts), legacy-taken
 * jobs past the timeout fail, batch flags the legacy side changed are copied to the jobs, and
 * recently changed batches are recounted. Every change is a
 * conditional per-document update, so several app instances may sweep at the same time.
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
  return {
    requeued: leases.requeued,
    failed: leases.failed,
    legacyFailed: leases.legacy_failed,
    repairedBatches: counters.repaired,
    flagsCopied: flags.jobs,
    legacyTidied: tidy.leases_cleared + tidy.priorities_set,
  };
}

/**
 * Starts the periodic sweep in this server process (the host does, once); returns its stop.
 * An outage is reported once by the database module; anything else failing is worth a line.
 */
export function startMaintenance(options: {
  intervalSeconds: number;
  legacyTimeoutMinutes: number;
  getDomain: () => Promise<DomainDeps>;
  metrics: Pick<Metrics, 'countLeaseRecoveries'>;
  logger: Logger;
}): () => void {
  const { logger } = options;
  if (options.intervalSeconds === 0) return () => undefined;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await runMaintenanceOnce(await options.getDomain(), {
        legacyTimeoutMs: options.legacyTimeoutMinutes * 60_000,
      });
      options.metrics.countLeaseRecoveries(result.requeued + result.failed);
      if (result.requeued || result.failed || result.legacyFailed || result.repairedBatches || result.flagsCopied || result.legacyTidied) {
        logger.info(result, 'maintenance sweep changed jobs or batches');
      }
    } catch (error) {
      if (!isDatabaseUnavailable(error)) logger.error({ err: error }, 'maintenance sweep failed');
    } finally {
      running = false;
    }
  }, options.intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
