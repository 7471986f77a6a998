import { z } from 'zod';
import {
  BatchId,
  BooleanLike,
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

export const CreateBatchInput = z.strictObject({
  batch_id: NewBatchId.optional(),
  batch_name: z.string().trim().max(200).optional(),
  jobs: z.array(NewBatchJobInput).min(1).max(MAX_JOBS_PER_BATCH),
  visibility: Visibility.optional(),
  read_access: UserIdList.optional(),
  write_access: UserIdList.optional(),
  admin_access: UserIdList.optional(),
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

/** A batch's new name (what the list and the history show). */
export const RenameBatchInput = z.strictObject({ batch_name: z.string().trim().min(1).max(200) });
export type RenameBatchInput = z.infer<typeof RenameBatchInput>;

export const DeleteBatchInput = z.strictObject({ reason: z.string().trim().max(1000).optional() });
export type DeleteBatchInput = z.infer<typeof DeleteBatchInput>;
