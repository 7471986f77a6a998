// Jest setupFilesAfterEnv: the query plan guard of useTestDatabase() checks against the domain's indexes.
import { configureQueryPlanGuard } from '@event-monitor/testing';
import { QUERY_PLAN_GUARD } from '@event-monitor/domain';

configureQueryPlanGuard(QUERY_PLAN_GUARD);
