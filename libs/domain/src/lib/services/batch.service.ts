import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import {
  assertCanCreate,
  assertNotViewer,
  defaultAccessControl,
  readableFilter,
  writableFilter,
} from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import { toBatchDto, withRights, type BatchDto } from '../mappers/batch.mapper';
import type { BatchRecord } from '../models/batch.model';
import type { JobRecord } from '../models/job.model';
import {
  ChangeLanguageInput,
  CreateBatchInput,
  DeleteBatchInput,
  FailAllInput,
  ListBatchesInput,
  RestartBatchInput,
  SetAllPendingInput,
} from '@event-monitor/contracts';
import type { JobStatus } from '@event-monitor/contracts';
import { compact, escapeRegex, newBatchId } from '../util';
import { recordAudit } from './audit.service';
import { runIdempotent, type DerivedIds } from './idempotency.service';
import { checkSchedule } from './schedule.service';
import { buildJobRecord } from './job-records';
import { applyTransition, bulkTransition, forcedFailUpdate, restartUpdate } from './job-updates';
import { boundedCount, readPage, type KeysetSort } from './keyset-page';
import { and, CURRENT_BATCH, loadBatch, loadJob } from './load';
import { MAX_RECOUNTS_PER_READ, recountBatches, withShownCounters } from './shown-counters';

export interface BatchList {
  batches: BatchDto[];
  /** Matches of the filter (not of the page), counted up to the cap. */
  total: number;
  /** false when the count stopped at the cap. */
  total_exact: boolean;
  limit: number;
  skip: number;
  /** The `cursor` of the next page; null on the last page. */
  next_cursor: string | null;
}

const currentFilter = CURRENT_BATCH;
const BATCH_SORT: KeysetSort = { list: 'batches', field: 'created_at', direction: -1 };

/** Batches the actor may read, newest first, one page at a time (keyset cursor or legacy skip). */
export async function listBatches(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ListBatchesInput> = {},
): Promise<BatchList> {
  const input = parseInput(ListBatchesInput, raw);
  const filter = and(
    readableFilter(actor),
    input.archived ? { archived: true } : currentFilter,
    input.status ? { status: input.status } : undefined,
    input.search ? { batch_name: { $regex: escapeRegex(input.search), $options: 'i' } } : undefined,
  );
  const [page, count] = await Promise.all([
    readPage(deps.models.Batch, filter, BATCH_SORT, input),
    boundedCount(deps.models.Batch, filter, deps.countCap),
  ]);
  return {
    batches: (await withShownCounters(deps, page.rows)).map((row) => withRights(actor, row, toBatchDto(row, nowOf(deps)))),
    ...count,
    limit: input.limit,
    skip: input.skip ?? 0,
    next_cursor: page.next_cursor,
  };
}

/**
 * The numbers on the "current" and "archived" tabs, in one pass: the match is the union of the two
 * tabs' filters (a batch with some other `archived` value is on neither tab), grouped by tab.
 */
export async function countBatchTabs(deps: DomainDeps, actor: Actor): Promise<{ current: number; archived: number }> {
  const rows = await deps.models.Batch.aggregate<{ _id: boolean; n: number }>([
    { $match: and(readableFilter(actor), { archived: { $in: [false, null, true] } }) },
    { $group: { _id: { $eq: ['$archived', true] }, n: { $sum: 1 } } },
  ]);
  const countOf = (archived: boolean) => rows.find((row) => row._id === archived)?.n ?? 0;
  return { current: countOf(false), archived: countOf(true) };
}

export async function getBatch(deps: DomainDeps, actor: Actor, batchId: string): Promise<BatchDto> {
  const [shown] = await withShownCounters(deps, [await loadBatch(deps, actor, batchId, 'read')]);
  return withRights(actor, shown as BatchRecord, toBatchDto(shown as BatchRecord, nowOf(deps)));
}

/**
 * Creates a batch and its jobs (one insertMany). Everything is validated before the first write;
 * when the jobs cannot be inserted, the batch and any inserted jobs are removed again.
 */
export async function createBatch(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof CreateBatchInput>,
): Promise<{ batch: BatchDto; batch_id: string; job_ids: string[] }> {
  assertCanCreate(actor);
  const { idempotency_key: key, ...input } = parseInput(CreateBatchInput, raw);
  if (key === undefined) return insertBatch(deps, actor, input);
  return runIdempotent(deps, actor, { operation: 'batch.create', key, input }, (ids) => insertBatch(deps, actor, input, ids));
}

