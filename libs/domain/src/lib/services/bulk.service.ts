/**
 * Bulk actions on jobs chosen by id or by filter: one request, pages of conditional updates, exact
 * counters, one audit event.
 *
 * - Selection: `job_ids`, or the filter fields ANDed. Without `job_ids`, `batch_ids` and
 *   `error_signature` it is the caller's own jobs of current batches (an admin's "all" is its own
 *   too: other users' batches are reached only by naming them, their ids or a failure group). The access filter is ANDed into every query and every write, so a
 *   filter never widens access: others' private batches are simply not matched.
 * - The run reads the matching jobs (id, batch, status) once, then acts on them in pages of
 *   PAGE_SIZE: per (batch, status) group one updateMany / deleteMany with that status and the whole
 *   selection in its filter. Each document's update is atomic and conditional, so a job a worker
 *   completed (or anyone changed) since the read is not matched: it is skipped and counted in
 *   `skipped`, never overwritten. modifiedCount per group is exact, and so are the counter moves.
 * - Beyond one batch the caller must type the preview's phrase (`restart 120 jobs`); the run refuses
 *   when more jobs match than the phrase names (fewer is fine: workers finished some meanwhile).
 */
import type { Collection } from 'mongodb';
import type { z } from 'zod';
import {
  BulkChangeInput,
  BulkChangeLanguageInput,
  bulkConfirmPhrase,
  BulkPreviewInput,
  BulkProgressInput,
  BulkSetPriorityInput,
  confirmedCount,
  MAX_BULK_JOBS,
  type BulkAction,
  type BulkSelection,
  type JobStatus,
} from '@event-monitor/contracts';
import { administrableFilter, assertNotViewer, writableFilter } from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import { transitionDelta, type BatchCounters } from '../job-state';
import { compact } from '../util';
import type { BulkRunRecord } from '../models/bulk-run.model';
import { recordAudit } from './audit.service';
import { moveBatchCounters } from './batch-counters';
import { forcedFailUpdate, logLine, pushLogs, restartUpdate } from './job-updates';
import { and, CURRENT_BATCH } from './load';
import { catchUpSearch } from './search-index.service';
import { searchFilterOf } from './search-terms';

/** Jobs per page of writes: one updateMany per (batch, status) of the page, then one counter move per batch. */
export const BULK_PAGE_SIZE = 1000;
/** At most this many batches are listed by name in a preview (the counts cover all). */
const MAX_LISTED_BATCHES = 100;

interface ActionPlan {
  /** The statuses the action changes; jobs in other states are not selected. */
  sources: readonly JobStatus[];
  /** delete needs the right to administer the batch, the rest to write it. */
  level: 'write' | 'admin';
}

const PLANS: Record<BulkAction, ActionPlan> = {
  restart: { sources: ['failed', 'completed'], level: 'write' },
  fail: { sources: ['pending', 'processing'], level: 'write' },
  cancel: { sources: ['pending', 'processing'], level: 'write' },
  delete: { sources: ['pending', 'processing', 'completed', 'failed'], level: 'admin' },
  // Not processing: its worker is producing the old language right now.
  change_language: { sources: ['pending', 'failed', 'completed'], level: 'write' },
  set_priority: { sources: ['pending', 'processing', 'completed', 'failed'], level: 'write' },
};

/** The selection as one filter over event_jobs (access included), or null when nothing can match. */
function selectionFilter(actor: Actor, action: BulkAction, selection: BulkSelection): Record<string, unknown> | null {
  const plan = PLANS[action];
  const statuses = selection.status ? plan.sources.filter((status) => status === selection.status) : plan.sources;
  if (statuses.length === 0) return null;
  // A failure signature names a group the caller saw in the failures view (across batches), as ids do.
  const named = selection.job_ids !== undefined || selection.batch_ids !== undefined || selection.error_signature !== undefined;
  return and(
    plan.level === 'admin' ? administrableFilter(actor) : writableFilter(actor),
    selection.job_ids ? { job_id: { $in: selection.job_ids } } : undefined,
    selection.batch_ids ? { batch_id: { $in: selection.batch_ids } } : undefined,
    named ? undefined : { user_id: actor.userId, ...CURRENT_BATCH },
    { status: statuses.length === 1 ? statuses[0] : { $in: [...statuses] } },
    selection.error_code ? { 'error.code': selection.error_code } : undefined,
    selection.error_signature ? { error_signature: selection.error_signature } : undefined,
    selection.job_type ? { job_type: selection.job_type } : undefined,
    selection.language ? { 'parameters.target_language': selection.language } : undefined,
    searchFilterOf(selection.search),
  );
}

