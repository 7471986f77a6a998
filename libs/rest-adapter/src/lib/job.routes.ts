import {
  CancelJobInput,
  cancelJob,
  ChangeLanguageInput,
  changeLanguage,
  CreateJobInput,
  createJob,
  deleteJob,
  getJob,
  getJobLogs,
  GetJobLogsInput,
  JobSortField,
  ListJobsFields,
  listJobs,
  RestartJobInput,
  restartJob,
  SortDirection,
} from '@event-monitor/domain';
import { bodyObject, untrusted } from './input';
import { ChangeLanguageResultJson, DeletedJobJson, JobEnvelopeJson, JobListJson, LogsJson } from './response.schemas';
import type { RouteContext, RouteDef, RouteResult } from './route';

/** The list query as a URL carries it: `sort` and `direction` flat instead of the nested `sort`. */
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

async function restart({ deps, actor, params, body }: RouteContext): Promise<RouteResult> {
  return { data: { job: await restartJob(deps, actor, params['jobId'], untrusted(bodyObject(body))) } };
}

export const jobRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: 'jobs',
    operationId: 'listJobs',
    summary: 'List jobs (of a batch, by status, by text), one page per cursor; total counts the filter',
    tag: 'Jobs',
    scope: 'read',
    query: ListJobsQuery,
    response: JobListJson,
    handle: async ({ deps, actor, query }) => ({ data: await listJobs(deps, actor, untrusted(listJobsInput(query))) }),
  },
  {
    method: 'POST',
    path: 'jobs',
    operationId: 'createJob',
    summary: 'Create a job in a batch you may write, or a standalone job',
    tag: 'Jobs',
    scope: 'write',
    body: { schema: CreateJobInput, required: true },
    response: JobEnvelopeJson,
    successStatus: 201,
    handle: async ({ deps, actor, body }) => ({ data: { job: await createJob(deps, actor, untrusted(bodyObject(body))) }, status: 201 }),
  },
  {
    method: 'POST',
    path: 'jobs/change-language',
    operationId: 'changeLanguage',
    summary: 'Change the target language of one job, one batch or all current batches',
    tag: 'Jobs',
    scope: 'write',
    body: { schema: ChangeLanguageInput, required: true },
    response: ChangeLanguageResultJson,
    handle: async ({ deps, actor, body }) => ({ data: await changeLanguage(deps, actor, untrusted(bodyObject(body))) }),
  },
  {
    method: 'GET',
    path: 'jobs/{jobId}',
    operationId: 'getJob',
    summary: 'One job with parameters, progress, logs, results and error',
    tag: 'Jobs',
    scope: 'read',
    response: JobEnvelopeJson,
    handle: async ({ deps, actor, params }) => ({ data: { job: await getJob(deps, actor, params['jobId']) } }),
  },
  {
    method: 'DELETE',
    path: 'jobs/{jobId}',
    operationId: 'deleteJob',
    summary: 'Delete a job (its batch counters follow)',
    tag: 'Jobs',
    scope: 'write',
    response: DeletedJobJson,
    handle: async ({ deps, actor, params }) => ({ data: await deleteJob(deps, actor, params['jobId']) }),
  },
  {
    method: 'POST',
    path: 'jobs/{jobId}/restart',
    operationId: 'restartJob',
    summary: 'Send a completed or failed job back to pending, clearing results, error and progress',
    tag: 'Jobs',
    scope: 'write',
    body: { schema: RestartJobInput, required: false },
    response: JobEnvelopeJson,
    handle: restart,
  },
  {
    method: 'POST',
    path: 'jobs/{jobId}/cancel',
    operationId: 'cancelJob',
    summary: 'Fail a pending or processing job with error CANCELLED (its worker loses the lease)',
    tag: 'Jobs',
    scope: 'write',
    body: { schema: CancelJobInput, required: false },
    response: JobEnvelopeJson,
    handle: async ({ deps, actor, params, body }) => ({
      data: { job: await cancelJob(deps, actor, params['jobId'], untrusted(bodyObject(body))) },
    }),
  },
  {
    method: 'GET',
    path: 'jobs/{jobId}/logs',
    operationId: 'getJobLogs',
    summary: 'The newest log lines of a job, oldest first',
    tag: 'Jobs',
    scope: 'read',
    query: GetJobLogsInput,
    response: LogsJson,
    handle: async ({ deps, actor, params, query }) => ({ data: { logs: await getJobLogs(deps, actor, params['jobId'], untrusted(query)) } }),
  },
  {
    // The Flask API's place for a restart; kept so old scripts keep working.
    method: 'POST',
    path: '{jobId:^job-}/restart',
    operationId: 'restartJobLegacy',
    summary: 'Legacy alias of POST jobs/{jobId}/restart (job ids start with "job-")',
    tag: 'Jobs',
    scope: 'write',
    body: { schema: RestartJobInput, required: false },
    response: JobEnvelopeJson,
    deprecated: true,
    handle: restart,
  },
];
