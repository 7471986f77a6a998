import type { Collection } from 'mongodb';
import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import { PauseJobTypeInput, ResumeJobTypeInput, SetJobTypeLimitsInput } from '@event-monitor/contracts';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import type { FlowSlotRecord, JobTypeFlowRecord } from '../models/job-type-flow.model';
import type { JobRecord } from '../models/job.model';
import { compact } from '../util';
import { recordAudit } from './audit.service';

/**
 * Flow control per job type (issue 20): pause with an optional automatic resume, a maximum of
 * jobs processing at once and a rate (jobs started per minute), all enforced by the claim.
 *
 * Atomicity without transactions: each limited type has one document whose slot count and
 * minute window move only by conditional updates of that document (`count < max`), so 32
 * claimers cannot overshoot. The claim reserves a slot BEFORE it takes a job of the type and gives
 * it back when it found none; the slot is released when the job leaves processing (complete, fail,
 * lease recovery) and the maintenance sweep recounts the slots from the processing jobs, so a
 * crash between reservation and release never keeps a slot for ever.
 */

/** How long a process uses what it read of the flow documents (which types are paused or limited). */
export const FLOW_CACHE_MS = 1_000;
/** A slot younger than this without a processing job is a claim in flight: the recount keeps it. */
export const SLOT_GRACE_MS = 30_000;

/** What the claim needs to know of one type. */
interface TypeControl {
  paused: boolean;
  resume_at?: Date;
  max_concurrent?: number;
  rate_per_minute?: number;
}

export interface FlowState {
  types: Map<string, TypeControl>;
  /** Types with a limit (concurrency or rate): their claims reserve a slot first. */
  limited: Set<string>;
  /** Types paused at some time (a resume_at past `now` ends it: see `pausedTypes`). */
  pausedAny: boolean;
}

/** The flow documents through the driver: small, fixed-shape updates on the claim's path. */
function flowCollection(deps: DomainDeps): Collection<JobTypeFlowRecord> {
  return deps.models.JobTypeFlow.collection as unknown as Collection<JobTypeFlowRecord>;
}

const EMPTY: FlowState = { types: new Map(), limited: new Set(), pausedAny: false };

interface Cached {
  at: number;
  state: Promise<FlowState>;
}

// Per set of models (tests use several connections), as touchWorker's memory.
const cache = new WeakMap<object, Cached>();

async function readFlowState(deps: DomainDeps): Promise<FlowState> {
  const docs = await flowCollection(deps)
    .find({}, { projection: { _id: 0, job_type: 1, paused: 1, resume_at: 1, max_concurrent: 1, rate_per_minute: 1 } })
    .limit(10_000)
    .toArray();
  if (docs.length === 0) return EMPTY;
  const state: FlowState = { types: new Map(), limited: new Set(), pausedAny: false };
  for (const doc of docs) {
    const control: TypeControl = compact({
      paused: doc.paused === true,
      resume_at: doc.resume_at,
      max_concurrent: doc.max_concurrent,
      rate_per_minute: doc.rate_per_minute,
    });
    state.types.set(doc.job_type ?? '', control);
    if (control.max_concurrent !== undefined || control.rate_per_minute !== undefined) state.limited.add(doc.job_type ?? '');
    if (control.paused) state.pausedAny = true;
  }
  return state;
}

/** The flow controls as this process knows them (read at most every FLOW_CACHE_MS). */
export function flowState(deps: DomainDeps): Promise<FlowState> {
  const at = Date.now();
  const cached = cache.get(deps.models);
  if (cached && at - cached.at < FLOW_CACHE_MS && at >= cached.at) return cached.state;
  const state = readFlowState(deps);
  cache.set(deps.models, { at, state });
  state.catch(() => cache.delete(deps.models));
  return state;
}

/** Forgets what this process read, so its next claim sees a change it made itself at once. */
export function forgetFlowState(deps: DomainDeps): void {
  cache.delete(deps.models);
}

function isPaused(control: TypeControl | undefined, now: Date): boolean {
  return control?.paused === true && (control.resume_at === undefined || control.resume_at > now);
}

