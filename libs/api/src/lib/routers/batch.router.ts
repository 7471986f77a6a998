import { BATCH_OPERATIONS } from '@event-monitor/contracts';
import { BATCH_HANDLERS } from '@event-monitor/domain';
import { operationProcedures } from '../operation-procedures';
import { router } from '../trpc';

/** `batch.*`: generated from the operation table (contracts) and its domain calls. */
export const batchRouter = router(operationProcedures(BATCH_OPERATIONS, BATCH_HANDLERS));
