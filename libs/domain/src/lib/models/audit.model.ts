import { Schema, type Model, type Types } from 'mongoose';
import type { Role } from '../actor';
import { AUDIT_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/** Every state-changing action an operator or a token can take, named `<area>.<verb>`. */
export const AUDIT_ACTIONS = [
  'batch.create',
  'batch.delete',
  'batch.archive',
  'batch.unarchive',
  'batch.toggle_active',
  'batch.fail_all',
  'batch.set_all_pending',
  'batch.restart',
  'language.change',
  'job.create',
  'job.delete',
  'job.restart',
  'job.cancel',
  'job.bulk_restart',
  'job.bulk_fail',
  'job.bulk_cancel',
  'job.bulk_delete',
  'job.bulk_change_language',
  'job.bulk_set_priority',
  'batch.rename',
  'batch.schedule',
  'batch.share',
  'job.update',
  'user.create',
  'user.set_role',
  'user.deactivate',
  'user.reactivate',
  'user.reset_password',
  'token.create',
  'token.revoke',
  'job_type.pause',
  'job_type.resume',
  'job_type.set_limits',
  'retention.set_policy',
  'retention.set_batch',
  'retention.run',
  'notify.subscribe',
  'notify.update',
  'notify.unsubscribe',
  'notify.rotate_secret',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `batches`: a bulk action over many batches (fail-all, set-all-pending, language of all current). */
export const AUDIT_TARGET_TYPES = ['batch', 'job', 'user', 'token', 'batches', 'job_type', 'settings', 'subscription'] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const AUDIT_VIAS = ['session', 'token', 'proxy'] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

/** At most this many ids are stored per event; the rest is dropped and `truncated` set. */
export const MAX_AUDIT_IDS = 1_000;

export interface AuditActorRecord {
  user_id: string;
  role: Role;
  via?: AuditVia;
}

export interface AuditTargetRecord {
  type: AuditTargetType;
  ids: string[];
  /** True when more than MAX_AUDIT_IDS objects were named and only the first ones are stored. */
  truncated: boolean;
}

/** One recorded action; written once, never updated. */
export interface AuditEventRecord {
  _id?: Types.ObjectId;
  event_id: string;
  at: Date;
  actor: AuditActorRecord;
  action: AuditAction;
  target: AuditTargetRecord;
  /** How many objects the action changed (jobs for batch and job actions, 1 for users and tokens). */
  count: number;
  reason?: string;
  /** Small, action-specific facts (scope, from/to role, target_language, ...). */
  details?: Record<string, unknown>;
}

export type AuditEventModel = Model<AuditEventRecord>;
export const AUDIT_MODEL_NAME = 'AuditEvent';

const actorSchema = new Schema(
  {
    user_id: { type: String, required: true },
    role: { type: String, required: true },
    via: { type: String, enum: AUDIT_VIAS },
  },
  { _id: false, strict: 'throw' },
);

const targetSchema = new Schema(
  {
    type: { type: String, enum: AUDIT_TARGET_TYPES, required: true },
    ids: { type: [String], default: undefined },
    truncated: { type: Boolean, required: true },
  },
  { _id: false, strict: 'throw' },
);

export const auditEventSchema = new Schema(
  {
    event_id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: actorSchema, required: true },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    target: { type: targetSchema, required: true },
    count: { type: Number, required: true },
    reason: String,
    details: Schema.Types.Mixed,
  },
  collectionOptions(AUDIT_COLLECTION),
);
declareIndexes(auditEventSchema, AUDIT_COLLECTION);
