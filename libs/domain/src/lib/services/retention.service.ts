import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import { RetentionPreviewInput, SetBatchRetentionInput, SetRetentionPolicyInput } from '@event-monitor/contracts';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import type { BatchRecord, BatchRetentionRecord } from '../models/batch.model';
import { RETENTION_SETTINGS_ID, type RetentionSettingsRecord } from '../models/settings.model';
import { compact } from '../util';
import { recordAudit } from './audit.service';
import { deleteBatchDocuments } from './batch.service';
import { and, CURRENT_BATCH, loadBatch } from './load';

/**
 * Retention of finished batches (issue 20 item 5). A run archives the current batches whose jobs
 * are all final N days after they finished, and deletes archived batches (their jobs, logs and
 * results with them, as a batch delete does) M days after they were archived. Both actions are
 * off until an admin gives them days; a batch may be kept or have its own days.
 *
 * Never touched: a batch with a job that is not final or still carries a lease (a legacy worker
 * takes jobs with a plain update and no lease, so "processing" is the only sign it holds one).
 * Two runs at once (two app processes, or a manual run during the sweep's) change each batch once:
 * archiving is a compare-and-set on the batch's `updated_at` as read, deleting first claims the
 * batch (`retention_delete`) with a conditional update and re-checks its jobs after the claim.
 */

const DAY_MS = 86_400_000;
/** The sweep starts a run at most this often (across all processes: a conditional update decides). */
export const RETENTION_AUTO_INTERVAL_MS = 3_600_000;
/** Batches a run looks at per action, oldest first; a run that finds more leaves them to the next one. */
export const RETENTION_MAX_BATCHES = 1_000;
/** A delete claim older than this belongs to a run that died: another run may take the batch over. */
const DELETE_CLAIM_MS = 3_600_000;
/** Batch statuses of a finished batch (the legacy recount writes completed even with failures). */
const FINISHED_BATCH = ['completed', 'failed'];
const FINAL_JOB = ['completed', 'failed'];
const ACTIVE_JOB = ['pending', 'processing'];

/** Who the sweep's runs are recorded as in the audit trail. */
export const RETENTION_SYSTEM_ACTOR: Actor = { userId: 'system:retention', role: 'admin' };

export interface RetentionPolicyDto {
  archive_finished_after_days?: number;
  delete_archived_after_days?: number;
  updated_at?: Date;
  updated_by?: string;
  last_auto_run_at?: Date;
}

export interface RetentionBatchRef {
  batch_id: string;
  batch_name: string;
}

export interface RetentionActionDto {
  count: number;
  batches: RetentionBatchRef[];
}

export interface RetentionPreviewDto {
  policy: RetentionPolicyDto;
  archive: RetentionActionDto;
  delete: RetentionActionDto;
  /** Batches due but left alone because a job is not final or holds a lease. */
  held: number;
}

export interface RetentionRunDto extends RetentionPreviewDto {
  deleted_jobs: number;
  ran_at: Date;
}

export interface BatchRetentionDto extends BatchRetentionRecord {
  batch_id: string;
}

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new DomainError(DomainErrorCode.FORBIDDEN, 'Only admins see and change the retention policy');
}

async function readPolicy(deps: DomainDeps): Promise<RetentionPolicyDto> {
  const doc = await deps.models.RetentionSettings.findOne({ _id: RETENTION_SETTINGS_ID }).lean<RetentionSettingsRecord>();
  return compact({
    archive_finished_after_days: doc?.archive_finished_after_days,
    delete_archived_after_days: doc?.delete_archived_after_days,
    updated_at: doc?.updated_at,
    updated_by: doc?.updated_by,
    last_auto_run_at: doc?.last_auto_run_at,
  });
}

/** The days that apply to a batch: none when the installation has the action off or the batch is kept. */
function daysFor(policyDays: number | undefined, own: number | undefined, keep: boolean | undefined): number | undefined {
  if (policyDays === undefined || keep === true) return undefined;
  return own ?? policyDays;
}

