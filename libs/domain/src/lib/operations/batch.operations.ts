import { BATCH_OPERATIONS } from '@event-monitor/contracts';
import {
  archiveBatch,
  batchStats,
  changeLanguage,
  countBatchTabs,
  createBatch,
  deleteBatch,
  failAllBatches,
  getBatch,
  listBatches,
  previewFailAll,
  previewSetAllPending,
  restartBatch,
  setAllPending,
  setBatchActive,
  unarchiveBatch,
} from '../services/batch.service';
import { renameBatch } from '../services/edit.service';
import { batchOverview } from '../services/overview.service';
import { findUsers, shareBatch } from '../services/sharing.service';
import { bindOperations } from './bind';

/** The domain call of each batch operation (BATCH_OPERATIONS in contracts declares them). */
export const BATCH_HANDLERS = bindOperations(BATCH_OPERATIONS, {
  list: (deps, actor, input) => listBatches(deps, actor, input),
  tabs: (deps, actor) => countBatchTabs(deps, actor),
  stats: (deps, actor) => batchStats(deps, actor),
  overview: (deps, actor) => batchOverview(deps, actor),
  get: (deps, actor, input) => getBatch(deps, actor, input.batch_id),
  create: (deps, actor, input) => createBatch(deps, actor, input),
  delete: (deps, actor, { batch_id, ...options }) => deleteBatch(deps, actor, batch_id, options),
  archive: (deps, actor, input) => archiveBatch(deps, actor, input.batch_id),
  unarchive: (deps, actor, input) => unarchiveBatch(deps, actor, input.batch_id),
  toggleActive: (deps, actor, input) => setBatchActive(deps, actor, input.batch_id, input.active),
  previewFailAll: (deps, actor) => previewFailAll(deps, actor),
  failAll: (deps, actor, input) => failAllBatches(deps, actor, input),
  previewSetAllPending: (deps, actor) => previewSetAllPending(deps, actor),
  setAllPending: (deps, actor, input) => setAllPending(deps, actor, input),
  restart: (deps, actor, { batch_id, ...options }) => restartBatch(deps, actor, batch_id, options),
  changeLanguage: (deps, actor, input) => changeLanguage(deps, actor, input),
  changeBatchLanguage: (deps, actor, { batch_id, ...input }) => changeLanguage(deps, actor, { ...input, target: { batch_id } }),
  rename: (deps, actor, { batch_id, ...input }) => renameBatch(deps, actor, batch_id, input),
  share: (deps, actor, input) => shareBatch(deps, actor, input),
  findUsers: (deps, actor, input) => findUsers(deps, actor, input),
});
