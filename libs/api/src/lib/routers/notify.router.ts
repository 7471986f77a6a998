import { NOTIFY_OPERATIONS } from '@event-monitor/contracts';
import { NOTIFY_HANDLERS } from '@event-monitor/domain';
import { operationProcedures } from '../operation-procedures';
import { router } from '../trpc';

/** Notification subscriptions and their delivery logs, generated from the operation table. */
export const notifyRouter = router(operationProcedures(NOTIFY_OPERATIONS, NOTIFY_HANDLERS));