function selectionOf(input: BulkSelection): BulkSelection {
  const { job_ids, batch_ids, status, error_code, job_type, search, language, error_signature } = input;
  return compact({ job_ids, batch_ids, status, error_code, job_type, search, language, error_signature }) as BulkSelection;
}

export interface BulkBatchDto {
  batch_id: string | null;
  batch_name: string | null;
  owner: string | null;
  jobs: number;
}

export interface BulkPreview {
  action: BulkAction;
  jobs: number;
  batches: number;
  affected: BulkBatchDto[];
  owners: string[];
  confirm_required: boolean;
  confirm_phrase: string;
}

/** What a bulk action would change now: counts, batches (most jobs first) and owners; a viewer gets zeros. */
export async function previewBulk(deps: DomainDeps, actor: Actor, raw: z.input<typeof BulkPreviewInput>): Promise<BulkPreview> {
  const input = parseInput(BulkPreviewInput, raw);
  if (searchFilterOf(input.search)) await catchUpSearch(deps);
  const filter = selectionFilter(actor, input.action, selectionOf(input));
  const groups = filter
    ? await deps.models.Job.aggregate<{ _id: string | null; n: number; owner: string | null }>([
        { $match: filter },
        { $group: { _id: '$batch_id', n: { $sum: 1 }, owner: { $first: '$user_id' } } },
      ])
    : [];
  groups.sort((a, b) => b.n - a.n || String(a._id).localeCompare(String(b._id)));
  const listed = groups.slice(0, MAX_LISTED_BATCHES);
  const ids = listed.map((group) => group._id).filter((id): id is string => typeof id === 'string');
  const batches = ids.length
    ? await deps.models.Batch.find({ batch_id: { $in: ids } }, { batch_id: 1, batch_name: 1, user_id: 1, _id: 0 }).lean()
    : [];
  const byId = new Map(batches.map((batch) => [batch.batch_id, batch]));
  const jobs = groups.reduce((sum, group) => sum + group.n, 0);
  return {
    action: input.action,
    jobs,
    batches: groups.length,
    affected: listed.map((group) => {
      const batch = group._id ? byId.get(group._id) : undefined;
      return { batch_id: group._id ?? null, batch_name: batch?.batch_name ?? null, owner: batch?.user_id ?? group.owner ?? null, jobs: group.n };
    }),
    owners: [...new Set(groups.map((group) => (group._id ? byId.get(group._id)?.user_id : undefined) ?? group.owner).filter((o): o is string => !!o))].sort(),
    confirm_required: groups.length > 1,
    confirm_phrase: bulkConfirmPhrase(input.action, jobs),
  };
}

export interface BulkRunResult {
  action: BulkAction;
  matched: number;
  changed: number;
  skipped: number;
  batches: number;
  restarted: number;
}

/** Called after each page with the jobs handled so far (changed + skipped) of `matched`. */
export type BulkProgress = (progress: { action: BulkAction; matched: number; done: number; changed: number }) => void | Promise<void>;

export interface BulkRunOptions {
  onProgress?: BulkProgress;
  /** Jobs per page of writes (default BULK_PAGE_SIZE). */
  pageSize?: number;
}

interface Selected {
  job_id: string;
  batch_id?: string | null;
  status: JobStatus;
}

type Update = Record<string, Record<string, unknown>>;

