import { FLOW_OPERATIONS } from '@event-monitor/contracts';
import { FLOW_HANDLERS } from '@event-monitor/domain';
import { operationProcedures } from '../operation-procedures';
import { router } from '../trpc';

/** Flow control per job type (pause, limits), generated from the operation table. */
export const flowRouter = router(operationProcedures(FLOW_OPERATIONS, FLOW_HANDLERS));
