import { RETENTION_OPERATIONS } from '@event-monitor/contracts';
import { RETENTION_HANDLERS } from '@event-monitor/domain';
import { operationProcedures } from '../operation-procedures';
import { router } from '../trpc';

/** Retention of finished batches (policy, preview, run, a batch's own), generated from the operation table. */
export const retentionRouter = router(operationProcedures(RETENTION_OPERATIONS, RETENTION_HANDLERS));
