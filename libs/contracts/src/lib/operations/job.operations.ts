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
  LocateIdInput,
  RestartJobInput,
  SortDirection,
} from '../job.schema';
import {
  BulkChangeInput,
  BulkChangeLanguageInput,
  BulkPreviewInput,
  BulkProgressInput,
  BulkSetPriorityInput,
  type BulkAction,
} from '../bulk.schema';
import {
  BulkPreviewJson,
  BulkProgressJson,
  BulkRunJson,
  ChangeLanguageResultJson,
  DeletedJobJson,
  JobJson,
  JobListJson,
  LocatedJson,
  LogEntryJson,
} from '../responses.schema';
import { UpdateJobOperation } from './edit.operations';
import { operation } from './operation';
import { TRIAGE_JOB_OPERATIONS } from './triage.operations';

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

/** The CLI options every bulk command takes (its selection and reason). */
const BULK_CLI_OPTIONS = {
  job_ids: 'these jobs (comma-separated ids)',
  batch_ids: 'jobs of these batches (comma-separated ids); without job_ids or batch_ids: your own current batches',
  status: 'only jobs in this status',
  error_code: 'only jobs whose error code is this',
  job_type: 'only jobs of this type',
  search: 'only jobs whose event, session, track or speakers contain this text',
  language: 'only jobs with this target language',
  error_signature: 'only failed jobs of this failure signature (see the failures view)',
  reason: 'why (required; kept in the audit event)',
  run_id: 'a UUID under which `jobs bulk-progress` reads the run\'s progress',
} as const;

/**
 * One bulk change: the selection (ids or a filter), a reason, the typed confirmation beyond one
 * batch; ONE request, ONE audit event. `what`: how the summary and the CLI name it.
 */
function bulkOperation<const Input extends typeof BulkChangeInput | typeof BulkChangeLanguageInput | typeof BulkSetPriorityInput>(
  action: BulkAction,
  input: Input,
  summary: string,
  extraOptions: Readonly<Record<string, string>> = {},
) {
  const verb = action.replace('_', '-');
  return operation({
    area: 'job',
    scope: 'write',
    access: 'bulk',
    kind: 'mutation',
    input,
    output: BulkRunJson,
    rest: [
      {
        method: 'POST',
        path: `jobs/bulk/${verb}`,
        operationId: `bulk${verb.replace(/(^|-)([a-z])/g, (_m, _d, letter: string) => letter.toUpperCase())}Jobs`,
        summary,
        description:
          'Acts on `job_ids` or on the jobs matching the filter fields, in pages; each job changes by one conditional ' +
          'update, so a job that changed meanwhile is skipped and counted in `skipped`. Needs `reason`; needs `confirm` ' +
          '(the preview\'s `confirm_phrase`) when the jobs are in more than one batch. Writes one audit event.',
        tag: 'Jobs',
        from: 'body',
      },
    ],
    cli: {
      group: 'jobs',
      command: `bulk-${verb}`,
      description: summary,
      args: [],
      options: { ...BULK_CLI_OPTIONS, ...extraOptions },
      confirm: {
        action: `${action.replace('_', ' ')} {jobs} job(s) in {batches} batch(es)`,
        preview: 'bulkPreview',
        previewInput: { action },
        confirmField: 'confirm',
        nothing: 'Nothing to do: no job matches.',
      },
      done: '{action}: changed {changed} of {matched} job(s) in {batches} batch(es), skipped {skipped}.',
    },
  });
}

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
  locate: operation({
    area: 'job',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: LocateIdInput,
    output: LocatedJson,
    rest: [
      {
        method: 'GET',
        path: 'ids/{id}',
        operationId: 'locateId',
        summary: 'What an id names: a job or a batch you may read, or neither (the jobs page\'s go-to-id; never 404)',
        tag: 'Jobs',
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
        description: 'An `Idempotency-Key` header (or `idempotency_key` in the body) makes retries safe, as for batches.',
        tag: 'Jobs',
        from: 'body',
        wrap: 'job',
        successStatus: 201,
        idempotencyHeader: true,
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
  /** What a bulk change would touch: counts, batches and owners, and the phrase that confirms it. */
  bulkPreview: operation({
    area: 'job',
    scope: 'read',
    access: 'preview',
    kind: 'query',
    input: BulkPreviewInput,
    output: BulkPreviewJson,
    rest: [
      {
        // POST with a body, though it changes nothing: a selection may name 10,000 ids, which no
        // URL carries (Node refuses request heads over 16 KB, nginx over 8 KB by default).
        method: 'POST',
        path: 'jobs/bulk/preview',
        operationId: 'previewBulkJobs',
        summary: 'What a bulk action would change: jobs, batches, owners, and the confirmation phrase (changes nothing)',
        tag: 'Jobs',
        from: 'body',
      },
    ],
  }),
  /** How far a running bulk change is (the caller's own runs, by the `run_id` it gave the call). */
  bulkProgress: operation({
    area: 'job',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: BulkProgressInput,
    output: BulkProgressJson,
    rest: [
      {
        method: 'GET',
        path: 'jobs/bulk/runs/{runId}',
        operationId: 'getBulkProgress',
        summary: 'Progress of a bulk change started with this run_id (matched, done, changed; state)',
        description:
          'Only the caller\'s own runs; any other id answers `state: unknown` (as does a run that has not started yet, ' +
          'so a client may poll from the moment it sends the bulk call). Runs are kept for a day.',
        tag: 'Jobs',
      },
    ],
    cli: {
      group: 'jobs',
      command: 'bulk-progress',
      description: 'Progress of a bulk change by its run id',
      args: ['run_id'],
      done: '{state}: {done} of {matched} job(s) done, {changed} changed.',
    },
  }),
  bulkRestart: bulkOperation('restart', BulkChangeInput, 'Restart the failed and completed jobs of a selection'),
  bulkFail: bulkOperation('fail', BulkChangeInput, 'Fail the pending and processing jobs of a selection (error FORCED_FAILURE)'),
  bulkCancel: bulkOperation('cancel', BulkChangeInput, 'Cancel the pending and processing jobs of a selection (error CANCELLED)'),
  bulkDelete: bulkOperation('delete', BulkChangeInput, 'Delete the jobs of a selection (batches you may administer)'),
  bulkChangeLanguage: bulkOperation(
    'change_language',
    BulkChangeLanguageInput,
    'Change the target language of the pending, failed and completed jobs of a selection',
    { target_language: 'the new target language', reset_to_pending: 'also send completed and failed jobs back to pending' },
  ),
  bulkSetPriority: bulkOperation('set_priority', BulkSetPriorityInput, 'Set the priority of the jobs of a selection', {
    priority: 'the new priority (-100 to 100)',
  }),
  update: UpdateJobOperation,
  ...TRIAGE_JOB_OPERATIONS,
};
