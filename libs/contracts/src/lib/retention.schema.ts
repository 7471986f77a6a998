import { z } from 'zod';
import { BatchId, intLike } from './common.schema';

/**
 * Retention of finished batches (issue 20 item 5): per installation, archive finished batches
 * after N days and delete archived ones after M days; each batch may override the days or be kept.
 * Both actions are off until an admin sets their days (existing installations change nothing).
 */

/** Days: a positive integer, or null (also `none` from the command line) to turn the action off. */
const Days = z.union([z.null(), z.literal('none').transform(() => null), intLike(1, 36_500)]);

/** The installation's policy; null turns an action off, a field left out keeps it as it is. */
export const SetRetentionPolicyInput = z.strictObject({
  /** Archive a batch whose jobs are all final this many days after it finished. */
  archive_finished_after_days: Days.optional(),
  /** Delete an archived batch (jobs, logs and results with it) this many days after it was archived. */
  delete_archived_after_days: Days.optional(),
});
export type SetRetentionPolicyInput = z.infer<typeof SetRetentionPolicyInput>;

/** How many batch ids the preview (and a run's answer) names per action. */
export const RetentionPreviewInput = z.strictObject({ limit: intLike(1, 100).default(10) });
export type RetentionPreviewInput = z.infer<typeof RetentionPreviewInput>;

/**
 * A batch's own retention: `keep` exempts it from both actions; days replace the installation's
 * for this batch (an action the installation has off stays off). null removes a setting.
 */
export const SetBatchRetentionInput = z.strictObject({
  batch_id: BatchId,
  keep: z.union([z.boolean(), z.null()]).optional(),
  archive_after_days: Days.optional(),
  delete_after_days: Days.optional(),
});
export type SetBatchRetentionInput = z.infer<typeof SetBatchRetentionInput>;

const DateTime = z.string().meta({ format: 'date-time' });
const Count = z.number().int().min(0);

export const RetentionPolicyJson = z.object({
  archive_finished_after_days: Count.optional(),
  delete_archived_after_days: Count.optional(),
  updated_at: DateTime.optional(),
  updated_by: z.string().optional(),
  /** When the sweep last ran retention (at most once an hour). */
  last_auto_run_at: DateTime.optional(),
});

const RetentionActionJson = z.object({
  /** Batches this action takes (a run: took). */
  count: Count,
  /** The first of them (up to the preview's limit). */
  batches: z.array(z.object({ batch_id: z.string(), batch_name: z.string() })),
});

export const RetentionPreviewJson = z.object({
  policy: RetentionPolicyJson,
  archive: RetentionActionJson,
  delete: RetentionActionJson,
  /** Batches due but left alone because a job is pending, processing or leased. */
  held: Count,
});

export const RetentionRunJson = RetentionPreviewJson.extend({
  /** Jobs deleted with the deleted batches. */
  deleted_jobs: Count,
  ran_at: DateTime,
});

export const BatchRetentionJson = z.object({
  batch_id: z.string(),
  keep: z.boolean().optional(),
  archive_after_days: Count.optional(),
  delete_after_days: Count.optional(),
});
