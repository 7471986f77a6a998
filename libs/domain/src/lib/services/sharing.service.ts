import { FOUND_USERS_MAX, FindUsersInput, ShareBatchInput } from '@event-monitor/contracts';
import { Types } from 'mongoose';
import type { z } from 'zod';
import { administrableFilter, assertCanCreate } from '../access/access.policy';
import type { Actor } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, parseInput } from '../errors';
import { accessControlOf } from '../mappers/batch.mapper';
import type { AccessControlRecord } from '../models/shared-schemas';
import { recordAudit } from './audit.service';
import { and, loadBatch } from './load';

/**
 * better-auth's user collection (same database). The domain reads it for the picker and to check
 * the ids a share names; better-auth alone writes it.
 */
const USER_COLLECTION = 'user';

/** A deactivated user: the `deactivated` field libs/auth's setUserActive writes (absent = active). */
const INACTIVE = [{ deactivated: true }];

interface StoredUser {
  _id: unknown;
  name?: unknown;
  email?: unknown;
  banned?: unknown;
  deactivated?: unknown;
  deactivated_at?: unknown;
}

export interface FoundUser {
  id: string;
  name: string;
  email: string;
  active: boolean;
}

const LISTS = ['read_access', 'write_access', 'admin_access'] as const;
type ListField = (typeof LISTS)[number];

function usersOf(deps: DomainDeps) {
  return deps.models.Batch.db.collection<StoredUser>(USER_COLLECTION);
}

/** better-auth stores ids as ObjectIds where they look like one; others as given. */
function storedIds(ids: readonly string[]): unknown[] {
  return ids.flatMap((id) => (/^[0-9a-f]{24}$/i.test(id) ? [new Types.ObjectId(id), id] : [id]));
}

function toFoundUser(user: StoredUser): FoundUser {
  return {
    id: String(user._id),
    name: typeof user.name === 'string' ? user.name : '',
    email: typeof user.email === 'string' ? user.email : '',
    active: !(user.banned === true || user.deactivated === true || user.deactivated_at instanceof Date),
  };
}