/** When a batch finished, as far as its document tells: the latest of its times (a later change only postpones). */
function finishedAt(batch: Pick<BatchRecord, 'created_at' | 'updated_at' | 'completed_at'>): number {
  return Math.max(batch.completed_at?.getTime() ?? 0, batch.updated_at?.getTime() ?? 0, batch.created_at?.getTime() ?? 0);
}

/**
 * Batches with a final job that still carries a lease (a legacy worker finished a job an app worker
 * held; the sweep's tidy removes such leases): one index range ({status, lease.expires_at}) per run.
 */
async function leasedFinishedBatches(deps: DomainDeps): Promise<Set<string>> {
  const jobs = await deps.models.Job.find({ status: { $in: FINAL_JOB }, 'lease.expires_at': { $gte: new Date(0) } }, { _id: 0, batch_id: 1 })
    .limit(10_000)
    .lean<{ batch_id?: string }[]>();
  return new Set(jobs.flatMap((job) => (job.batch_id ? [job.batch_id] : [])));
}

/**
 * A job of the batch is pending or processing (a legacy worker holds a job with a plain update and
 * no lease: "processing" is the only sign), or a final one carries a lease: the batch is not
 * retention's to touch. Point scans of the {batch_id, status} index: cheap for a finished batch.
 */
async function isHeld(deps: DomainDeps, batchId: string, leased: ReadonlySet<string>): Promise<boolean> {
  if (leased.has(batchId)) return true;
  return (await deps.models.Job.exists({ batch_id: batchId, status: { $in: ACTIVE_JOB } })) !== null;
}

type Candidate = Pick<BatchRecord, 'batch_id' | 'batch_name' | 'updated_at' | 'archived_at'>;

interface Plan {
  policy: RetentionPolicyDto;
  /** Read once per plan (see leasedFinishedBatches). */
  leased: ReadonlySet<string>;
  archive: Candidate[];
  delete: Candidate[];
  held: number;
}

const PROJECTION = { _id: 0, batch_id: 1, batch_name: 1, created_at: 1, updated_at: 1, completed_at: 1, archived_at: 1, retention: 1 };

/**
 * What is due now. `stamp`: an archived batch without `archived_at` (archived by the legacy side,
 * or before this existed) gets the current time, which starts its clock (never earlier than due).
 */
async function planRetention(deps: DomainDeps, now: Date, stamp: boolean): Promise<Plan> {
  const policy = await readPolicy(deps);
  const on = policy.archive_finished_after_days !== undefined || policy.delete_archived_after_days !== undefined;
  const plan: Plan = { policy, leased: on ? await leasedFinishedBatches(deps) : new Set(), archive: [], delete: [], held: 0 };
  if (policy.archive_finished_after_days !== undefined) {
    const finished = await deps.models.Batch.find(and(CURRENT_BATCH, { status: { $in: FINISHED_BATCH } }), PROJECTION)
      .sort({ created_at: 1, _id: 1 })
      .limit(RETENTION_MAX_BATCHES)
      .lean<BatchRecord[]>();
    for (const batch of finished) {
      const days = daysFor(policy.archive_finished_after_days, batch.retention?.archive_after_days, batch.retention?.keep);
      if (days === undefined || finishedAt(batch) > now.getTime() - days * DAY_MS) continue;
      if (await isHeld(deps, batch.batch_id, plan.leased)) plan.held++;
      else plan.archive.push(batch);
    }
  }
  if (policy.delete_archived_after_days !== undefined) {
    const archived = await deps.models.Batch.find({ archived: true }, PROJECTION)
      .sort({ created_at: 1, _id: 1 })
      .limit(RETENTION_MAX_BATCHES)
      .lean<BatchRecord[]>();
    for (const batch of archived) {
      const days = daysFor(policy.delete_archived_after_days, batch.retention?.delete_after_days, batch.retention?.keep);
      if (days === undefined) continue;
      if (!batch.archived_at) {
        if (stamp) await deps.models.Batch.updateOne({ batch_id: batch.batch_id, archived: true, archived_at: { $exists: false } }, { $set: { archived_at: now } });
        continue;
      }
      if (batch.archived_at.getTime() > now.getTime() - days * DAY_MS) continue;
      if (await isHeld(deps, batch.batch_id, plan.leased)) plan.held++;
      else plan.delete.push(batch);
    }
  }
  return plan;
}

