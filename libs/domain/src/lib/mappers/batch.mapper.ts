import type { BatchRecord } from '../models/batch.model';
import { canAdmin, canWrite, isOwnerless } from '../access/access.policy';
import type { Actor } from '../actor';
import { countersImpossible } from '../services/shown-counters';
import type { AccessControlRecord } from '../models/shared-schemas';
import { deriveBatchStatus, type BatchCounters } from '../job-state';
import { deadlineRisk, isJobStatus, type DeadlineRisk, type JobStatus } from '@event-monitor/contracts';

export interface BatchDto {
  batch_id: string;
  batch_name: string;
  status: JobStatus;
  created_at: Date;
  updated_at: Date;
  completed_at?: Date;
  user_id?: string;
  access_control: AccessControlRecord;
  total_jobs: number;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  archived: boolean;
  isActive: boolean;
  not_before?: Date;
  deadline?: Date;
  /** With a deadline: whether the ETA makes it (contracts' deadlineRisk, at the time of the answer). */
  deadline_risk?: DeadlineRisk;
  /** What the reader may do with it (set on reads, see withRights). */
  can?: BatchRights;
}

export interface BatchRights {
  write: boolean;
  admin: boolean;
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : undefined;

/** The counters of a batch, deriving what the legacy side left out (pending/processing). */
export function countersOf(record: BatchRecord): BatchCounters {
  const total = count(record.total_jobs) ?? 0;
  const completed = count(record.completed_jobs) ?? 0;
  const failed = count(record.failed_jobs) ?? 0;
  const processing = count(record.processing_jobs) ?? 0;
  const pending = count(record.pending_jobs) ?? Math.max(0, total - completed - failed - processing);
  return { total_jobs: total, pending_jobs: pending, processing_jobs: processing, completed_jobs: completed, failed_jobs: failed };
}

/**
 * A legacy batch without access_control is private to its owner when it has one. An ownerless one
 * (no user, nobody listed: what the legacy side writes without a user) is shared, and shown as
 * public, which is how the policy treats it.
 */
function accessControlOf(record: { user_id?: string; access_control?: Partial<AccessControlRecord> }): AccessControlRecord {
  const acl = record.access_control;
  const owner = record.user_id ? [record.user_id] : [];
  if (!acl) return { visibility: record.user_id ? 'private' : 'public', read_access: owner, write_access: owner, admin_access: owner };
  return {
    visibility: acl.visibility === 'public' || isOwnerless(record) ? 'public' : 'private',
    read_access: acl.read_access ?? [],
    write_access: acl.write_access ?? [],
    admin_access: acl.admin_access ?? [],
  };
}

/**
 * The status shown is the one the counters shown imply, whoever wrote the stored one: the legacy
 * recount stores "completed" for a batch that finished with failures, the app "failed"; both
 * sides rewrite it on every recount and sweep, and the dashboard shows "failed" throughout. Only
 * counters that cannot be right (the caller recounts those first) fall back to the stored status.
 */
export function toBatchDto(record: BatchRecord, now: Date = new Date()): BatchDto {
  const counters = countersOf(record);
  const status =
    !countersImpossible(record) || !isJobStatus(record.status)
      ? deriveBatchStatus(counters).status
      : (record.status as JobStatus);
  const dto: BatchDto = {
    batch_id: record.batch_id,
    batch_name: record.batch_name || record.batch_id,
    status,
    created_at: record.created_at,
    updated_at: record.updated_at ?? record.created_at,
    access_control: accessControlOf(record),
    ...counters,
    archived: record.archived === true,
    isActive: record.isActive !== false,
  };
  if (record.completed_at) dto.completed_at = record.completed_at;
  if (record.user_id) dto.user_id = record.user_id;
  if (record.not_before instanceof Date) dto.not_before = record.not_before;
  if (record.deadline instanceof Date) {
    dto.deadline = record.deadline;
    dto.deadline_risk = deadlineRisk(dto, now.getTime());
  }
  return dto;
}

/** The batch with what this actor may do with it, so a screen shows only the actions that will work. */
export function withRights(actor: Actor, record: BatchRecord, dto: BatchDto = toBatchDto(record)): BatchDto {
  return { ...dto, can: { write: canWrite(actor, record), admin: canAdmin(actor, record) } };
}

export { accessControlOf };
