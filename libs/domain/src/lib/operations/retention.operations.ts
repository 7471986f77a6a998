import { RETENTION_OPERATIONS } from '@event-monitor/contracts';
import { previewRetention, runRetention, setBatchRetention, setRetentionPolicy } from '../services/retention.service';
import { bindOperations } from './bind';

/** The domain call of each retention operation (RETENTION_OPERATIONS in contracts declares them). */
export const RETENTION_HANDLERS = bindOperations(RETENTION_OPERATIONS, {
  preview: (deps, actor, input) => previewRetention(deps, actor, input),
  setPolicy: (deps, actor, input) => setRetentionPolicy(deps, actor, input),
  run: (deps, actor, input) => runRetention(deps, actor, input),
  setBatch: (deps, actor, input) => setBatchRetention(deps, actor, input),
});