const refOf = (batch: Candidate): RetentionBatchRef => ({ batch_id: batch.batch_id, batch_name: batch.batch_name || batch.batch_id });

const actionOf = (batches: Candidate[], limit: number): RetentionActionDto => ({ count: batches.length, batches: batches.slice(0, limit).map(refOf) });

/** The policy and what a run now would archive and delete (counts and the first `limit` of each); admins only. */
export async function previewRetention(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof RetentionPreviewInput> = {},
): Promise<RetentionPreviewDto> {
  assertAdmin(actor);
  const input = parseInput(RetentionPreviewInput, raw);
  const plan = await planRetention(deps, nowOf(deps), false);
  return { policy: plan.policy, archive: actionOf(plan.archive, input.limit), delete: actionOf(plan.delete, input.limit), held: plan.held };
}

/** Sets or turns off (null) the installation's retention days; admins only. */
export async function setRetentionPolicy(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof SetRetentionPolicyInput>,
): Promise<RetentionPolicyDto> {
  assertAdmin(actor);
  const input = parseInput(SetRetentionPolicyInput, raw);
  const set: Record<string, unknown> = { updated_at: nowOf(deps), updated_by: actor.userId };
  const unset: Record<string, 1> = {};
  for (const field of ['archive_finished_after_days', 'delete_archived_after_days'] as const) {
    const value = input[field];
    if (value === null) unset[field] = 1;
    else if (value !== undefined) set[field] = value;
  }
  const update = { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) };
  try {
    await deps.models.RetentionSettings.updateOne({ _id: RETENTION_SETTINGS_ID }, update, { upsert: true });
  } catch (err) {
    // Two first writes at once: one inserted the document, the other updates it now.
    if (!isDuplicateKey(err)) throw err;
    await deps.models.RetentionSettings.updateOne({ _id: RETENTION_SETTINGS_ID }, update);
  }
  const off = (value: number | null | undefined) => (value === null ? 'off' : value);
  await recordAudit(deps, actor, {
    action: 'retention.set_policy',
    target: { type: 'settings', ids: [RETENTION_SETTINGS_ID] },
    count: 1,
    details: { archive_finished_after_days: off(input.archive_finished_after_days), delete_archived_after_days: off(input.delete_archived_after_days) },
  });
  return readPolicy(deps);
}

/**
 * Archives and deletes what is due, now, and records one audit event with the counts. `actor` must
 * be an admin (the sweep passes RETENTION_SYSTEM_ACTOR).
 */