/**
 * Writes a batch and its jobs. With derived ids (an idempotency key), a run that takes over a
 * crashed first request finds what that one wrote: its batch is taken as is and only the missing
 * jobs are inserted, so nothing exists twice.
 */
async function insertBatch(
  deps: DomainDeps,
  actor: Actor,
  input: Omit<CreateBatchInput, 'idempotency_key'>,
  ids?: DerivedIds,
): Promise<{ batch: BatchDto; batch_id: string; job_ids: string[] }> {
  const now = nowOf(deps);
  const batchId = input.batch_id ?? ids?.id('batch') ?? newBatchId();
  const accessControl = defaultAccessControl(
    actor.userId,
    compact({
      visibility: input.visibility,
      read_access: input.read_access,
      write_access: input.write_access,
      admin_access: input.admin_access,
    }),
  );
  const n = input.jobs.length;
  checkSchedule(now, input.not_before, input.deadline);
  const batch: BatchRecord = {
    batch_id: batchId,
    // The concept's default; the id alone told operators nothing in the list.
    batch_name: input.batch_name || `Batch ${now.toISOString()}`,
    status: 'pending',
    created_at: now,
    updated_at: now,
    user_id: actor.userId,
    access_control: accessControl,
    total_jobs: n,
    pending_jobs: n,
    processing_jobs: 0,
    completed_jobs: 0,
    failed_jobs: 0,
    archived: false,
    isActive: true,
    ...compact({ not_before: input.not_before, deadline: input.deadline }),
  };
  const jobs = input.jobs.map((job, i) =>
    buildJobRecord(
      job,
      now,
      {
        batch_id: batchId,
        user_id: actor.userId,
        access_control: accessControl,
        archived: false,
        batch_active: true,
        batch_not_before: input.not_before,
      },
      ids ? ids.id('job', `${batchId}/${i}`) : undefined,
    ),
  );

  let resumed: BatchRecord | null = null;
  try {
    await deps.models.Batch.insertMany([batch]);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A takeover finds the batch of the crashed first run (same derived id, same owner): resume it.
    resumed = ids?.takeover ? await deps.models.Batch.findOne({ batch_id: batchId }).lean<BatchRecord>() : null;
    if (!resumed || resumed.user_id !== actor.userId || resumed.total_jobs !== n) {
      throw new DomainError(DomainErrorCode.CONFLICT, `Batch ${batchId} already exists`);
    }
  }
  if (resumed) {
    await insertMissingJobs(deps, jobs);
  } else {
    try {
      await deps.models.Job.insertMany(jobs, { lean: true, ordered: true });
    } catch (err) {
      await deps.models.Job.deleteMany({ batch_id: batchId });
      await deps.models.Batch.deleteOne({ batch_id: batchId });
      throw err;
    }
  }
  await recordAudit(deps, actor, {
    action: 'batch.create',
    target: { type: 'batch', ids: [batchId] },
    count: n,
    details: { batch_name: batch.batch_name },
  });
  return { batch: withRights(actor, resumed ?? batch), batch_id: batchId, job_ids: jobs.map((job) => job.job_id) };
}

/** Inserts the jobs not there yet (their ids are derived, so the ones there are the same jobs). */
async function insertMissingJobs(deps: DomainDeps, jobs: JobRecord[]): Promise<void> {
  const there = new Set(
    (await deps.models.Job.find({ job_id: { $in: jobs.map((job) => job.job_id) } }, { _id: 0, job_id: 1 }).lean<JobRecord[]>()).map(
      (job) => job.job_id,
    ),
  );
  const missing = jobs.filter((job) => !there.has(job.job_id));
  if (missing.length > 0) await deps.models.Job.insertMany(missing, { lean: true, ordered: true });
}

/**
 * Deletes a batch's jobs (logs and results live in them), then the batch: a crash in between
 * leaves a batch with drift, never orphaned jobs. `onlyFinished` (retention): only final jobs
 * without a lease go, and the batch only when no job is left and `batchFilter` still holds, so a
 * job restarted or taken meanwhile keeps its batch.
 */
