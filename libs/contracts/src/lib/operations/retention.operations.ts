import {
  BatchRetentionJson,
  RetentionPolicyJson,
  RetentionPreviewInput,
  RetentionPreviewJson,
  RetentionRunJson,
  SetBatchRetentionInput,
  SetRetentionPolicyInput,
} from '../retention.schema';
import { operation } from './operation';

/**
 * Retention of finished batches (issue 20 item 5): the installation's policy, a preview of the next
 * run and a run (admins; the maintenance sweep also runs it at most once an hour), and a batch's own
 * override (whoever may delete the batch).
 */
export const RETENTION_OPERATIONS = {
  preview: operation({
    area: 'retention',
    scope: 'write',
    access: 'settings',
    kind: 'query',
    input: RetentionPreviewInput,
    inputOptional: true,
    output: RetentionPreviewJson,
    rest: [
      {
        method: 'GET',
        path: 'retention',
        operationId: 'previewRetention',
        summary: 'The retention policy and what its next run would archive and delete (admins)',
        tag: 'Batches',
        from: 'query',
      },
    ],
    cli: {
      group: 'retention',
      command: 'preview',
      description: 'The retention policy and what its next run would do (admins)',
      args: [],
      options: { limit: 'batch ids shown per action (default 10)' },
      done: 'Would archive {archive.count} and delete {delete.count} batch(es); {held} held by unfinished jobs.',
    },
  }),
  setPolicy: operation({
    area: 'retention',
    scope: 'write',
    access: 'settings',
    kind: 'mutation',
    input: SetRetentionPolicyInput,
    output: RetentionPolicyJson,
    rest: [
      {
        method: 'POST',
        path: 'retention/policy',
        operationId: 'setRetentionPolicy',
        summary: 'Set (or turn off with null) the days after which finished batches are archived and archived ones deleted (admins)',
        tag: 'Batches',
        from: 'body',
      },
    ],
    cli: {
      group: 'retention',
      command: 'set-policy',
      description: 'Set the retention policy (admins)',
      args: [],
      options: {
        archive_finished_after_days: 'archive finished batches after this many days (none: off)',
        delete_archived_after_days: 'delete archived batches after this many days (none: off)',
      },
      done: 'Retention policy set.',
    },
  }),
  run: operation({
    area: 'retention',
    scope: 'write',
    access: 'settings',
    kind: 'mutation',
    input: RetentionPreviewInput,
    inputOptional: true,
    output: RetentionRunJson,
    rest: [
      {
        method: 'POST',
        path: 'retention/run',
        operationId: 'runRetention',
        summary: 'Archive and delete what the retention policy says is due, now (admins)',
        description:
          'Never touches a batch with a pending, processing or leased job (a legacy worker may hold it). Deletes jobs, logs and results with the batch.',
        tag: 'Batches',
        from: 'optional-body',
      },
    ],
    cli: {
      group: 'retention',
      command: 'run',
      description: 'Run the retention policy now (admins)',
      args: [],
      confirm: { action: 'run the retention policy now (archive and delete what is due)' },
      done: 'Archived {archive.count} and deleted {delete.count} batch(es) ({deleted_jobs} jobs).',
    },
  }),
  setBatch: operation({
    area: 'retention',
    scope: 'write',
    access: 'admin',
    kind: 'mutation',
    input: SetBatchRetentionInput,
    output: BatchRetentionJson,
    rest: [
      {
        method: 'POST',
        path: 'batches/{batchId}/retention',
        operationId: 'setBatchRetention',
        summary: "Keep a batch, or set its own days for archiving and deleting (null removes a setting)",
        tag: 'Batches',
        from: 'body',
      },
    ],
    cli: {
      group: 'retention',
      command: 'set-batch',
      description: 'Keep a batch or give it its own retention days',
      args: ['batch_id'],
      options: {
        keep: 'never archive or delete this batch automatically',
        archive_after_days: 'archive it this many days after it finished (none: as the installation)',
        delete_after_days: 'delete it this many days after it was archived (none: as the installation)',
      },
      done: 'Retention of {batch_id} set.',
    },
  }),
};