/** The write of one (batch, status) group: returns how many jobs it changed and the counters' move. */
type GroupWrite = (
  filter: Record<string, unknown>,
  status: JobStatus,
) => Promise<{ n: number; delta: Partial<BatchCounters>; restarted?: number }>;

function transition(deps: DomainDeps, to: JobStatus, update: Update): GroupWrite {
  return async (filter, status) => {
    const n = (await deps.models.Job.updateMany(filter, update)).modifiedCount;
    return { n, delta: transitionDelta(status, to, n) };
  };
}

function writerFor(deps: DomainDeps, actor: Actor, action: BulkAction, input: BulkActionInput): GroupWrite {
  const now = nowOf(deps);
  const by = `by ${actor.userId} (bulk ${action.replace('_', ' ')}): ${input.reason}`;
  switch (action) {
    case 'restart':
      return transition(deps, 'pending', restartUpdate(now, `restarted ${by}`));
    case 'fail':
      return transition(deps, 'failed', forcedFailUpdate(now, 'FORCED_FAILURE', input.reason));
    case 'cancel':
      return transition(deps, 'failed', forcedFailUpdate(now, 'CANCELLED', input.reason));
    case 'delete':
      return async (filter, status) => {
        const n = (await deps.models.Job.deleteMany(filter)).deletedCount;
        return { n, delta: { total_jobs: -n, [`${status}_jobs`]: -n } };
      };
    case 'change_language': {
      const language = (input as BulkChangeLanguageInput).target_language;
      const restart = transition(deps, 'pending', restartUpdate(now, `restarted with target language ${language} ${by}`, { targetLanguage: language }));
      const setLanguage = {
        $set: { 'parameters.target_language': language, updated_at: now },
        $push: pushLogs([logLine(now, 'info', `target language ${language} ${by}`)]),
      };
      return async (filter, status) => {
        if ((input as BulkChangeLanguageInput).reset_to_pending && status !== 'pending') {
          const moved = await restart(filter, status);
          return { ...moved, restarted: moved.n };
        }
        return { n: (await deps.models.Job.updateMany(filter, setLanguage)).modifiedCount, delta: {} };
      };
    }
    case 'set_priority': {
      const priority = (input as BulkSetPriorityInput).priority;
      const update = { $set: { priority, updated_at: now }, $push: pushLogs([logLine(now, 'info', `priority ${priority} ${by}`)]) };
      return async (filter) => ({ n: (await deps.models.Job.updateMany(filter, update)).modifiedCount, delta: {} });
    }
  }
}

type BulkActionInput = BulkChangeInput | BulkChangeLanguageInput | BulkSetPriorityInput;

function addDelta(into: Partial<BatchCounters>, delta: Partial<BatchCounters>): void {
  for (const [key, value] of Object.entries(delta) as [keyof BatchCounters, number][]) into[key] = (into[key] ?? 0) + value;
}

/** The typed confirmation: needed beyond one batch, and it must name at least as many jobs as match now. */
function checkConfirmation(action: BulkAction, confirm: string | undefined, selected: readonly Selected[]): void {
  const batches = new Set(selected.map((job) => job.batch_id ?? null));
  if (batches.size <= 1) return;
  const phrase = bulkConfirmPhrase(action, selected.length);
  const named = confirmedCount(action, confirm);
  if (named === undefined) {
    throw new DomainError(DomainErrorCode.VALIDATION, `This reaches ${batches.size} batches: confirm by typing "${phrase}"`, {
      fieldErrors: { confirm: [`Type "${phrase}"`] },
      formErrors: [],
      confirm_phrase: phrase,
    });
  }
  if (selected.length > named) {
    throw new DomainError(DomainErrorCode.CONFLICT, `${selected.length} jobs match now, more than the ${named} confirmed; preview again`, {
      confirm_phrase: phrase,
    });
  }
}

