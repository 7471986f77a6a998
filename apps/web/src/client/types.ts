import type { RouterInputs, RouterOutputs } from '@event-monitor/api';

export type Batch = RouterOutputs['batch']['get'];
export type JobListItem = RouterOutputs['job']['list']['jobs'][number];
export type Job = RouterOutputs['job']['get'];
export type JobStatusValue = Batch['status'];
export { JOB_STATUSES as JOB_STATUS_VALUES } from '@event-monitor/contracts';

export type LanguageCode = RouterInputs['job']['changeLanguage']['target_language'];
export type CreateBatchRequest = RouterInputs['batch']['create'];