/** The types the claim skips now. */
export function pausedTypes(state: FlowState, now: Date): string[] {
  if (!state.pausedAny) return [];
  return [...state.types].filter(([, control]) => isPaused(control, now)).map(([type]) => type);
}

const minuteOf = (now: Date): number => Math.floor(now.getTime() / 60_000);

/** A condition that a field has exactly the value the claim read (or is absent). */
const sameAs = (value: number | undefined) => (value === undefined ? { $exists: false } : value);

export interface Reservation {
  job_type: string;
  token: string;
  minute: number;
}

/**
 * Reserves a slot of a limited type for the claim whose lease token is `token`: one conditional
 * update of the type's document, in the current minute window or a new one. The filter names the
 * limits this process read, so a limit changed by another process fails the reservation (the
 * type is skipped until this process reads the limits again, within FLOW_CACHE_MS) instead of
 * applying the old one.
 */
export async function reserveSlot(deps: DomainDeps, state: FlowState, jobType: string, token: string, now: Date): Promise<Reservation | null> {
  const control = state.types.get(jobType);
  if (!control) return null;
  const minute = minuteOf(now);
  const base: Record<string, unknown> = {
    job_type: jobType,
    max_concurrent: sameAs(control.max_concurrent),
    rate_per_minute: sameAs(control.rate_per_minute),
  };
  if (control.max_concurrent !== undefined) base['count'] = { $lt: control.max_concurrent };
  const slot: FlowSlotRecord = { token, at: now };
  const collection = flowCollection(deps);
  const sameWindow = await collection.updateOne(
    { ...base, window_minute: minute, ...(control.rate_per_minute !== undefined ? { window_count: { $lt: control.rate_per_minute } } : {}) },
    { $inc: { count: 1, window_count: 1, version: 1 }, $push: { slots: slot } },
  );
  if (sameWindow.modifiedCount === 1) return { job_type: jobType, token, minute };
  const newWindow = await collection.updateOne(
    { ...base, window_minute: { $ne: minute } },
    { $inc: { count: 1, version: 1 }, $set: { window_minute: minute, window_count: 1 }, $push: { slots: slot } },
  );
  if (newWindow.modifiedCount === 1) return { job_type: jobType, token, minute };
  // Full, or the limits changed elsewhere (this process reads them again within FLOW_CACHE_MS).
  return null;
}

/**
 * Gives a slot back. `unstart`: the claim found no job after all, so its start does not count
 * against the rate either. Matching on the slot's token makes a second release a no-op.
 */
export async function releaseSlot(deps: DomainDeps, jobType: string, token: string, unstart?: { minute: number }): Promise<void> {
  const collection = flowCollection(deps);
  const released = await collection.updateOne(
    { job_type: jobType, 'slots.token': token },
    { $pull: { slots: { token } }, $inc: { count: -1, version: 1 } },
  );
  if (unstart && released.modifiedCount === 1) {
    await collection.updateOne({ job_type: jobType, window_minute: unstart.minute, window_count: { $gt: 0 } }, { $inc: { window_count: -1 } });
  }
}

/** Releases the slot of a job that left processing, when its type is limited (else nothing to do). */
export async function releaseJobSlot(deps: DomainDeps, jobType: string | undefined, token: string | undefined): Promise<void> {
  if (token === undefined) return;
  const state = await flowState(deps);
  if (!state.limited.has(jobType ?? '')) return;
  await releaseSlot(deps, jobType ?? '', token);
}

export interface FlowRecount {
  /** Limited types whose slots were corrected. */
  corrected: number;
  /** Paused types whose resume time passed (now shown as running). */
  resumed: number;
}

/**
 * The sweep's repair: the slots of each limited type become the processing jobs of the type
 * (leased ones by their token, legacy-taken ones too: they use the quota even though they never
 * asked) plus the reservations younger than SLOT_GRACE_MS (claims in flight). Written only if the
 * document did not move meanwhile (its version), so it never undoes a concurrent reservation.
 * Also clears pauses whose resume time passed.
 */
