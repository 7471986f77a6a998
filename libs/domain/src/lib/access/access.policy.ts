/**
 * Who may do what, in one place. Every service function goes through these checks.
 *
 * | level | operations                                                                    | who (role admin always; viewer never above read)                          |
 * |-------|-------------------------------------------------------------------------------|---------------------------------------------------------------------------|
 * | read  | get/list batches and jobs, job logs, stats                                    | owner (user_id), any of read/write/admin_access, visibility public, legacy-shared |
 * | write | create job in batch, restart, cancel, archive, (de)activate, change language, | owner, write_access, admin_access, legacy-shared                          |
 * |       | fail-all / set-all-pending / restart batch (on batches the actor may write)   |                                                                           |
 * | admin | delete batch, delete job                                                      | owner, admin_access, legacy-shared                                        |
 *
 * Legacy-shared = a document with neither user_id nor access_control (the Python side wrote it
 * without a user): readable by everyone, writable and deletable by operators.
 * Not readable -> NOT_FOUND (no existence leak); readable but not allowed -> FORBIDDEN.
 * Creating a batch or a standalone job needs a non-viewer role.
 */
import type { Actor } from '../context';
import { DomainError, DomainErrorCode } from '../errors';
import type { AccessControlRecord } from '../models/shared-schemas';

export type AccessLevel = 'read' | 'write' | 'admin';

export interface AccessSubject {
  user_id?: string | null;
  access_control?: Partial<AccessControlRecord> | null;
}

function isLegacyShared(doc: AccessSubject): boolean {
  return (doc.user_id === undefined || doc.user_id === null) && !doc.access_control;
}

const listed = (list: readonly string[] | null | undefined, userId: string): boolean =>
  Array.isArray(list) && list.includes(userId);

export function canRead(actor: Actor, doc: AccessSubject): boolean {
  if (actor.role === 'admin' || isLegacyShared(doc)) return true;
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
  if (actor.role === 'admin' || isLegacyShared(doc)) return true;
  const acl = doc.access_control ?? {};
  return doc.user_id === actor.userId || listed(acl.write_access, actor.userId) || listed(acl.admin_access, actor.userId);
}

export function canAdmin(actor: Actor, doc: AccessSubject): boolean {
  if (actor.role === 'viewer') return false;
  if (actor.role === 'admin' || isLegacyShared(doc)) return true;
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
];

const LEGACY_SHARED = { user_id: { $exists: false }, access_control: { $exists: false } };
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
      LEGACY_SHARED,
    ],
  };
}

/** The query form of canWrite. */
export function writableFilter(actor: Actor): Record<string, unknown> {
  if (actor.role === 'viewer') return NOTHING;
  if (actor.role === 'admin') return {};
  const id = actor.userId;
  return {
    $or: [{ user_id: id }, { 'access_control.write_access': id }, { 'access_control.admin_access': id }, LEGACY_SHARED],
  };
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