async function runBulk(
  deps: DomainDeps,
  actor: Actor,
  action: BulkAction,
  input: BulkActionInput,
  options: BulkRunOptions = {},
): Promise<BulkRunResult> {
  assertNotViewer(actor);
  const selection = selectionOf(input);
  if (searchFilterOf(selection.search)) await catchUpSearch(deps);
  const filter = selectionFilter(actor, action, selection);
  const selected = filter
    ? await deps.models.Job.find(filter, { job_id: 1, batch_id: 1, status: 1, _id: 0 }).limit(MAX_BULK_JOBS + 1).lean<Selected[]>()
    : [];
  if (selected.length > MAX_BULK_JOBS) {
    throw new DomainError(DomainErrorCode.LIMIT_EXCEEDED, `More than ${MAX_BULK_JOBS} jobs match; narrow the selection`);
  }
  checkConfirmation(action, input.confirm, selected);
  const run = bulkRunRecorder(deps, actor, action, input.run_id, selected.length);
  await run.start();
  try {
    return await runSelected(deps, actor, action, input, selection, filter, selected, {
      ...options,
      onProgress: async (progress) => {
        await run.progress(progress.done, progress.changed);
        await options.onProgress?.(progress);
      },
    });
  } catch (error) {
    await run.fail().catch(() => undefined);
    throw error;
  } finally {
    await run.finish();
  }
}

/** Keeps the run's progress document (when the caller gave a `run_id`) for `bulkProgress`. */
function bulkRunRecorder(deps: DomainDeps, actor: Actor, action: BulkAction, runId: string | undefined, matched: number) {
  const runs = deps.models.BulkRun.collection as unknown as Collection<BulkRunRecord>;
  const _id = `${actor.userId}:${runId}`;
  let last = { done: 0, changed: 0 };
  let failed = false;
  const set = (fields: Record<string, unknown>) =>
    runId === undefined ? Promise.resolve() : runs.updateOne({ _id }, { $set: { ...fields, updated_at: nowOf(deps) } }).then(() => undefined);
  return {
    start: async () => {
      if (runId === undefined) return;
      const now = nowOf(deps);
      const record = { user_id: actor.userId, run_id: runId, action, state: 'running' as const, matched, done: 0, changed: 0, started_at: now, updated_at: now };
      await runs.replaceOne({ _id }, record, { upsert: true });
    },
    progress: (done: number, changed: number) => {
      last = { done, changed };
      return set(last);
    },
    fail: () => {
      failed = true;
      return set({ state: 'failed' });
    },
    finish: () => (failed ? Promise.resolve() : set({ state: 'finished', ...last })),
  };
}

/** What the caller may read of its own run `run_id` (`unknown` before it starts, for others' ids, after a day). */
export async function bulkProgress(deps: DomainDeps, actor: Actor, input: BulkProgressInput) {
  const { run_id } = parseInput(BulkProgressInput, input);
  const run = await (deps.models.BulkRun.collection as unknown as Collection<BulkRunRecord>).findOne({ _id: `${actor.userId}:${run_id}` });
  if (!run) return { run_id, state: 'unknown' as const, matched: 0, done: 0, changed: 0 };
  return {
    run_id,
    state: run.state,
    action: run.action,
    matched: run.matched,
    done: run.done,
    changed: run.changed,
    started_at: run.started_at,
    updated_at: run.updated_at,
  };
}

/** Bulk runs a day old are forgotten (the maintenance sweep; index-served by {updated_at}). */
export async function deleteOldBulkRuns(deps: DomainDeps): Promise<number> {
  const cutoff = new Date(nowOf(deps).getTime() - 24 * 3_600_000);
  return (await deps.models.BulkRun.collection.deleteMany({ updated_at: { $lt: cutoff } })).deletedCount;
}

