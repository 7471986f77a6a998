import { z } from 'zod';
import { ChangeLanguageInput } from '../batch.schema';
import { JobId } from '../common.schema';
import {
  CancelJobInput,
  CreateJobInput,
  DeleteJobInput,
  GetJobLogsInput,
  JobSortField,
  ListJobsFields,
  ListJobsInput,
  RestartJobInput,
  SortDirection,
} from '../job.schema';
import { ChangeLanguageResultJson, DeletedJobJson, JobJson, JobListJson, LogEntryJson } from '../responses.schema';
import { operation } from './operation';

const JobRef = z.strictObject({ job_id: JobId });

/** The job list's query as a URL carries it: `sort` and `direction` flat instead of the nested `sort`. */
export const ListJobsQuery = ListJobsFields.omit({ sort: true }).extend({
  sort: JobSortField.optional(),
  direction: SortDirection.optional(),
});

function listJobsInput(query: Record<string, string>): Record<string, unknown> {
  const { sort, direction, ...rest } = query;
  if (sort === undefined && direction === undefined) return rest;
  const nested: Record<string, string> = {};
  if (sort !== undefined) nested['field'] = sort;
  if (direction !== undefined) nested['direction'] = direction;
  return { ...rest, sort: nested };
}

/** Change-language of one job: the same fields (and boolean forms) as the batch and REST forms. */
export const ChangeJobLanguageInput = JobRef.extend(ChangeLanguageInput.omit({ target: true }).shape);

/** The job operations; the keys are the tRPC procedure names under `job.`. */
export const JOB_OPERATIONS = {
  list: operation({
    area: 'job',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: ListJobsInput,
    inputOptional: true,
    output: JobListJson,
    rest: [
      {
        method: 'GET',
        path: 'jobs',
        operationId: 'listJobs',
        summary: 'List jobs (of a batch, by status, by text), one page per cursor; total counts the filter',
        tag: 'Jobs',
        from: 'query',
        query: ListJobsQuery,
        toInput: listJobsInput,
      },
    ],
  }),
  get: operation({
    area: 'job',
    scope: 'read',
    access: 'read',
    kind: 'query',
    input: JobRef,
    output: JobJson,
    rest: [
      {
        method: 'GET',
        path: 'jobs/{jobId}',
        operationId: 'getJob',
        summary: 'One job with parameters, progress, logs, results and error',
        tag: 'Jobs',
        wrap: 'job',
      },
    ],
  }),
  logs: operation({
    area: 'job',
    scope: 'read',
    access: 'read',
    kind: 'query',
    input: JobRef.extend(GetJobLogsInput.shape),
    output: z.array(LogEntryJson),
    rest: [
      {
        method: 'GET',
        path: 'jobs/{jobId}/logs',
        operationId: 'getJobLogs',
        summary: 'The newest log lines of a job, oldest first',
        tag: 'Jobs',
        from: 'query',
        wrap: 'logs',
      },
    ],
  }),
  create: operation({
    area: 'job',
    scope: 'write',
    access: 'create',
    kind: 'mutation',
    input: CreateJobInput,
    output: JobJson,
    rest: [
      {
        method: 'POST',
        path: 'jobs',
        operationId: 'createJob',
        summary: 'Create a job in a batch you may write, or a standalone job',
        tag: 'Jobs',
        from: 'body',
        wrap: 'job',
        successStatus: 201,
      },
    ],
  }),
  delete: operation({
    area: 'job',
    scope: 'write',
    access: 'admin',
    kind: 'mutation',
    input: JobRef.extend(DeleteJobInput.shape),
    output: DeletedJobJson,
    rest: [
      {
        method: 'DELETE',
        path: 'jobs/{jobId}',
        operationId: 'deleteJob',
        summary: 'Delete a job (its batch counters follow); an optional `reason` goes into the audit trail',
        tag: 'Jobs',
        from: 'optional-body',
      },
    ],
    cli: {
      group: 'jobs',
      command: 'delete',
      description: 'Delete a job (its batch counters follow)',
      args: ['job_id'],
      options: { reason: 'why (kept in the audit trail)' },
      confirm: { action: 'delete job {job_id}' },
      done: 'Deleted job {job_id}.',
    },
  }),
  restart: operation({
    area: 'job',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: JobRef.extend(RestartJobInput.shape),
    output: JobJson,
    rest: [
      {
        method: 'POST',
        path: 'jobs/{jobId}/restart',
        operationId: 'restartJob',
        summary: 'Send a completed or failed job back to pending, clearing results, error and progress',
        tag: 'Jobs',
        from: 'optional-body',
        wrap: 'job',
      },
      {
        // The Flask API's place for a restart; kept so old scripts keep working.
        method: 'POST',
        path: '{jobId:^job-}/restart',
        operationId: 'restartJobLegacy',
        summary: 'Legacy alias of POST jobs/{jobId}/restart (job ids start with "job-")',
        tag: 'Jobs',
        from: 'optional-body',
        wrap: 'job',
        deprecated: true,
      },
    ],
  }),
  cancel: operation({
    area: 'job',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: JobRef.extend(CancelJobInput.shape),
    output: JobJson,
    rest: [
      {
        method: 'POST',
        path: 'jobs/{jobId}/cancel',
        operationId: 'cancelJob',
        summary: 'Fail a pending or processing job with error CANCELLED (its worker loses the lease)',
        tag: 'Jobs',
        from: 'optional-body',
        wrap: 'job',
      },
    ],
    cli: {
      group: 'jobs',
      command: 'cancel',
      description: 'Fail a pending or processing job with error CANCELLED',
      args: ['job_id'],
      options: { reason: 'why (shown in the job error and the audit trail)' },
      done: 'Cancelled job {job_id}: now {status}.',
    },
  }),
  changeLanguage: operation({
    area: 'job',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: ChangeJobLanguageInput,
    output: ChangeLanguageResultJson,
    cli: {
      group: 'jobs',
      command: 'change-language',
      description: 'Change the target language of one job',
      args: ['job_id', 'target_language'],
      options: { reset_to_pending: 'also send it back to pending when it is completed or failed' },
      done: 'Changed {updated} job(s) to {target_language}; restarted {restarted}, skipped {skipped}.',
    },
  }),
};
