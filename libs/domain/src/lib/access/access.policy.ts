/**
 * Who may do what, in one place. Every service function goes through these checks.
 *
 * | level | operations                                                                    | who (role admin always; viewer never above read)                          |
 * |-------|-------------------------------------------------------------------------------|---------------------------------------------------------------------------|
 * | read  | get/list batches and jobs, job logs, stats                                    | owner (user_id), any of read/write/admin_access, visibility public, ownerless |
 * | write | create job in batch, restart, cancel, archive, (de)activate, change language, | owner, write_access, admin_access, ownerless                              |
 * |       | fail-all / set-all-pending / restart batch (on batches the actor may write)   |                                                                           |
 * | admin | delete batch, delete job                                                      | owner, admin_access, ownerless                                            |
 *
 * Ownerless = no user_id (absent or null) and no one in any of the three access lists (lists
 * empty or absent, or no access_control at all). That is what the legacy Python side writes
 * without a user: `{visibility: "private", read_access: [], write_access: [], admin_access: []}`
 * and no user_id (legacy-system.md). The legacy UI showed such documents to everyone, so they
 * stay shared here: readable by every role, writable and deletable by operators and admins,
 * never changed by viewers. Their "private" visibility names no one and is not a restriction.
 * Not readable -> NOT_FOUND (no existence leak); readable but not allowed -> FORBIDDEN.
 * Creating a batch or a standalone job needs a non-viewer role.
 */
import type { Actor } from '../actor';
import { DomainError, DomainErrorCode } from '../errors';
import type { AccessControlRecord } from '../models/shared-schemas';

export type AccessLevel = 'read' | 'write' | 'admin';

export interface AccessSubject {
  user_id?: string | null;
  access_control?: Partial<AccessControlRecord> | null;
}

const isEmptyList = (list: unknown): boolean => !Array.isArray(list) || list.length === 0;

/** No owner and nobody listed: a document the legacy side wrote without a user (see the header). */
export function isOwnerless(doc: AccessSubject): boolean {
  if (doc.user_id !== undefined && doc.user_id !== null) return false;
  const acl = doc.access_control ?? {};
  return isEmptyList(acl.read_access) && isEmptyList(acl.write_access) && isEmptyList(acl.admin_access);
}

const listed = (list: readonly string[] | null | undefined, userId: string): boolean =>
  Array.isArray(list) && list.includes(userId);

export function canRead(actor: Actor, doc: AccessSubject): boolean {
  if (actor.role === 'admin' || isOwnerless(doc)) return true;
  const acl = doc.access_control ?? {};
  return (
    doc.user_id === actor.userId ||
    acl.visibility === 'public' ||
    listed(acl.read_access, actor.userId) ||
    listed(acl.write_access, actor.userId) ||
    listed(acl.admin_access, actor.userId)
  );
}

export function canWrite(actor: Actor, doc: AccessSubject): boolean {
  if (actor.role === 'viewer') return false;
  if (actor.role === 'admin' || isOwnerless(doc)) return true;
  const acl = doc.access_control ?? {};
  return doc.user_id === actor.userId || listed(acl.write_access, actor.userId) || listed(acl.admin_access, actor.userId);
}

export function canAdmin(actor: Actor, doc: AccessSubject): boolean {
  if (actor.role === 'viewer') return false;
  if (actor.role === 'admin' || isOwnerless(doc)) return true;
  return doc.user_id === actor.userId || listed(doc.access_control?.admin_access, actor.userId);
}

export function canCreate(actor: Actor): boolean {
  return actor.role !== 'viewer';
}

/**
 * The fields readableFilter / writableFilter test. The query plan guard treats an `$or` over only
 * these as a residual filter: it is checked on the documents an index range over the query's other
 * fields fetched.
 */
export const ACCESS_FILTER_FIELDS: readonly string[] = [
  'user_id',
  'access_control',
  'access_control.visibility',
  'access_control.read_access',
  'access_control.write_access',
  'access_control.admin_access',
  'access_control.read_access.0',
  'access_control.write_access.0',
  'access_control.admin_access.0',
];

/**
 * The query form of isOwnerless. `user_id: null` matches absent and null; `list.0` absent matches
 * an empty list, a missing list and a missing access_control alike, as isEmptyList does.
 */
const OWNERLESS = {
  user_id: null,
  'access_control.read_access.0': { $exists: false },
  'access_control.write_access.0': { $exists: false },
  'access_control.admin_access.0': { $exists: false },
};
const NOTHING = { _id: { $exists: false } };

/** The query form of canRead (same rules), to AND with a list filter. */
export function readableFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'admin') return {};
  const id = actor.userId;
  return {
    $or: [
      { user_id: id },
      { 'access_control.visibility': 'public' },
      { 'access_control.read_access': id },
      { 'access_control.write_access': id },
      { 'access_control.admin_access': id },
      OWNERLESS,
    ],
  };
}

/** The query form of canWrite. */
export function writableFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'viewer') return NOTHING;
  if (actor.role === 'admin') return {};
  const id = actor.userId;
  return {
    $or: [{ user_id: id }, { 'access_control.write_access': id }, { 'access_control.admin_access': id }, OWNERLESS],
  };
}

/** The query form of canAdmin. */
export function administrableFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'viewer') return NOTHING;
  if (actor.role === 'admin') return {};
  const id = actor.userId;
  return { $or: [{ user_id: id }, { 'access_control.admin_access': id }, OWNERLESS] };
}

/** Throws NOT_FOUND when the actor may not even see the document, FORBIDDEN when it may see but not act. */
export function assertAccess(actor: Actor, doc: AccessSubject, level: AccessLevel, what: string): void {
  if (!canRead(actor, doc)) throw new DomainError(DomainErrorCode.NOT_FOUND, `${what} not found`);
  if (level === 'write' && !canWrite(actor, doc)) {
    throw new DomainError(DomainErrorCode.FORBIDDEN, `You may not change ${what}`);
  }
  if (level === 'admin' && !canAdmin(actor, doc)) {
    throw new DomainError(DomainErrorCode.FORBIDDEN, `You may not delete or administer ${what}`);
  }
}

export function assertCanCreate(actor: Actor): void {
  if (!canCreate(actor)) throw new DomainError(DomainErrorCode.FORBIDDEN, 'Viewers cannot create or change anything');
}

/** Viewers never write; an operation over "all batches I may write" refuses them up front. */
export function assertNotViewer(actor: Actor): void {
  assertCanCreate(actor);
}

/** The default ACL of something a user creates: private, the owner in every list. */
export function defaultAccessControl(
  userId: string,
  given: Partial<AccessControlRecord> = {},
): AccessControlRecord {
  return {
    visibility: given.visibility ?? 'private',
    read_access: given.read_access ?? [userId],
    write_access: given.write_access ?? [userId],
    admin_access: given.admin_access ?? [userId],
  };
}
