import {
  reconcileBatches,
  recoverExpiredLeases,
  sampleQueueDepth,
  syncBatchFlags,
  tidyLegacyWrites,
  type DomainDeps,
} from '@event-monitor/domain';
import { getDomain } from './domain';
import { serverEnv } from './env';
import { logger } from './logger';
import { processMetrics } from './metrics';

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

let timer: NodeJS.Timeout | undefined;

/** Starts the periodic sweep in this server process (called once from instrumentation.ts). */
export function startMaintenance(): void {
  const env = serverEnv();
  if (timer || env.MAINTENANCE_INTERVAL_SECONDS === 0) return;
  let running = false;
  timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await runMaintenanceOnce(await getDomain(), {
        legacyTimeoutMs: env.LEGACY_PROCESSING_TIMEOUT_MINUTES * 60_000,
      });
      processMetrics().countLeaseRecoveries(result.requeued + result.failed);
      if (result.requeued || result.failed || result.legacyFailed || result.repairedBatches || result.flagsCopied || result.legacyTidied) {
        logger.info(result, 'maintenance sweep changed jobs or batches');
      }
    } catch (error) {
      // An outage is already reported once by the database module; anything else is worth a line.
      if (!(error instanceof Error && error.name === 'DatabaseUnavailableError')) {
        logger.error({ err: error }, 'maintenance sweep failed');
      }
    } finally {
      running = false;
    }
  }, env.MAINTENANCE_INTERVAL_SECONDS * 1000);
  timer.unref();
}
