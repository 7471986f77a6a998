import { z } from 'zod';
import {
  BatchId,
  BooleanLike,
  DateLike,
  intLike,
  JobId,
  JobStatus,
  LanguageCode,
  NewBatchId,
  PageCursor,
  UserIdList,
  Visibility,
} from './common.schema';
import { IdempotencyKey } from './idempotency.schema';
import { NewBatchJobInput } from './job.schema';

export const MAX_JOBS_PER_BATCH = 10_000;

/** A batch's start time or deadline: an ISO 8601 date-time with offset (or a Date over tRPC). */
export const ScheduleDate = DateLike.refine(
  (date) => date.getUTCFullYear() >= 2000 && date.getUTCFullYear() <= 9999,
  'Must be a date between the years 2000 and 9999',
);
/** On edit: a new date, or null / "" to remove it (the stored key goes, never null). */
export const ScheduleDateEdit = z.union([ScheduleDate, z.null(), z.literal('').transform(() => null)]);
const SCHEDULE_DOC = {
  not_before: 'No worker is handed a job of the batch before this instant (ISO 8601 with offset). Legacy workers ignore it.',
  deadline: 'When the batch should be done; answers carry `deadline_risk` from the ETA. Must lie in the future and after `not_before`.',
};

export const CreateBatchInput = z.strictObject({
  batch_id: NewBatchId.optional(),
  batch_name: z.string().trim().max(200).optional(),
  jobs: z.array(NewBatchJobInput).min(1).max(MAX_JOBS_PER_BATCH),
  visibility: Visibility.optional(),
  read_access: UserIdList.optional(),
  write_access: UserIdList.optional(),
  admin_access: UserIdList.optional(),
  not_before: ScheduleDate.optional().meta({ description: SCHEDULE_DOC.not_before }),
  deadline: ScheduleDate.optional().meta({ description: SCHEDULE_DOC.deadline }),
  idempotency_key: IdempotencyKey.optional(),
});
export type CreateBatchInput = z.infer<typeof CreateBatchInput>;

export const ListBatchesInput = z.strictObject({
  archived: BooleanLike.default(false),
  status: JobStatus.optional(),
  /** Case-insensitive substring of the batch name (taken literally, not as a regex). */
  search: z.string().trim().max(200).optional(),
  limit: intLike(1, 100).default(20),
  /** Where the page starts: the `next_cursor` of the previous page. Not together with `skip`. */
  cursor: PageCursor.optional(),
  /** Legacy offset paging (slow deep in a list); prefer `cursor`. */
  skip: intLike(0, 1_000_000).optional(),
});
export type ListBatchesInput = z.infer<typeof ListBatchesInput>;

export const ChangeLanguageTarget = z.union([
  z.strictObject({ job_id: JobId }),
  z.strictObject({ batch_id: BatchId }),
  z.strictObject({ all_current: z.literal(true) }),
]);
export type ChangeLanguageTarget = z.infer<typeof ChangeLanguageTarget>;

export const ChangeLanguageInput = z.strictObject({
  target: ChangeLanguageTarget,
  target_language: LanguageCode,
  /** Also restart completed/failed jobs; processing jobs are then skipped entirely. */
  reset_to_pending: BooleanLike.default(false),
});
export type ChangeLanguageInput = z.infer<typeof ChangeLanguageInput>;

export const RestartBatchInput = z.strictObject({
  scope: z.enum(['failed', 'all']).default('failed'),
  /** Stored in the audit trail. */
  reason: z.string().trim().max(1000).optional(),
});
export type RestartBatchInput = z.infer<typeof RestartBatchInput>;

export const FailAllInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export type FailAllInput = z.infer<typeof FailAllInput>;

/** Optional inputs of setAllPending and deleteBatch; the reason is stored in the audit trail. */
export const SetAllPendingInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export type SetAllPendingInput = z.infer<typeof SetAllPendingInput>;

/**
 * A batch's new name (what the list and the history show) and/or its schedule; fields left out
 * stay, null (or "") removes a start time or deadline.
 */
export const RenameBatchInput = z.strictObject({
  batch_name: z.string().trim().min(1).max(200).optional(),
  not_before: ScheduleDateEdit.optional().meta({ description: SCHEDULE_DOC.not_before + ' null removes it.' }),
  deadline: ScheduleDateEdit.optional().meta({ description: SCHEDULE_DOC.deadline + ' null removes it.' }),
});
export type RenameBatchInput = z.infer<typeof RenameBatchInput>;

export const DeleteBatchInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export type DeleteBatchInput = z.infer<typeof DeleteBatchInput>;