/** The writes of a run over the selected jobs, page by page, and its audit event. */
async function runSelected(
  deps: DomainDeps,
  actor: Actor,
  action: BulkAction,
  input: BulkActionInput,
  selection: BulkSelection,
  filter: Record<string, unknown> | null,
  selected: Selected[],
  options: BulkRunOptions,
): Promise<BulkRunResult> {
  const pageSize = options.pageSize ?? BULK_PAGE_SIZE;
  const write = writerFor(deps, actor, action, input);
  const changedBatches = new Set<string>();
  let changed = 0;
  let restarted = 0;
  for (let start = 0; start < selected.length; start += pageSize) {
    const page = selected.slice(start, start + pageSize);
    const groups = new Map<string, { batchId: string | undefined; status: JobStatus; ids: string[] }>();
    for (const job of page) {
      const key = `${job.status}\u0000${job.batch_id ?? ''}`;
      const group = groups.get(key) ?? { batchId: job.batch_id ?? undefined, status: job.status, ids: [] };
      group.ids.push(job.job_id);
      groups.set(key, group);
    }
    const deltas = new Map<string | undefined, Partial<BatchCounters>>();
    for (const group of groups.values()) {
      // The whole selection again (access included), narrowed to these ids in the status read.
      const result = await write(and(filter ?? {}, { job_id: { $in: group.ids }, status: group.status }), group.status);
      changed += result.n;
      restarted += result.restarted ?? 0;
      if (result.n > 0 && group.batchId) changedBatches.add(group.batchId);
      const delta = deltas.get(group.batchId) ?? {};
      addDelta(delta, result.delta);
      deltas.set(group.batchId, delta);
    }
    for (const [batchId, delta] of deltas) await moveBatchCounters(deps, batchId, delta);
    await options.onProgress?.({ action, matched: selected.length, done: start + page.length, changed });
  }

  const result: BulkRunResult = {
    action,
    matched: selected.length,
    changed,
    skipped: selected.length - changed,
    batches: changedBatches.size,
    restarted,
  };
  const { job_ids, ...filterFields } = selection;
  await recordAudit(deps, actor, {
    action: `job.bulk_${action}`,
    target: { type: 'batches', ids: [...changedBatches] },
    count: changed,
    reason: input.reason,
    details: {
      filter: compact({ ...filterFields, job_ids: job_ids?.slice(0, 20), job_ids_count: job_ids?.length }),
      matched: result.matched,
      changed,
      skipped: result.skipped,
      batches: result.batches,
      ...(action === 'change_language' ? { target_language: (input as BulkChangeLanguageInput).target_language, restarted } : {}),
      ...(action === 'set_priority' ? { priority: (input as BulkSetPriorityInput).priority } : {}),
    },
  });
  return result;
}

export async function bulkRestart(deps: DomainDeps, actor: Actor, raw: z.input<typeof BulkChangeInput>, options?: BulkRunOptions) {
  return runBulk(deps, actor, 'restart', parseInput(BulkChangeInput, raw), options);
}

export async function bulkFail(deps: DomainDeps, actor: Actor, raw: z.input<typeof BulkChangeInput>, options?: BulkRunOptions) {
  return runBulk(deps, actor, 'fail', parseInput(BulkChangeInput, raw), options);
}

export async function bulkCancel(deps: DomainDeps, actor: Actor, raw: z.input<typeof BulkChangeInput>, options?: BulkRunOptions) {
  return runBulk(deps, actor, 'cancel', parseInput(BulkChangeInput, raw), options);
}

export async function bulkDelete(deps: DomainDeps, actor: Actor, raw: z.input<typeof BulkChangeInput>, options?: BulkRunOptions) {
  return runBulk(deps, actor, 'delete', parseInput(BulkChangeInput, raw), options);
}

export async function bulkChangeLanguage(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof BulkChangeLanguageInput>,
  options?: BulkRunOptions,
) {
  return runBulk(deps, actor, 'change_language', parseInput(BulkChangeLanguageInput, raw), options);
}

export async function bulkSetPriority(deps: DomainDeps, actor: Actor, raw: z.input<typeof BulkSetPriorityInput>, options?: BulkRunOptions) {
  return runBulk(deps, actor, 'set_priority', parseInput(BulkSetPriorityInput, raw), options);
}