export async function deleteBatchDocuments(
  deps: DomainDeps,
  batchId: string,
  options: { onlyFinished?: boolean; batchFilter?: Record<string, unknown> } = {},
): Promise<{ deleted_jobs: number; batch_deleted: boolean }> {
  const jobs = options.onlyFinished
    ? { batch_id: batchId, status: { $in: ['completed', 'failed'] }, lease: { $exists: false } }
    : { batch_id: batchId };
  const { deletedCount } = await deps.models.Job.deleteMany(jobs);
  if (options.onlyFinished && (await deps.models.Job.exists({ batch_id: batchId }))) return { deleted_jobs: deletedCount, batch_deleted: false };
  const deleted = await deps.models.Batch.deleteOne({ ...options.batchFilter, batch_id: batchId });
  return { deleted_jobs: deletedCount, batch_deleted: deleted.deletedCount === 1 };
}

/** Deletes the jobs first: a crash in between leaves a batch with drift, never orphaned jobs. */
export async function deleteBatch(
  deps: DomainDeps,
  actor: Actor,
  batchId: string,
  raw: z.input<typeof DeleteBatchInput> = {},
): Promise<{ deleted_jobs: number }> {
  const input = parseInput(DeleteBatchInput, raw);
  const batch = await loadBatch(deps, actor, batchId, 'admin');
  const { deleted_jobs: deletedCount } = await deleteBatchDocuments(deps, batch.batch_id);
  await recordAudit(deps, actor, {
    action: 'batch.delete',
    target: { type: 'batch', ids: [batch.batch_id] },
    count: deletedCount,
    reason: input.reason,
    details: { batch_name: batch.batch_name },
  });
  return { deleted_jobs: deletedCount };
}

async function setArchived(deps: DomainDeps, actor: Actor, batchId: string, archived: boolean): Promise<BatchDto> {
  const batch = await loadBatch(deps, actor, batchId, 'write');
  const now = nowOf(deps);
  // Jobs first: the claim looks at the job's copy, so archiving stops hand-outs at once.
  const jobs = await deps.models.Job.updateMany({ batch_id: batch.batch_id }, { $set: { archived } });
  const after = await deps.models.Batch.findOneAndUpdate(
    { batch_id: batch.batch_id },
    // archived_at starts the retention clock of deletion; unarchiving stops it.
    archived ? { $set: { archived, archived_at: now, updated_at: now } } : { $set: { archived, updated_at: now }, $unset: { archived_at: 1 } },
    { returnDocument: 'after', lean: true },
  );
  if (!after) throw new DomainError(DomainErrorCode.NOT_FOUND, `Batch ${batch.batch_id} not found`);
  await recordAudit(deps, actor, {
    action: archived ? 'batch.archive' : 'batch.unarchive',
    target: { type: 'batch', ids: [batch.batch_id] },
    count: jobs.matchedCount,
  });
  return withRights(actor, after);
}

export function archiveBatch(deps: DomainDeps, actor: Actor, batchId: string): Promise<BatchDto> {
  return setArchived(deps, actor, batchId, true);
}

export function unarchiveBatch(deps: DomainDeps, actor: Actor, batchId: string): Promise<BatchDto> {
  return setArchived(deps, actor, batchId, false);
}

/** Sets isActive (toggles it when `active` is undefined) and copies it to the jobs' batch_active. */
export async function setBatchActive(
  deps: DomainDeps,
  actor: Actor,
  batchId: string,
  active?: boolean,
): Promise<BatchDto> {
  const batch = await loadBatch(deps, actor, batchId, 'write');
  const target = active ?? batch.isActive === false;
  const jobs = await deps.models.Job.updateMany({ batch_id: batch.batch_id }, { $set: { batch_active: target } });
  const after = await deps.models.Batch.findOneAndUpdate(
    { batch_id: batch.batch_id },
    { $set: { isActive: target, updated_at: nowOf(deps) } },
    { returnDocument: 'after', lean: true },
  );
  if (!after) throw new DomainError(DomainErrorCode.NOT_FOUND, `Batch ${batch.batch_id} not found`);
  await recordAudit(deps, actor, {
    action: 'batch.toggle_active',
    target: { type: 'batch', ids: [batch.batch_id] },
    count: jobs.matchedCount,
    details: { active: target },
  });
  return withRights(actor, after);
}

