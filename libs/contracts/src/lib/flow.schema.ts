import { z } from 'zod';
import { DateLike, intLike } from './common.schema';

/** A job type as jobs carry it (`job_type`; legacy jobs have ''). */
export const JobTypeName = z.string().trim().max(100);

/** A limit: a positive integer, or null (also `none` from the command line) to remove it. */
const Limit = (max: number) => z.union([z.null(), z.literal('none').transform(() => null), intLike(1, max)]);

/** Limits of one job type; null removes a limit, a field left out keeps it as it is. */
export const SetJobTypeLimitsInput = z.strictObject({
  job_type: JobTypeName,
  /** At most this many jobs of the type processing at once. */
  max_concurrent: Limit(100_000).optional(),
  /** At most this many jobs of the type started per minute (fixed one-minute windows). */
  rate_per_minute: Limit(1_000_000).optional(),
});
export type SetJobTypeLimitsInput = z.infer<typeof SetJobTypeLimitsInput>;

/** Pauses handing out jobs of a type; with `resume_at` the claim hands them out again from then on. */
export const PauseJobTypeInput = z.strictObject({
  job_type: JobTypeName,
  resume_at: DateLike.optional(),
});
export type PauseJobTypeInput = z.infer<typeof PauseJobTypeInput>;

export const ResumeJobTypeInput = z.strictObject({ job_type: JobTypeName });
export type ResumeJobTypeInput = z.infer<typeof ResumeJobTypeInput>;
