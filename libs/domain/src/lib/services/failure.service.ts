/**
 * Failure triage: the failed jobs the caller may read, grouped by signature (error-signature.ts).
 *
 * Bounded: the failed jobs are never read into this process. One aggregation over the
 * `{status, error_signature, ...}` index range of the failed, signed jobs groups them in the
 * database and answers one row per signature. Failures a legacy writer left (no signature yet:
 * the maintenance sweep signs them within one interval) are grouped by their raw code and message
 * in a second aggregation, at most MAX_UNSIGNED_GROUPS rows, and folded into the signed groups here.
 */
import type { PipelineStage } from 'mongoose';
import type { z } from 'zod';
import { FailureGroupsInput, MAX_BULK_IDS } from '@event-monitor/contracts';
import { readableFilter } from '../access/access.policy';
import type { Actor } from '../actor';
import type { DomainDeps } from '../context';
import { parseInput } from '../errors';
import type { JobRecord } from '../models/job.model';
import { errorCodeOf, errorSignature, firstLineOf, normaliseErrorMessage } from './error-signature';
import { and, loadBatch } from './load';

/** Raw (code, message) groups of unsigned legacy failures read per call; the sweep signs the rest. */
const MAX_UNSIGNED_GROUPS = 2000;
/** Jobs the sweep signs per run (one bulkWrite). */
export const SIGN_PAGE = 1000;
/** How much of an example message an answer carries. */
const EXAMPLE_LENGTH = 500;

export interface FailureGroupDto {
  signature: string;
  error_code: string;
  pattern: string;
  example: string;
  count: number;
  first_seen?: Date;
  last_seen?: Date;
  batches: number;
  batch_ids: string[];
}

export interface FailureGroups {
  groups: FailureGroupDto[];
  groups_total: number;
  failed: number;
  unsigned: number;
}

interface GroupRow {
  _id: unknown;
  n: number;
  code?: string | null;
  message?: string | null;
  first?: Date | null;
  last?: Date | null;
  batches: (string | null)[];
}

/** When the job failed: completed_at (set with the failure), updated_at for legacy documents without it. */
const FAILED_AT = { $ifNull: ['$completed_at', '$updated_at'] };

function groupStage(id: PipelineStage.Group['$group']['_id']): PipelineStage.Group {
  return {
    $group: {
      _id: id,
      n: { $sum: 1 },
      code: { $first: '$error.code' },
      message: { $first: '$error.message' },
      first: { $min: FAILED_AT },
      last: { $max: FAILED_AT },
      batches: { $addToSet: '$batch_id' },
    },
  };
}

/** The failed jobs the actor may read (of one batch, of one code), grouped by signature, largest first. */
export async function failureGroups(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof FailureGroupsInput> = {},
): Promise<FailureGroups> {
  const input = parseInput(FailureGroupsInput, raw);
  // A batch the actor may not read is NOT_FOUND, as for the job list.
  if (input.batch_id) await loadBatch(deps, actor, input.batch_id, 'read');
  const base = and(
    { status: 'failed' },
    readableFilter(actor),
    input.batch_id ? { batch_id: input.batch_id } : undefined,
    input.error_code ? { 'error.code': input.error_code } : undefined,
  );
  const [signed, unsigned] = await Promise.all([
    deps.models.Job.aggregate<GroupRow>([
      { $match: and(base, { error_signature: { $gt: '' } }) },
      groupStage('$error_signature'),
    ]),
    deps.models.Job.aggregate<GroupRow>([
      { $match: and(base, { error_signature: null }) },
      groupStage({ code: '$error.code', message: '$error.message' }),
      { $limit: MAX_UNSIGNED_GROUPS },
    ]),
  ]);

  const bySignature = new Map<string, { row: GroupRow; batches: Set<string> }>();
  const add = (signature: string, row: GroupRow) => {
    const seen = bySignature.get(signature);
    const batches = row.batches.filter((id): id is string => typeof id === 'string');
    if (!seen) {
      bySignature.set(signature, { row: { ...row }, batches: new Set(batches) });
      return;
    }
    seen.row.n += row.n;
    seen.row.first = earlier(seen.row.first, row.first);
    seen.row.last = later(seen.row.last, row.last);
    for (const id of batches) seen.batches.add(id);
  };
  for (const row of signed) add(String(row._id), row);
  let unsignedCount = 0;
  for (const row of unsigned) {
    unsignedCount += row.n;
    add(errorSignature(row.code, row.message), row);
  }

  const all = [...bySignature.entries()].sort(([a, x], [b, y]) => y.row.n - x.row.n || a.localeCompare(b));
  const groups = all.slice(0, input.limit).map(([signature, { row, batches }]): FailureGroupDto => {
    const ids = [...batches].sort();
    return {
      signature,
      error_code: errorCodeOf(row.code),
      pattern: normaliseErrorMessage(row.message),
      example: firstLineOf(row.message).slice(0, EXAMPLE_LENGTH),
      count: row.n,
      ...(row.first instanceof Date ? { first_seen: row.first } : {}),
      ...(row.last instanceof Date ? { last_seen: row.last } : {}),
      batches: ids.length,
      batch_ids: ids.slice(0, MAX_BULK_IDS),
    };
  });
  return {
    groups,
    groups_total: all.length,
    failed: all.reduce((sum, [, { row }]) => sum + row.n, 0),
    unsigned: unsignedCount,
  };
}

function earlier(a: Date | null | undefined, b: Date | null | undefined): Date | null | undefined {
  if (!(a instanceof Date)) return b;
  if (!(b instanceof Date)) return a;
  return a <= b ? a : b;
}

function later(a: Date | null | undefined, b: Date | null | undefined): Date | null | undefined {
  if (!(a instanceof Date)) return b;
  if (!(b instanceof Date)) return a;
  return a >= b ? a : b;
}

/**
 * Signs failures a legacy writer left without a signature, SIGN_PAGE per call (the maintenance
 * sweep calls it each run): one index range read (`{status, error_signature: null}`), one
 * bulkWrite whose filters re-check that the job is still failed and unsigned.
 */
export async function signUnsignedFailures(deps: DomainDeps, limit = SIGN_PAGE): Promise<number> {
  const jobs = await deps.models.Job.find(
    { status: 'failed', error_signature: null },
    { _id: 0, job_id: 1, error: 1 },
  )
    .limit(limit)
    .lean<Pick<JobRecord, 'job_id' | 'error'>[]>();
  if (jobs.length === 0) return 0;
  const result = await deps.models.Job.bulkWrite(
    jobs.map((job) => ({
      updateOne: {
        filter: { job_id: job.job_id, status: 'failed', error_signature: null },
        update: { $set: { error_signature: errorSignature(job.error?.code, job.error?.message) } },
      },
    })),
    { ordered: false },
  );
  return result.modifiedCount;
}
