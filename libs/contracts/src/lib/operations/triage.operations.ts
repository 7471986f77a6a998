import { FailureGroupsInput, FailureGroupsJson } from '../triage.schema';
import { operation } from './operation';

/**
 * The failure triage operations (issue 18 item 3), merged at the end of JOB_OPERATIONS; the keys
 * are tRPC procedure names under `job.`. The unresolved failures themselves are `job.list` with
 * `status: failed` (and `error_signature` for one group); a group restarts through
 * `job.bulkRestart` with its `error_signature`.
 */
export const TRIAGE_JOB_OPERATIONS = {
  failureGroups: operation({
    area: 'job',
    scope: 'read',
    access: 'listed',
    kind: 'query',
    input: FailureGroupsInput,
    inputOptional: true,
    output: FailureGroupsJson,
    rest: [
      {
        method: 'GET',
        path: 'jobs/failures/groups',
        operationId: 'listFailureGroups',
        summary:
          'Failed jobs you may read, grouped by signature (code + normalised message): counts, first/last seen, batches',
        description:
          'A signature is the error code and the first line of the message with URLs, paths, ids and numbers replaced. ' +
          'Largest groups first; `limit` groups (default 100). Restart a group with POST jobs/bulk/restart and its ' +
          '`error_signature` (the jobs of the group you may write, in every batch).',
        tag: 'Jobs',
        from: 'query',
      },
    ],
  }),
};
