import { PauseJobTypeInput, ResumeJobTypeInput, SetJobTypeLimitsInput } from '../flow.schema';
import { JobTypeFlowJson, JobTypeFlowListJson } from '../responses.schema';
import { operation } from './operation';

/**
 * Flow control per job type (issue 20): pause / resume and limits (concurrency, starts per
 * minute), enforced by the claim. Installation-wide settings: every reader sees them, only admins
 * change them.
 */
export const FLOW_OPERATIONS = {
  list: operation({
    area: 'flow',
    scope: 'read',
    access: 'shared',
    kind: 'query',
    input: undefined,
    output: JobTypeFlowListJson,
    rest: [
      {
        method: 'GET',
        path: 'job-types/flow',
        operationId: 'listJobTypeFlow',
        summary: 'Paused job types and limits per job type, with the slots they hold now',
        tag: 'Jobs',
      },
    ],
    cli: { group: 'job-types', command: 'list', description: 'Paused job types and limits per job type', args: [], done: '{job_types.length} job type(s) with a pause or a limit.' },
  }),
  setLimits: operation({
    area: 'flow',
    scope: 'write',
    access: 'settings',
    kind: 'mutation',
    input: SetJobTypeLimitsInput,
    output: JobTypeFlowJson,
    rest: [
      {
        method: 'POST',
        path: 'job-types/limits',
        operationId: 'setJobTypeLimits',
        summary: 'Set (or clear with null) the concurrency limit and the starts per minute of a job type (admins)',
        description:
          'Enforced by the claim of this app (REST and SDK workers). Legacy workers that claim directly in MongoDB do not honour limits; the jobs they take count against them.',
        tag: 'Jobs',
        from: 'body',
      },
    ],
    cli: {
      group: 'job-types',
      command: 'set-limits',
      description: 'Set the limits of a job type (admins)',
      args: ['job_type'],
      options: { max_concurrent: 'jobs processing at once (none: no limit)', rate_per_minute: 'jobs started per minute (none: no limit)' },
      done: 'Limits of {job_type} set.',
    },
  }),
  pause: operation({
    area: 'flow',
    scope: 'write',
    access: 'settings',
    kind: 'mutation',
    input: PauseJobTypeInput,
    output: JobTypeFlowJson,
    rest: [
      {
        method: 'POST',
        path: 'job-types/pause',
        operationId: 'pauseJobType',
        summary: 'Stop handing out jobs of a type, optionally until `resume_at` (admins)',
        tag: 'Jobs',
        from: 'body',
      },
    ],
    cli: {
      group: 'job-types',
      command: 'pause',
      description: 'Stop handing out jobs of a type (admins)',
      args: ['job_type'],
      options: { resume_at: 'resume automatically at this time (ISO 8601)' },
      done: 'Paused {job_type}.',
    },
  }),
  resume: operation({
    area: 'flow',
    scope: 'write',
    access: 'settings',
    kind: 'mutation',
    input: ResumeJobTypeInput,
    output: JobTypeFlowJson,
    rest: [
      { method: 'POST', path: 'job-types/resume', operationId: 'resumeJobType', summary: 'Hand out jobs of a paused type again (admins)', tag: 'Jobs', from: 'body' },
    ],
    cli: { group: 'job-types', command: 'resume', description: 'Hand out jobs of a paused type again (admins)', args: ['job_type'], done: 'Resumed {job_type}.' },
  }),
};