export async function recountFlowSlots(deps: DomainDeps, onlyType?: string): Promise<FlowRecount> {
  const now = nowOf(deps);
  const collection = flowCollection(deps);
  const result: FlowRecount = { corrected: 0, resumed: 0 };
  const resumed = await collection.updateMany(
    { paused: true, resume_at: { $lte: now } },
    { $set: { paused: false, updated_at: now }, $unset: { resume_at: 1, paused_at: 1 } },
  );
  result.resumed = resumed.modifiedCount;
  if (resumed.modifiedCount > 0) forgetFlowState(deps);
  const docs = await collection
    .find(onlyType === undefined ? {} : { job_type: onlyType }, { projection: { _id: 0, job_type: 1, slots: 1, version: 1, count: 1, max_concurrent: 1, rate_per_minute: 1 } })
    .limit(10_000)
    .toArray();
  for (const doc of docs) {
    const limited = doc.max_concurrent !== undefined || doc.rate_per_minute !== undefined;
    if (!limited && (doc.slots ?? []).length === 0 && (doc.count ?? 0) === 0) continue;
    // A type without limits keeps no slots (its claims reserve none, its releases are skipped).
    const processing = limited
      ? await deps.models.Job.find({ status: 'processing', job_type: doc.job_type }, { _id: 0, job_id: 1, lease: 1 })
          .limit(100_000)
          .lean<Pick<JobRecord, 'job_id' | 'lease'>[]>()
      : [];
    const held = new Map<string, FlowSlotRecord>();
    const old = new Map((doc.slots ?? []).map((slot) => [slot.token, slot]));
    for (const job of processing) {
      const token = job.lease?.token ?? `legacy:${job.job_id}`;
      held.set(token, old.get(token) ?? { token, at: now });
    }
    for (const slot of limited ? (doc.slots ?? []) : []) {
      if (!held.has(slot.token) && now.getTime() - slot.at.getTime() < SLOT_GRACE_MS) held.set(slot.token, slot);
    }
    const slots = [...held.values()];
    const same = slots.length === (doc.slots ?? []).length && slots.every((slot) => old.has(slot.token));
    if (same && doc.count === slots.length) continue;
    const written = await collection.updateOne(
      { job_type: doc.job_type, version: doc.version ?? 0 },
      { $set: { slots, count: slots.length }, $inc: { version: 1 } },
    );
    if (written.modifiedCount === 1) result.corrected++;
  }
  return result;
}

export interface JobTypeFlowDto {
  job_type: string;
  paused: boolean;
  resume_at?: Date;
  paused_at?: Date;
  max_concurrent?: number;
  rate_per_minute?: number;
  processing: number;
  started_this_minute: number;
  updated_at?: Date;
}

function toFlowDto(doc: JobTypeFlowRecord, now: Date): JobTypeFlowDto {
  const paused = isPaused({ paused: doc.paused === true, ...(doc.resume_at ? { resume_at: doc.resume_at } : {}) }, now);
  return compact({
    job_type: doc.job_type ?? '',
    paused,
    resume_at: paused ? doc.resume_at : undefined,
    paused_at: paused ? doc.paused_at : undefined,
    max_concurrent: doc.max_concurrent,
    rate_per_minute: doc.rate_per_minute,
    processing: Math.max(doc.count ?? 0, 0),
    started_this_minute: doc.window_minute === minuteOf(now) ? Math.max(doc.window_count ?? 0, 0) : 0,
    updated_at: doc.updated_at,
  });
}

/** Every job type with a pause or a limit, by name. Everyone who may read sees them (dashboard, workers page). */
export async function listJobTypeFlow(deps: DomainDeps): Promise<{ job_types: JobTypeFlowDto[] }> {
  const now = nowOf(deps);
  const docs = await flowCollection(deps).find({}).limit(10_000).toArray();
  const job_types = docs
    .map((doc) => toFlowDto(doc, now))
    .filter((dto) => dto.paused || dto.max_concurrent !== undefined || dto.rate_per_minute !== undefined || dto.processing > 0)
    .sort((a, b) => (a.job_type < b.job_type ? -1 : a.job_type > b.job_type ? 1 : 0));
  return { job_types };
}

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new DomainError(DomainErrorCode.FORBIDDEN, 'Only admins change the flow controls of job types');
}

