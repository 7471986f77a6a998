import { z } from 'zod';
import { RenameBatchInput } from '../batch.schema';
import { BatchId, JobId } from '../common.schema';
import { UpdateJobInput } from '../job.schema';
import { BatchJson, JobJson } from '../responses.schema';
import { operation } from './operation';

/** Renames a batch (its jobs keep their names) and/or changes its schedule (start time, deadline). */
export const RenameBatchOperation = operation({
  area: 'batch',
  scope: 'write',
  access: 'write',
  kind: 'mutation',
  input: z.strictObject({ batch_id: BatchId }).extend(RenameBatchInput.shape),
  output: BatchJson,
  rest: [
    {
      method: 'POST',
      path: 'batches/{batchId}/rename',
      operationId: 'renameBatch',
      summary: 'Rename a batch',
      tag: 'Batches',
      from: 'body',
      wrap: 'batch',
      message: 'Batch renamed',
    },
    {
      method: 'POST',
      path: 'batches/{batchId}/update',
      operationId: 'updateBatch',
      summary: "Change a batch's name, start time (`not_before`) or deadline",
      description:
        'Fields left out stay; `not_before` / `deadline` null (or "") removes them. The batch\'s jobs follow the start time at ' +
        'once (the claim reads the copy on each job). A deadline must lie in the future and after the start time (400 naming the field).',
      tag: 'Batches',
      from: 'body',
      wrap: 'batch',
      message: 'Batch updated',
    },
  ],
  cli: [
    {
      group: 'batches',
      command: 'rename',
      description: 'Rename a batch',
      args: ['batch_id', 'batch_name'],
      done: 'Renamed batch {batch_id} to "{batch_name}".',
    },
    {
      group: 'batches',
      command: 'schedule',
      description: 'Set or remove (with "") the start time and deadline of a batch',
      args: ['batch_id'],
      options: {
        not_before: 'no job is handed out before this ISO 8601 date-time ("" removes it)',
        deadline: 'when the batch should be done, ISO 8601 ("" removes it)',
      },
      done: 'Scheduled batch {batch_id}.',
    },
  ],
});

/** Edits a pending or failed job; one a worker took meanwhile is left alone (409). */
export const UpdateJobOperation = operation({
  area: 'job',
  scope: 'write',
  access: 'write',
  kind: 'mutation',
  input: z.strictObject({ job_id: JobId }).extend(UpdateJobInput.shape),
  output: JobJson,
  rest: [
    {
      method: 'POST',
      path: 'jobs/{jobId}/update',
      operationId: 'updateJob',
      summary: "Edit a pending or failed job's name, type, priority, attempts or parameters",
      description:
        '`parameters` replaces the parameters as a whole (checked as on create); fields left out stay. Only a pending or ' +
        'failed job is edited; a job a worker claimed meanwhile answers 409 and stays unchanged.',
      tag: 'Jobs',
      from: 'body',
      wrap: 'job',
      message: 'Job updated',
    },
  ],
  cli: {
    group: 'jobs',
    command: 'update',
    description: "Edit a pending or failed job's name, type, priority or max attempts",
    args: ['job_id'],
    options: {
      job_name: 'the new name',
      job_type: 'the new job type',
      priority: 'the new priority (-100 to 100)',
      max_attempts: 'the new number of attempts (1 to 20)',
    },
    done: 'Updated job {job_id}: {status}.',
  },
});