async function usersByIds(deps: DomainDeps, ids: readonly string[]): Promise<Map<string, FoundUser>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const users = await usersOf(deps)
    .find({ _id: { $in: storedIds(wanted) } } as never, { projection: { name: 1, email: 1, banned: 1, deactivated: 1, deactivated_at: 1 } })
    .toArray();
  return new Map(users.map((user) => [String(user._id), toFoundUser(user as StoredUser)]));
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The share dialog's picker: active users whose name or e-mail starts with `q` (case-insensitive,
 * at most 10), or the users with `ids` (deactivated ones marked, to show a batch's current lists).
 * Anyone who may administer a batch may look; every non-viewer can (an operator administers what
 * it creates), so viewers alone are refused.
 */
export async function findUsers(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof FindUsersInput>,
): Promise<{ users: FoundUser[] }> {
  assertCanCreate(actor);
  const input = parseInput(FindUsersInput, raw);
  if (input.ids && input.ids.length > 0) {
    const found = await usersByIds(deps, input.ids);
    return { users: input.ids.flatMap((id) => found.get(id) ?? []) };
  }
  const prefix = { $regex: `^${escapeRegex(input.q ?? '')}`, $options: 'i' };
  const users = await usersOf(deps)
    .find({ $or: [{ name: prefix }, { email: prefix }], $nor: INACTIVE } as never, { projection: { name: 1, email: 1 } })
    .sort({ name: 1, email: 1 })
    .limit(FOUND_USERS_MAX)
    .toArray();
  return { users: users.map((user) => toFoundUser(user as StoredUser)) };
}

export interface BatchSharingDto {
  batch_id: string;
  access_control: AccessControlRecord;
  jobs_updated: number;
}

function validation(field: string, message: string): DomainError {
  return new DomainError(DomainErrorCode.VALIDATION, `Invalid input: ${field}`, { fieldErrors: { [field]: [message] }, formErrors: [] });
}

/**
 * Changes a batch's visibility and read / write / admin lists (its administrators only). A list
 * sent replaces the stored one; the owner stays in every list, so the batch always keeps someone
 * who manages it. Ids not yet in any list must be users. One update of the batch document sets
 * the `access_control.*` fields (other legacy keys stay), then one update_many gives the batch's
 * jobs the same copy: job reads are checked against the job's own access_control.
 */
export async function shareBatch(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ShareBatchInput>,
): Promise<BatchSharingDto> {
  const input = parseInput(ShareBatchInput, raw);
  const batch = await loadBatch(deps, actor, input.batch_id, 'admin');
  const stored = batch.access_control && typeof batch.access_control === 'object' ? batch.access_control : null;
  const shown = accessControlOf(batch);
  const before: AccessControlRecord = {
    visibility: stored?.visibility === 'public' || stored?.visibility === 'private' ? stored.visibility : shown.visibility,
    read_access: Array.isArray(stored?.read_access) ? stored.read_access : shown.read_access,
    write_access: Array.isArray(stored?.write_access) ? stored.write_access : shown.write_access,
    admin_access: Array.isArray(stored?.admin_access) ? stored.admin_access : shown.admin_access,
  };
  const owner = typeof batch.user_id === 'string' && batch.user_id.length > 0 ? batch.user_id : null;
  const after: AccessControlRecord = { ...before, visibility: input.visibility ?? before.visibility };
  for (const field of LISTS) {
    const given = input[field];
    if (given === undefined) continue;
    const list = [...new Set(given)];
    after[field] = owner && !list.includes(owner) ? [owner, ...list] : list;
  }

  // Ids already listed may name users that are gone (or legacy ids): they stay; new ones must exist.
  const known = new Set([...LISTS.flatMap((field) => before[field]), ...(owner ? [owner] : [])]);
  const added = LISTS.flatMap((field) => after[field].filter((id) => !known.has(id)).map((id) => ({ field, id })));
  const users = await usersByIds(deps, [...new Set([...LISTS.flatMap((field) => [...before[field], ...after[field]]), ...(owner ? [owner] : [])])]);
  const unknown = added.filter(({ id }) => !users.has(id));
  if (unknown.length > 0) {
    const first = unknown[0] as { field: ListField; id: string };
    const details = { fieldErrors: {} as Record<string, string[]>, formErrors: [] as string[] };
    for (const { field, id } of unknown) (details.fieldErrors[field] ??= []).push(`Unknown user: ${id}`);
    throw new DomainError(DomainErrorCode.VALIDATION, `Invalid input: ${first.field} names an unknown user`, details);
  }
  if (!owner && after.admin_access.length === 0 && (after.read_access.length > 0 || after.write_access.length > 0)) {
    throw validation('admin_access', 'A batch without an owner that names users needs at least one admin');
  }

  const now = nowOf(deps);
  // A null or non-object access_control cannot take dotted fields: it is replaced as a whole.
  const set = stored
    ? { 'access_control.visibility': after.visibility, ...Object.fromEntries(LISTS.map((field) => [`access_control.${field}`, after[field]])) }
    : { access_control: after };
  // Authorized again in the write: a caller whose admin right was taken meanwhile changes nothing.
  const written = await deps.models.Batch.collection.updateOne(and({ batch_id: batch.batch_id }, administrableFilter(actor)), {
    $set: { ...set, updated_at: now },
  });
  if (written.matchedCount === 0) throw new DomainError(DomainErrorCode.FORBIDDEN, `You may not delete or administer batch ${batch.batch_id}`);

  const jobsWithAcl = await deps.models.Job.collection.updateMany(
    { batch_id: batch.batch_id, access_control: { $type: 'object' } },
    { $set: { 'access_control.visibility': after.visibility, ...Object.fromEntries(LISTS.map((field) => [`access_control.${field}`, after[field]])) } },
  );
  const jobsWithout = await deps.models.Job.collection.updateMany(
    { batch_id: batch.batch_id, access_control: { $not: { $type: 'object' } } },
    { $set: { access_control: after } },
  );
  const jobsUpdated = jobsWithAcl.matchedCount + jobsWithout.matchedCount;

  const named = (ids: readonly string[]) => ids.map((id) => users.get(id)?.name || users.get(id)?.email || id);
  const described = (acl: AccessControlRecord) => ({
    visibility: acl.visibility,
    read: named(acl.read_access),
    write: named(acl.write_access),
    admin: named(acl.admin_access),
  });
  await recordAudit(deps, actor, {
    action: 'batch.share',
    target: { type: 'batch', ids: [batch.batch_id] },
    count: jobsUpdated,
    details: { from: described(before), to: described(after), ids: { from: before, to: after } },
  });
  return { batch_id: batch.batch_id, access_control: after, jobs_updated: jobsUpdated };
}