export async function runRetention(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof RetentionPreviewInput> = {},
  trigger: 'manual' | 'automatic' = 'manual',
): Promise<RetentionRunDto> {
  assertAdmin(actor);
  const input = parseInput(RetentionPreviewInput, raw);
  const now = nowOf(deps);
  const plan = await planRetention(deps, now, true);
  const run = `retention-${randomUUID()}`;
  let held = plan.held;

  const archived: Candidate[] = [];
  for (const batch of plan.archive) {
    // Checked again right before the write; the write itself only lands if the batch did not
    // change since it was read (a restart moves its counters and updated_at) and nobody archived it.
    if (await isHeld(deps, batch.batch_id, plan.leased)) {
      held++;
      continue;
    }
    const done = await deps.models.Batch.updateOne(
      { batch_id: batch.batch_id, archived: { $in: [false, null] }, updated_at: batch.updated_at ?? { $exists: false } },
      { $set: { archived: true, archived_at: now, updated_at: now } },
    );
    if (done.modifiedCount !== 1) continue;
    // The claim looks at the job's copy of the flag (the sweep's flag copy repairs a crash here).
    await deps.models.Job.updateMany({ batch_id: batch.batch_id }, { $set: { archived: true } });
    archived.push(batch);
  }

  const deleted: Candidate[] = [];
  let deletedJobs = 0;
  for (const batch of plan.delete) {
    const claimed = await deps.models.Batch.updateOne(
      {
        batch_id: batch.batch_id,
        archived: true,
        archived_at: batch.archived_at,
        $or: [{ retention_delete: { $exists: false } }, { 'retention_delete.at': { $lt: new Date(now.getTime() - DELETE_CLAIM_MS) } }],
      },
      { $set: { retention_delete: { run, at: now } } },
    );
    if (claimed.modifiedCount !== 1) continue;
    const release = () => deps.models.Batch.updateOne({ batch_id: batch.batch_id, 'retention_delete.run': run }, { $unset: { retention_delete: 1 } });
    if (await isHeld(deps, batch.batch_id, plan.leased)) {
      held++;
      await release();
      continue;
    }
    const result = await deleteBatchDocuments(deps, batch.batch_id, {
      onlyFinished: true,
      batchFilter: { archived: true, 'retention_delete.run': run },
    });
    deletedJobs += result.deleted_jobs;
    if (result.batch_deleted) deleted.push(batch);
    else {
      held++;
      await release();
    }
  }

  const result: RetentionRunDto = {
    policy: plan.policy,
    archive: actionOf(archived, input.limit),
    delete: actionOf(deleted, input.limit),
    held,
    deleted_jobs: deletedJobs,
    ran_at: now,
  };
  await recordAudit(deps, actor, {
    action: 'retention.run',
    target: { type: 'batches', ids: [...archived, ...deleted].map((batch) => batch.batch_id) },
    count: archived.length + deleted.length,
    details: { trigger, archived: archived.length, deleted: deleted.length, deleted_jobs: deletedJobs, held },
  });
  return result;
}

/**
 * The sweep's call: runs retention when the installation has an action on and the last automatic
 * run is an hour old. The hour is taken by one conditional update of the policy document, so of
 * several processes (or sweeps) only one runs. Returns null when it did not run.
 */
export async function runRetentionIfDue(deps: DomainDeps): Promise<RetentionRunDto | null> {
  const now = nowOf(deps);
  const taken = await deps.models.RetentionSettings.updateOne(
    {
      _id: RETENTION_SETTINGS_ID,
      $and: [
        { $or: [{ archive_finished_after_days: { $exists: true } }, { delete_archived_after_days: { $exists: true } }] },
        { $or: [{ last_auto_run_at: { $exists: false } }, { last_auto_run_at: { $lte: new Date(now.getTime() - RETENTION_AUTO_INTERVAL_MS) } }] },
      ],
    },
    { $set: { last_auto_run_at: now } },
  );
  if (taken.modifiedCount !== 1) return null;
  return runRetention(deps, RETENTION_SYSTEM_ACTOR, {}, 'automatic');
}

/**
 * A batch's own retention: kept (never archived or deleted by retention) or its own days; null
 * removes a setting, and with none left the field goes ($unset, never null). Whoever may delete
 * the batch may set it.
 */
export async function setBatchRetention(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof SetBatchRetentionInput>,
): Promise<BatchRetentionDto> {
  const input = parseInput(SetBatchRetentionInput, raw);
  const batch = await loadBatch(deps, actor, input.batch_id, 'admin');
  const next: BatchRetentionRecord = { ...batch.retention };
  if (input.keep === true) next.keep = true;
  else if (input.keep === false || input.keep === null) delete next.keep;
  for (const field of ['archive_after_days', 'delete_after_days'] as const) {
    const value = input[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  const own = compact(next);
  await deps.models.Batch.updateOne(
    { batch_id: batch.batch_id },
    Object.keys(own).length > 0 ? { $set: { retention: own } } : { $unset: { retention: 1 } },
  );
  await recordAudit(deps, actor, {
    action: 'retention.set_batch',
    target: { type: 'batch', ids: [batch.batch_id] },
    count: 1,
    details: { keep: own.keep, archive_after_days: own.archive_after_days, delete_after_days: own.delete_after_days },
  });
  return { batch_id: batch.batch_id, ...own };
}
