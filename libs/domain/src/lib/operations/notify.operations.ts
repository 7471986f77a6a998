import { NOTIFY_OPERATIONS } from '@event-monitor/contracts';
import {
  createSubscription,
  deleteSubscription,
  listDeliveries,
  listSubscriptions,
  rotateSubscriptionSecret,
  testSubscription,
  updateSubscription,
} from '../services/notify.service';
import { bindOperations } from './bind';

/** The domain call of each notification operation (NOTIFY_OPERATIONS in contracts declares them). */
export const NOTIFY_HANDLERS = bindOperations(NOTIFY_OPERATIONS, {
  list: (deps, actor, input) => listSubscriptions(deps, actor, input),
  create: (deps, actor, input) => createSubscription(deps, actor, input),
  update: (deps, actor, input) => updateSubscription(deps, actor, input),
  delete: (deps, actor, input) => deleteSubscription(deps, actor, input),
  rotateSecret: (deps, actor, input) => rotateSubscriptionSecret(deps, actor, input),
  test: (deps, actor, input) => testSubscription(deps, actor, input),
  deliveries: (deps, actor, input) => listDeliveries(deps, actor, input),
});
