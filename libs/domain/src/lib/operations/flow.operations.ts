import { FLOW_OPERATIONS } from '@event-monitor/contracts';
import { listJobTypeFlow, pauseJobType, resumeJobType, setJobTypeLimits } from '../services/flow.service';
import { bindOperations } from './bind';

/** The domain call of each flow operation (FLOW_OPERATIONS in contracts declares them). */
export const FLOW_HANDLERS = bindOperations(FLOW_OPERATIONS, {
  list: (deps) => listJobTypeFlow(deps),
  setLimits: (deps, actor, input) => setJobTypeLimits(deps, actor, input),
  pause: (deps, actor, input) => pauseJobType(deps, actor, input),
  resume: (deps, actor, input) => resumeJobType(deps, actor, input),
});