async function writableCurrentBatchIds(deps: DomainDeps, actor: Actor): Promise<string[]> {
  const batches = await deps.models.Batch.find(and(writableFilter(actor), currentFilter), { batch_id: 1, _id: 0 }).lean();
  return batches.map((b) => b.batch_id);
}

/** Jobs per batch in the given states, over the current batches the actor may write. */
async function jobsByBatch(
  deps: DomainDeps,
  actor: Actor,
  statuses: readonly JobStatus[],
): Promise<{ batchId: string; n: number }[]> {
  const batchIds = await writableCurrentBatchIds(deps, actor);
  if (batchIds.length === 0) return [];
  const groups = await deps.models.Job.aggregate<{ _id: string; n: number }>([
    { $match: { batch_id: { $in: batchIds }, status: { $in: [...statuses] } } },
    { $group: { _id: '$batch_id', n: { $sum: 1 } } },
  ]);
  return groups.map((g) => ({ batchId: g._id, n: g.n }));
}

function summarize(groups: { n: number }[]): { batches: number; jobs: number } {
  return { batches: groups.filter((g) => g.n > 0).length, jobs: groups.reduce((sum, g) => sum + g.n, 0) };
}

/** The batches a bulk action really changed (the audit event names these). */
function changedBatchIds(groups: { batchId: string; n: number }[]): string[] {
  return groups.filter((g) => g.n > 0).map((g) => g.batchId);
}

const FAIL_ALL_SOURCES: readonly JobStatus[] = ['pending', 'processing'];
const SET_PENDING_SOURCES: readonly JobStatus[] = ['failed', 'completed'];

/** What failAllBatches would touch (a viewer sees zeros: nothing is writable for it). */
export async function previewFailAll(deps: DomainDeps, actor: Actor): Promise<{ batches: number; jobs: number }> {
  return summarize(await jobsByBatch(deps, actor, FAIL_ALL_SOURCES));
}

/** Fails every pending or processing job of the current batches the actor may write. */
export async function failAllBatches(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof FailAllInput> = {},
): Promise<{ batches: number; jobs: number }> {
  assertNotViewer(actor);
  const input = parseInput(FailAllInput, raw);
  const message = input.reason || `Forced failure by ${actor.userId}`;
  const results: { batchId: string; n: number }[] = [];
  for (const { batchId } of await jobsByBatch(deps, actor, FAIL_ALL_SOURCES)) {
    const update = forcedFailUpdate(nowOf(deps), 'FORCED_FAILURE', message);
    results.push({ batchId, n: await bulkTransition(deps, batchId, FAIL_ALL_SOURCES, 'failed', update) });
  }
  const summary = summarize(results);
  await recordAudit(deps, actor, {
    action: 'batch.fail_all',
    target: { type: 'batches', ids: changedBatchIds(results) },
    count: summary.jobs,
    reason: input.reason,
    details: { batches: summary.batches },
  });
  return summary;
}

export async function previewSetAllPending(deps: DomainDeps, actor: Actor): Promise<{ batches: number; jobs: number }> {
  return summarize(await jobsByBatch(deps, actor, SET_PENDING_SOURCES));
}

/** Restarts every failed or completed job of the current batches the actor may write. */
export async function setAllPending(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof SetAllPendingInput> = {},
): Promise<{ batches: number; jobs: number }> {
  assertNotViewer(actor);
  const input = parseInput(SetAllPendingInput, raw);
  const results: { batchId: string; n: number }[] = [];
  for (const { batchId } of await jobsByBatch(deps, actor, SET_PENDING_SOURCES)) {
    const update = restartUpdate(nowOf(deps), `restarted by ${actor.userId} (set all pending)`);
    results.push({ batchId, n: await bulkTransition(deps, batchId, SET_PENDING_SOURCES, 'pending', update) });
  }
  const summary = summarize(results);
  await recordAudit(deps, actor, {
    action: 'batch.set_all_pending',
    target: { type: 'batches', ids: changedBatchIds(results) },
    count: summary.jobs,
    reason: input.reason,
    details: { batches: summary.batches },
  });
  return summary;
}

