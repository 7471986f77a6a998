import { z } from 'zod';
import { BatchId, BooleanLike, intLike, JobId, JobStatus, LanguageCode } from './common.schema';
import { ErrorSignature } from './triage.schema';

/** The bulk actions on jobs; each has its own operation and audit action. */
export const BULK_ACTIONS = ['restart', 'fail', 'cancel', 'delete', 'change_language', 'set_priority'] as const;
export const BulkAction = z.enum(BULK_ACTIONS);
export type BulkAction = z.infer<typeof BulkAction>;

/** At most this many jobs per bulk call (ten full batches); a larger selection is refused, narrow the filter. */
export const MAX_BULK_JOBS = 100_000;
/** At most this many ids in `job_ids` / `batch_ids`. */
export const MAX_BULK_IDS = 10_000;

/** A list of ids as JSON sends it, or comma-separated as a query string or a CLI option does. */
function idList<T extends z.ZodType<string, string>>(id: T) {
  const list = z.array(id).min(1).max(MAX_BULK_IDS);
  return z.union([
    list,
    z
      .string()
      .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
      .pipe(list),
  ]);
}

/**
 * What a bulk operation acts on: the jobs named in `job_ids`, or the jobs matching the filter
 * fields (ANDed). Without `job_ids`, `batch_ids` and `error_signature` it is the caller's OWN jobs
 * of current batches: a filter never reaches other users' batches unless they are named. Either way only
 * jobs of batches the caller may write are touched (may administer, for delete).
 */
export const BulkSelectionFields = {
  job_ids: idList(JobId).optional(),
  batch_ids: idList(BatchId).optional(),
  status: JobStatus.optional(),
  /** `error.code` of the job, exactly. */
  error_code: z.string().trim().min(1).max(100).optional(),
  job_type: z.string().trim().min(1).max(100).optional(),
  /** Case-insensitive text over event, session, track and speakers (as the job list searches). */
  search: z.string().trim().min(1).max(200).optional(),
  /** `parameters.target_language` of the job. */
  language: LanguageCode.optional(),
  /**
   * The failure signature of the job (a group of the failures view). Like ids it names what to act
   * on: without `job_ids` / `batch_ids` it reaches the group's jobs in every batch the caller may write.
   */
  error_signature: ErrorSignature.optional(),
};

export const BulkSelection = z.strictObject(BulkSelectionFields);
export type BulkSelection = z.infer<typeof BulkSelection>;

export const BulkPreviewInput = z.strictObject({ ...BulkSelectionFields, action: BulkAction });
export type BulkPreviewInput = z.infer<typeof BulkPreviewInput>;

/** What every bulk change takes besides the selection. */
const bulkChangeFields = {
  ...BulkSelectionFields,
  /** Why: required, kept in the audit event (and the error of failed or cancelled jobs). */
  reason: z.string().trim().min(1, 'A reason is required').max(1000),
  /**
   * The preview's `confirm_phrase`, typed back: required when the selection reaches more than one
   * batch. It names the count; the server refuses when more jobs match than it names.
   */
  confirm: z.string().trim().max(200).optional(),
  /**
   * A client-chosen id (a UUID) of this run: while it runs, `bulkProgress` with the same id answers
   * how many of the matched jobs are done (a dialog polls it for a large selection).
   */
  run_id: z.uuid().optional(),
};

export const BulkChangeInput = z.strictObject(bulkChangeFields);
export type BulkChangeInput = z.infer<typeof BulkChangeInput>;

export const BulkChangeLanguageInput = z.strictObject({
  ...bulkChangeFields,
  target_language: LanguageCode,
  /** Also send completed and failed jobs back to pending with the new language. */
  reset_to_pending: BooleanLike.default(false),
});
export type BulkChangeLanguageInput = z.infer<typeof BulkChangeLanguageInput>;

export const BulkSetPriorityInput = z.strictObject({ ...bulkChangeFields, priority: intLike(-100, 100) });
export type BulkSetPriorityInput = z.infer<typeof BulkSetPriorityInput>;

/** The phrase a caller types to confirm a bulk action over `jobs` jobs (the preview answers it). */
export function bulkConfirmPhrase(action: BulkAction, jobs: number): string {
  return `${action.replace('_', ' ')} ${jobs} jobs`;
}

/** The count a typed confirmation names, or undefined when it is not a phrase for this action. */
export function confirmedCount(action: BulkAction, confirm: string | undefined): number | undefined {
  const prefix = `${action.replace('_', ' ')} `;
  if (!confirm?.startsWith(prefix) || !confirm.endsWith(' jobs')) return undefined;
  const digits = confirm.slice(prefix.length, -' jobs'.length);
  return /^\d{1,9}$/.test(digits) ? Number(digits) : undefined;
}

/**
 * Which run's progress to read: the `run_id` the bulk call was given. Taken as sent, like every id
 * in a path (the domain looks it up): an id that is no UUID names no run and reads `unknown`.
 */
export const BulkProgressInput = z.strictObject({ run_id: z.string() });
export type BulkProgressInput = z.infer<typeof BulkProgressInput>;
