import { z } from 'zod';
import { BatchId } from '../common.schema';
import {
  ChangeLanguageInput,
  CreateBatchInput,
  DeleteBatchInput,
  FailAllInput,
  ListBatchesInput,
  RestartBatchInput,
  SetAllPendingInput,
} from '../batch.schema';
import {
  BatchJson,
  BatchListJson,
  BatchStatsJson,
  BatchTabsJson,
  BulkResultJson,
  ChangeLanguageResultJson,
  CreatedBatchJson,
  DeletedBatchJson,
  RestartedJson,
} from '../responses.schema';
import { BatchOverviewJson } from '../overview.schema';
import { RenameBatchOperation } from './edit.operations';
import { FindUsersOperation, ShareBatchOperation } from './sharing.operations';
import { operation } from './operation';

const BatchRef = z.strictObject({ batch_id: BatchId });

/** Toggle-active: a given `active` sets it, none toggles. */
export const ToggleActiveInput = BatchRef.extend({ active: z.boolean().optional() });

/** The batch operations; the keys are the tRPC procedure names under `batch.`. */
export const BATCH_OPERATIONS = {
  list: operation({
    area: 'batch',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: ListBatchesInput,
    inputOptional: true,
    output: BatchListJson,
    rest: [
      {
        method: 'GET',
        path: 'batches',
        operationId: 'listBatches',
        summary: 'List batches (current or archived), newest first, one page per cursor; total counts the filter',
        tag: 'Batches',
        from: 'query',
      },
    ],
  }),
  tabs: operation({ area: 'batch', scope: 'read', access: 'listed', kind: 'query', input: undefined, output: BatchTabsJson }),
  stats: operation({
    area: 'batch',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: undefined,
    output: BatchStatsJson,
    rest: [{ method: 'GET', path: 'batches/stats', operationId: 'batchStats', summary: 'Dashboard numbers over the readable batches', tag: 'Batches' }],
  }),
  /** The dashboard's strip: queue now, finished in the last hour, active workers (issue 18 item 6). */
  overview: operation({
    area: 'batch',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: undefined,
    output: BatchOverviewJson,
    rest: [
      {
        method: 'GET',
        path: 'batches/overview',
        operationId: 'batchOverview',
        summary: 'Pending and processing jobs now, jobs completed and failed in the last hour, workers active in the last 5 minutes',
        description:
          'Counts over the batches you may read: the queue from the current batches\' counters, the last hour from the jobs ' +
          'finished in it (an index range on completed_at), workers from those seen by the server (the queue is shared).',
        tag: 'Batches',
      },
    ],
  }),
  get: operation({
    area: 'batch',
    scope: 'read',
    access: 'read',
    kind: 'query',
    input: BatchRef,
    output: BatchJson,
    rest: [{ method: 'GET', path: 'batches/{batchId}', operationId: 'getBatch', summary: 'One batch with its counters', tag: 'Batches', wrap: 'batch' }],
  }),
  create: operation({
    area: 'batch',
    scope: 'write',
    access: 'create',
    kind: 'mutation',
    input: CreateBatchInput,
    output: CreatedBatchJson,
    rest: [
      {
        method: 'POST',
        path: 'batches',
        operationId: 'createBatch',
        summary: 'Create a batch with its jobs (up to 10,000)',
        description:
          'An `Idempotency-Key` header (or the body field `idempotency_key`) makes retries safe: the same key with the same body answers the first answer again and creates nothing; with another body it is a 422. Keys are kept 24 hours. ' +
          'Answers `data.batch`, `data.batch_id` (the same id, where the concept\'s clients read it) and `data.job_ids`. ' +
          'Without `batch_name` the batch is named `Batch <ISO date>`. A job without `job_type` needs a session or a URL.',
        tag: 'Batches',
        from: 'body',
        successStatus: 201,
        idempotencyHeader: true,
        message: 'Batch created',
      },
    ],
  }),
  delete: operation({
    area: 'batch',
    scope: 'write',
    access: 'admin',
    kind: 'mutation',
    input: BatchRef.extend(DeleteBatchInput.shape),
    output: DeletedBatchJson,
    rest: [
      {
        method: 'DELETE',
        path: 'batches/{batchId}',
        operationId: 'deleteBatch',
        summary: 'Delete a batch and its jobs; an optional `reason` goes into the audit trail',
        tag: 'Batches',
        from: 'optional-body',
      },
    ],
    cli: {
      group: 'batches',
      command: 'delete',
      description: 'Delete a batch and its jobs',
      args: ['batch_id'],
      options: { reason: 'why (kept in the audit trail)' },
      confirm: { action: 'delete batch {batch_id} and all its jobs' },
      done: 'Deleted batch {batch_id} and its {deleted_jobs} job(s).',
    },
  }),
  archive: operation({
    area: 'batch',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: BatchRef,
    output: BatchJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/{batchId}/archive',
        operationId: 'archiveBatch',
        summary: 'Archive a batch (its jobs are no longer handed out)',
        tag: 'Batches',
        wrap: 'batch',
      },
    ],
  }),
  unarchive: operation({
    area: 'batch',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: BatchRef,
    output: BatchJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/{batchId}/unarchive',
        operationId: 'unarchiveBatch',
        summary: 'Bring an archived batch back to the current ones',
        tag: 'Batches',
        wrap: 'batch',
      },
    ],
  }),
  toggleActive: operation({
    area: 'batch',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: ToggleActiveInput,
    output: BatchJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/{batchId}/toggle-active',
        operationId: 'toggleBatchActive',
        summary: 'Pause or resume handing out the jobs of a batch (no body toggles)',
        tag: 'Batches',
        from: 'optional-body',
        wrap: 'batch',
      },
    ],
    cli: {
      group: 'batches',
      command: 'toggle-active',
      description: 'Pause or resume handing out the jobs of a batch (neither flag toggles)',
      args: ['batch_id'],
      options: { active: 'resume (--active) or pause (--no-active) instead of toggling' },
      done: 'Batch {batch_id} active: {isActive}.',
    },
  }),
  previewFailAll: operation({
    area: 'batch',
    scope: 'read',
    access: 'preview',
    kind: 'query',
    input: undefined,
    output: BulkResultJson,
    rest: [{ method: 'GET', path: 'batches/fail-all/preview', operationId: 'previewFailAll', summary: 'What fail-all would touch', tag: 'Batches' }],
  }),
  failAll: operation({
    area: 'batch',
    scope: 'write',
    access: 'bulk',
    kind: 'mutation',
    input: FailAllInput,
    inputOptional: true,
    output: BulkResultJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/fail-all',
        operationId: 'failAllBatches',
        summary: 'Fail every pending or processing job of the current batches you may write',
        tag: 'Batches',
        from: 'optional-body',
      },
    ],
    cli: {
      group: 'batches',
      command: 'fail-all',
      description: 'Mark every pending and processing job you may change as failed',
      args: [],
      options: { reason: 'the error message the jobs get' },
      confirm: {
        action: 'fail {jobs} job(s) in {batches} batch(es)',
        preview: 'previewFailAll',
        nothing: 'Nothing to fail: no pending or processing jobs.',
      },
      done: 'Failed {jobs} job(s) in {batches} batch(es).',
    },
  }),
  previewSetAllPending: operation({
    area: 'batch',
    scope: 'read',
    access: 'preview',
    kind: 'query',
    input: undefined,
    output: BulkResultJson,
    rest: [
      {
        method: 'GET',
        path: 'batches/set-all-pending/preview',
        operationId: 'previewSetAllPending',
        summary: 'What set-all-pending would touch',
        tag: 'Batches',
      },
    ],
  }),
  setAllPending: operation({
    area: 'batch',
    scope: 'write',
    access: 'bulk',
    kind: 'mutation',
    input: SetAllPendingInput,
    inputOptional: true,
    output: BulkResultJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/set-all-pending',
        operationId: 'setAllPending',
        summary: 'Restart every failed or completed job of the current batches you may write',
        tag: 'Batches',
        from: 'optional-body',
      },
    ],
    cli: {
      group: 'batches',
      command: 'set-all-pending',
      description: 'Send every failed and completed job you may change back to pending',
      args: [],
      options: { reason: 'why (kept in the audit trail)' },
      confirm: {
        action: 'restart {jobs} job(s) in {batches} batch(es)',
        preview: 'previewSetAllPending',
        nothing: 'Nothing to restart: no failed or completed jobs.',
      },
      done: 'Restarted {jobs} job(s) in {batches} batch(es).',
    },
  }),
  restart: operation({
    area: 'batch',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: BatchRef.extend(RestartBatchInput.shape),
    output: RestartedJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/{batchId}/restart',
        operationId: 'restartBatch',
        summary: "Restart a batch's failed jobs (scope 'failed') or its failed and completed ones ('all')",
        tag: 'Batches',
        from: 'optional-body',
      },
    ],
  }),
  /** Any target: one job, one batch or all current batches. */
  changeLanguage: operation({
    area: 'batch',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    input: ChangeLanguageInput,
    output: ChangeLanguageResultJson,
    rest: [
      {
        method: 'POST',
        path: 'jobs/change-language',
        operationId: 'changeLanguage',
        summary: 'Change the target language of one job, one batch or all current batches',
        tag: 'Jobs',
        from: 'body',
      },
    ],
    cli: [
      {
        group: 'batches',
        command: 'change-language',
        description: 'Change the target language of every job of a batch',
        args: ['target.batch_id', 'target_language'],
        options: { reset_to_pending: 'also send completed and failed jobs back to pending' },
        done: 'Changed {updated} job(s) of {target.batch_id} to {target_language}; restarted {restarted}, skipped {skipped}.',
      },
      {
        group: 'batches',
        command: 'change-language-all',
        description: 'Change the target language of every job of every current batch you may change',
        args: ['target_language'],
        fixed: { 'target.all_current': true },
        options: { reset_to_pending: 'also send completed and failed jobs back to pending' },
        confirm: { action: 'change the target language of every job of all current batches to {target_language}' },
        done: 'Changed {updated} job(s) of all current batches to {target_language}; restarted {restarted}, skipped {skipped}.',
      },
    ],
  }),
  /** changeLanguage of one batch, the batch given by the REST path. */
  changeBatchLanguage: operation({
    area: 'batch',
    scope: 'write',
    access: 'write',
    kind: 'mutation',
    trpc: false,
    input: BatchRef.extend(ChangeLanguageInput.omit({ target: true }).shape),
    output: ChangeLanguageResultJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/{batchId}/change-language',
        operationId: 'changeBatchLanguage',
        summary: 'Change the target language of every job of a batch, optionally restarting finished ones',
        tag: 'Batches',
        from: 'body',
      },
    ],
  }),
  rename: RenameBatchOperation,
  share: ShareBatchOperation,
  findUsers: FindUsersOperation,
};
