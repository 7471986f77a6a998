import { z } from 'zod';
import { AUDIT_ACTIONS } from '../models/audit.model';
import { BatchId, DateLike, intLike, JobId, UserId } from '@event-monitor/contracts';

export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** The admin audit page: newest first, every filter optional and combined with AND. */
export const ListAuditEventsInput = z
  .strictObject({
    action: AuditAction.optional(),
    /** Who acted. */
    user_id: UserId.optional(),
    /** An object the event names (batch, job, user or token id). */
    target_id: z.string().trim().min(1).max(200).optional(),
    /** Inclusive. */
    since: DateLike.optional(),
    /** Exclusive. */
    until: DateLike.optional(),
    limit: intLike(1, 200).default(50),
    skip: intLike(0, 1_000_000).default(0),
  })
  .refine((input) => !input.since || !input.until || input.since < input.until, {
    message: 'Must be after since',
    path: ['until'],
  });
export type ListAuditEventsInput = z.infer<typeof ListAuditEventsInput>;

/** Which object's timeline: a batch or a job. */
export const AuditTrailTarget = z.union([z.strictObject({ batch_id: BatchId }), z.strictObject({ job_id: JobId })]);
export type AuditTrailTarget = z.infer<typeof AuditTrailTarget>;

export const AuditTrailInput = z.strictObject({
  limit: intLike(1, 200).default(50),
});
export type AuditTrailInput = z.infer<typeof AuditTrailInput>;