/** Creates the type's document when missing (a unique index on job_type makes a race one document). */
async function ensureFlowDoc(deps: DomainDeps, jobType: string): Promise<void> {
  try {
    await flowCollection(deps).updateOne(
      { job_type: jobType },
      { $setOnInsert: { job_type: jobType, count: 0, slots: [], window_minute: 0, window_count: 0, version: 0 } },
      { upsert: true },
    );
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

async function readFlowDto(deps: DomainDeps, jobType: string): Promise<JobTypeFlowDto> {
  const doc = await flowCollection(deps).findOne({ job_type: jobType });
  if (!doc) throw new DomainError(DomainErrorCode.NOT_FOUND, `Job type ${jobType} has no flow controls`);
  return toFlowDto(doc, nowOf(deps));
}

/** Sets or clears (null) the limits of a type; admins only. The slots start from a recount of its processing jobs. */
export async function setJobTypeLimits(deps: DomainDeps, actor: Actor, raw: z.input<typeof SetJobTypeLimitsInput>): Promise<JobTypeFlowDto> {
  assertAdmin(actor);
  const input = parseInput(SetJobTypeLimitsInput, raw);
  const now = nowOf(deps);
  await ensureFlowDoc(deps, input.job_type);
  const set: Record<string, unknown> = { updated_at: now, updated_by: actor.userId };
  const unset: Record<string, 1> = {};
  for (const field of ['max_concurrent', 'rate_per_minute'] as const) {
    const value = input[field];
    if (value === null) unset[field] = 1;
    else if (value !== undefined) set[field] = value;
  }
  await flowCollection(deps).updateOne(
    { job_type: input.job_type },
    { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}), $inc: { version: 1 } },
  );
  forgetFlowState(deps);
  await recountFlowSlots(deps, input.job_type);
  await recordAudit(deps, actor, {
    action: 'job_type.set_limits',
    target: { type: 'job_type', ids: [input.job_type] },
    count: 1,
    details: { max_concurrent: input.max_concurrent, rate_per_minute: input.rate_per_minute },
  });
  return readFlowDto(deps, input.job_type);
}

/** Stops handing out jobs of a type (until `resume_at` when given); admins only. */
export async function pauseJobType(deps: DomainDeps, actor: Actor, raw: z.input<typeof PauseJobTypeInput>): Promise<JobTypeFlowDto> {
  assertAdmin(actor);
  const input = parseInput(PauseJobTypeInput, raw);
  const now = nowOf(deps);
  if (input.resume_at && input.resume_at <= now) {
    throw new DomainError(DomainErrorCode.VALIDATION, 'Invalid input: resume_at', { fieldErrors: { resume_at: ['Must be in the future'] }, formErrors: [] });
  }
  await ensureFlowDoc(deps, input.job_type);
  await flowCollection(deps).updateOne(
    { job_type: input.job_type },
    {
      $set: { paused: true, paused_at: now, updated_at: now, updated_by: actor.userId, ...(input.resume_at ? { resume_at: input.resume_at } : {}) },
      ...(input.resume_at ? {} : { $unset: { resume_at: 1 } }),
    },
  );
  forgetFlowState(deps);
  await recordAudit(deps, actor, {
    action: 'job_type.pause',
    target: { type: 'job_type', ids: [input.job_type] },
    count: 1,
    details: { resume_at: input.resume_at?.toISOString() },
  });
  return readFlowDto(deps, input.job_type);
}

/** Hands out jobs of a paused type again; admins only. Resuming a type that is not paused changes nothing. */
export async function resumeJobType(deps: DomainDeps, actor: Actor, raw: z.input<typeof ResumeJobTypeInput>): Promise<JobTypeFlowDto> {
  assertAdmin(actor);
  const input = parseInput(ResumeJobTypeInput, raw);
  const now = nowOf(deps);
  await ensureFlowDoc(deps, input.job_type);
  await flowCollection(deps).updateOne(
    { job_type: input.job_type },
    { $set: { paused: false, updated_at: now, updated_by: actor.userId }, $unset: { resume_at: 1, paused_at: 1 } },
  );
  forgetFlowState(deps);
  await recordAudit(deps, actor, { action: 'job_type.resume', target: { type: 'job_type', ids: [input.job_type] }, count: 1 });
  return readFlowDto(deps, input.job_type);
}
