import { z } from 'zod';
import { BatchId, intLike, JobStatus } from './common.schema';

/** A failure signature: 16 hex characters (code + normalised first line of the message, hashed). */
export const ErrorSignature = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{16}$/, 'A failure signature is 16 hex characters');
export type ErrorSignature = z.infer<typeof ErrorSignature>;

/** At most this many groups per answer (most failures first); `groups_total` says how many there are. */
export const MAX_FAILURE_GROUPS = 500;

/**
 * The failed jobs the caller may read, grouped by signature: all of them, one batch's, or one
 * error code's.
 */
export const FailureGroupsInput = z.strictObject({
  batch_id: BatchId.optional(),
  error_code: z.string().trim().min(1).max(100).optional(),
  limit: intLike(1, MAX_FAILURE_GROUPS).default(100),
});
export type FailureGroupsInput = z.infer<typeof FailureGroupsInput>;

const DateTime = z.string().meta({ format: 'date-time' });
const Count = z.number().int().min(0);

export const FailureGroupJson = z
  .object({
    signature: z.string(),
    error_code: z.string(),
    /** The first line of the message with URLs, paths, ids and numbers replaced (`<url>`, `<path>`, `<id>`, `<n>`). */
    pattern: z.string(),
    /** The first line of one of the group's messages, as written. */
    example: z.string(),
    count: Count,
    first_seen: DateTime.optional(),
    last_seen: DateTime.optional(),
    /** How many batches have failed jobs of this group (standalone jobs are not a batch). */
    batches: Count,
    /** Those batches' ids, at most 10,000. */
    batch_ids: z.array(z.string()),
  })
  .meta({ id: 'FailureGroup' });

export const FailureGroupsJson = z.object({
  groups: z.array(FailureGroupJson),
  /** Groups in all (the answer lists the `limit` largest). */
  groups_total: Count,
  /** Failed jobs in all groups. */
  failed: Count,
  /** Of those, legacy failures not signed yet (the maintenance sweep signs them): grouped, but a restart by signature misses them until then. */
  unsigned: Count,
});

/** The job list's export: the list's filter, as a download. */
export const ExportFormat = z.enum(['csv', 'json']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportJobsQuery = z.strictObject({
  batch_id: BatchId.optional(),
  status: JobStatus.optional(),
  search: z.string().trim().max(200).optional(),
  error_signature: ErrorSignature.optional(),
  /** At most this many rows (all that match when absent). */
  limit: intLike(1, 1_000_000).optional(),
});
export type ExportJobsQuery = z.infer<typeof ExportJobsQuery>;
