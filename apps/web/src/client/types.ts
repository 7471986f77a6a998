import type { RouterInputs, RouterOutputs } from '@event-monitor/api';

export type Batch = RouterOutputs['batch']['get'];
export type JobListItem = RouterOutputs['job']['list']['jobs'][number];
export type Job = RouterOutputs['job']['get'];
export type JobStatusValue = Batch['status'];
export const JOB_STATUS_VALUES = ['pending', 'processing', 'completed', 'failed'] as const;

export type LanguageCode = RouterInputs['job']['changeLanguage']['target_language'];
export type CreateBatchRequest = RouterInputs['batch']['create'];
