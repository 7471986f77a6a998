import { JOB_OPERATIONS } from '@event-monitor/contracts';
import { JOB_HANDLERS } from '@event-monitor/domain';
import { operationProcedures } from '../operation-procedures';
import { router } from '../trpc';

/** `job.*`: generated from the operation table (contracts) and its domain calls. */
export const jobRouter = router(operationProcedures(JOB_OPERATIONS, JOB_HANDLERS));