/** Restarts the failed jobs of a batch (scope 'failed') or its failed and completed ones ('all'). */
export async function restartBatch(
  deps: DomainDeps,
  actor: Actor,
  batchId: string,
  raw: z.input<typeof RestartBatchInput> = {},
): Promise<{ restarted: number }> {
  const input = parseInput(RestartBatchInput, raw);
  const batch = await loadBatch(deps, actor, batchId, 'write');
  const sources: JobStatus[] = input.scope === 'all' ? ['failed', 'completed'] : ['failed'];
  const update = restartUpdate(nowOf(deps), `restarted by ${actor.userId} (batch restart, ${input.scope})`);
  const restarted = await bulkTransition(deps, batch.batch_id, sources, 'pending', update);
  await recordAudit(deps, actor, {
    action: 'batch.restart',
    target: { type: 'batch', ids: [batch.batch_id] },
    count: restarted,
    reason: input.reason,
    details: { scope: input.scope },
  });
  return { restarted };
}

export interface ChangeLanguageResult {
  /** Jobs that now carry the new target language. */
  updated: number;
  /** Of those, completed/failed jobs sent back to pending. */
  restarted: number;
  /** Processing jobs left untouched because reset_to_pending was asked. */
  skipped: number;
}

/**
 * Changes parameters.target_language (nothing else of the parameters) of one job, one batch or
 * all current batches the actor may write; optionally restarts finished jobs with it.
 */
export async function changeLanguage(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ChangeLanguageInput>,
): Promise<ChangeLanguageResult> {
  const input = parseInput(ChangeLanguageInput, raw);
  const language = input.target_language;
  const target = input.target;
  const audit = (type: 'job' | 'batch' | 'batches', ids: string[], result: ChangeLanguageResult, batchId?: string) =>
    recordAudit(deps, actor, {
      action: 'language.change',
      target: { type, ids },
      count: result.updated,
      // batch_id of a job's change: the batch's timeline lists its jobs' events by it.
      details: { batch_id: batchId, target_language: language, reset_to_pending: input.reset_to_pending, restarted: result.restarted, skipped: result.skipped },
    });
  if ('job_id' in target) {
    const job: JobRecord = await loadJob(deps, actor, target.job_id, 'write');
    const result = await changeJobLanguage(deps, actor, job, language, input.reset_to_pending);
    await audit('job', [job.job_id], result, job.batch_id);
    return result;
  }

  let batchIds: string[];
  if ('batch_id' in target) {
    batchIds = [(await loadBatch(deps, actor, target.batch_id, 'write')).batch_id];
  } else {
    assertNotViewer(actor);
    batchIds = await writableCurrentBatchIds(deps, actor);
  }
  const total: ChangeLanguageResult = { updated: 0, restarted: 0, skipped: 0 };
  const changed: { batchId: string; n: number }[] = [];
  for (const batchId of batchIds) {
    const now = nowOf(deps);
    const setLanguage = { $set: { 'parameters.target_language': language, updated_at: now } };
    const before = total.updated;
    if (!input.reset_to_pending) {
      total.updated += (await deps.models.Job.updateMany({ batch_id: batchId }, setLanguage)).matchedCount;
      changed.push({ batchId, n: total.updated - before });
      continue;
    }
    const pending = await deps.models.Job.updateMany({ batch_id: batchId, status: 'pending' }, setLanguage);
    const update = restartUpdate(now, `restarted by ${actor.userId} with target language ${language}`, {
      targetLanguage: language,
    });
    const restarted = await bulkTransition(deps, batchId, SET_PENDING_SOURCES, 'pending', update);
    total.updated += pending.matchedCount + restarted;
    total.restarted += restarted;
    total.skipped += await deps.models.Job.countDocuments({ batch_id: batchId, status: 'processing' });
    changed.push({ batchId, n: total.updated - before });
  }
  if ('batch_id' in target) await audit('batch', batchIds, total);
  else await audit('batches', changedBatchIds(changed), total);
  return total;
}

async function changeJobLanguage(
  deps: DomainDeps,
  actor: Actor,
  job: JobRecord,
  language: string,
  reset: boolean,
): Promise<ChangeLanguageResult> {
  const now = nowOf(deps);
  if (reset && job.status === 'processing') return { updated: 0, restarted: 0, skipped: 1 };
  if (reset && (job.status === 'completed' || job.status === 'failed')) {
    const message = `restarted by ${actor.userId} with target language ${language}`;
    await applyTransition(deps, job, 'restart', restartUpdate(now, message, { targetLanguage: language }));
    return { updated: 1, restarted: 1, skipped: 0 };
  }
  const filter = reset ? { job_id: job.job_id, status: job.status } : { job_id: job.job_id };
  const result = await deps.models.Job.updateOne(filter, {
    $set: { 'parameters.target_language': language, updated_at: now },
  });
  if (result.matchedCount === 0) {
    throw new DomainError(DomainErrorCode.CONFLICT, `Job ${job.job_id} changed concurrently; try again`);
  }
  return { updated: 1, restarted: 0, skipped: 0 };
}

