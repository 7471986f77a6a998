import { JOB_OPERATIONS } from '@event-monitor/contracts';
import { changeLanguage } from '../services/batch.service';
import { cancelJob, createJob, deleteJob, getJob, getJobLogs, listJobs, locateId, restartJob } from '../services/job.service';
import { updateJob } from '../services/edit.service';
import { bindOperations } from './bind';
import { failureGroups } from '../services/failure.service';
import {
  bulkCancel,
  bulkChangeLanguage,
  bulkDelete,
  bulkFail,
  bulkProgress,
  bulkRestart,
  bulkSetPriority,
  previewBulk,
} from '../services/bulk.service';

/** The domain call of each job operation (JOB_OPERATIONS in contracts declares them). */
export const JOB_HANDLERS = bindOperations(JOB_OPERATIONS, {
  list: (deps, actor, input) => listJobs(deps, actor, input),
  get: (deps, actor, input) => getJob(deps, actor, input.job_id),
  locate: (deps, actor, input) => locateId(deps, actor, input.id),
  logs: (deps, actor, { job_id, ...options }) => getJobLogs(deps, actor, job_id, options),
  create: (deps, actor, input) => createJob(deps, actor, input),
  delete: (deps, actor, { job_id, ...options }) => deleteJob(deps, actor, job_id, options),
  restart: (deps, actor, { job_id, ...options }) => restartJob(deps, actor, job_id, options),
  cancel: (deps, actor, { job_id, ...options }) => cancelJob(deps, actor, job_id, options),
  changeLanguage: (deps, actor, { job_id, ...input }) => changeLanguage(deps, actor, { ...input, target: { job_id } }),
  bulkPreview: (deps, actor, input) => previewBulk(deps, actor, input),
  bulkProgress: (deps, actor, input) => bulkProgress(deps, actor, input),
  bulkRestart: (deps, actor, input) => bulkRestart(deps, actor, input),
  bulkFail: (deps, actor, input) => bulkFail(deps, actor, input),
  bulkCancel: (deps, actor, input) => bulkCancel(deps, actor, input),
  bulkDelete: (deps, actor, input) => bulkDelete(deps, actor, input),
  bulkChangeLanguage: (deps, actor, input) => bulkChangeLanguage(deps, actor, input),
  bulkSetPriority: (deps, actor, input) => bulkSetPriority(deps, actor, input),
  update: (deps, actor, { job_id, ...input }) => updateJob(deps, actor, job_id, input),
  failureGroups: (deps, actor, input) => failureGroups(deps, actor, input),
});