export interface BatchStats {
  /** total: every readable batch; the status counts, active and the job counts: current ones only. */
  batches: { total: number; pending: number; processing: number; completed: number; failed: number; archived: number; active: number };
  jobs: { pending: number; processing: number; completed: number; failed: number };
}

/**
 * Dashboard numbers in one aggregation over the readable batches (job counts from the counters).
 * Batches whose counters cannot be right (see countersImpossible; a legacy worker wrote them) are
 * left out of the sums and their jobs recounted instead (one more aggregation, at most
 * MAX_RECOUNTS_PER_READ batches), so the job numbers shown never add up to the impossible.
 */
export async function batchStats(deps: DomainDeps, actor: Actor): Promise<BatchStats> {
  const current = { $ne: ['$archived', true] };
  const orZero = (field: string) => ({ $ifNull: [`$${field}`, 0] });
  const pending = {
    $ifNull: ['$pending_jobs', { $subtract: ['$total_jobs', { $add: [orZero('processing_jobs'), orZero('completed_jobs'), orZero('failed_jobs')] }] }],
  };
  const impossible = {
    $or: [
      { $lt: [{ $ifNull: ['$total_jobs', -1] }, 0] },
      { $lt: [pending, 0] },
      ...['processing_jobs', 'completed_jobs', 'failed_jobs'].map((field) => ({ $lt: [orZero(field), 0] })),
      { $ne: [{ $add: [pending, orZero('processing_jobs'), orZero('completed_jobs'), orZero('failed_jobs')] }, '$total_jobs'] },
    ],
  };
  const shown = { $and: [current, { $not: [impossible] }] };
  const whenCurrent = (condition: unknown) => ({ $sum: { $cond: [{ $and: [current, condition] }, 1, 0] } });
  const sumShown = (value: unknown) => ({ $sum: { $cond: [shown, value, 0] } });
  const [row] = await deps.models.Batch.aggregate<Record<string, number> & { recount?: (string | null)[] }>([
    { $match: readableFilter(actor) },
    {
      $group: {
        _id: null,
        total: { $sum: 1 },
        pending: whenCurrent({ $eq: ['$status', 'pending'] }),
        processing: whenCurrent({ $eq: ['$status', 'processing'] }),
        completed: whenCurrent({ $eq: ['$status', 'completed'] }),
        failed: whenCurrent({ $eq: ['$status', 'failed'] }),
        archived: { $sum: { $cond: [current, 0, 1] } },
        active: whenCurrent({ $ne: ['$isActive', false] }),
        jobs_pending: sumShown(pending),
        jobs_processing: sumShown(orZero('processing_jobs')),
        jobs_completed: sumShown(orZero('completed_jobs')),
        jobs_failed: sumShown(orZero('failed_jobs')),
        // One null for all the possible ones, then the ids of the impossible current ones.
        recount: { $addToSet: { $cond: [{ $and: [current, impossible] }, '$batch_id', null] } },
      },
    },
  ]);
  const n = (key: string): number => row?.[key] ?? 0;
  const jobs = { pending: n('jobs_pending'), processing: n('jobs_processing'), completed: n('jobs_completed'), failed: n('jobs_failed') };
  const toRecount = (row?.recount ?? []).filter((id): id is string => typeof id === 'string').slice(0, MAX_RECOUNTS_PER_READ);
  for (const counters of (await recountBatches(deps, toRecount)).values()) {
    jobs.pending += counters.pending_jobs;
    jobs.processing += counters.processing_jobs;
    jobs.completed += counters.completed_jobs;
    jobs.failed += counters.failed_jobs;
  }
  return {
    batches: {
      total: n('total'),
      pending: n('pending'),
      processing: n('processing'),
      completed: n('completed'),
      failed: n('failed'),
      archived: n('archived'),
      active: n('active'),
    },
    jobs,
  };
}
