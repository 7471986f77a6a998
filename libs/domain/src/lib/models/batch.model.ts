import { JOB_STATUSES } from '@event-monitor/contracts';
import { Schema, type Model, type Types } from 'mongoose';
import { BATCHES_COLLECTION } from './indexes';
import {
  accessControlSchema,
  collectionOptions,
  declareIndexes,
  type AccessControlRecord,
} from './shared-schemas';

/** A batch as it may be stored: written by us or by the Python side (keys may be missing). */
export interface BatchRecord {
  _id?: Types.ObjectId;
  batch_id: string;
  batch_name?: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  completed_at?: Date;
  user_id?: string;
  access_control?: AccessControlRecord;
  total_jobs?: number;
  pending_jobs?: number;
  processing_jobs?: number;
  completed_jobs?: number;
  failed_jobs?: number;
  archived?: boolean;
  /** camelCase by contract; missing means true. */
  isActive?: boolean;
  /** When it was archived (ours; a legacy archive leaves it out and the retention run stamps it). */
  archived_at?: Date;
  /** The batch's own retention (issue 20); absent means the installation's policy. */
  retention?: BatchRetentionRecord;
  /** A retention run deleting it (its id and start): other runs leave it alone. */
  retention_delete?: { run: string; at: Date };
  /** Scheduled start (ours, issue 20): no job is claimed before it; copied onto the jobs as `batch_not_before`. */
  not_before?: Date;
  /** When it should be done (ours); answers carry `deadline_risk`. */
  deadline?: Date;
}

export interface BatchRetentionRecord {
  /** Never archived or deleted by retention. */
  keep?: boolean;
  archive_after_days?: number;
  delete_after_days?: number;
}

export type BatchModel = Model<BatchRecord>;
export const BATCH_MODEL_NAME = 'EventBatch';

export const batchSchema = new Schema(
  {
    batch_id: { type: String, required: true },
    batch_name: String,
    status: { type: String, enum: JOB_STATUSES, required: true },
    created_at: Date,
    updated_at: Date,
    completed_at: Date,
    user_id: String,
    access_control: accessControlSchema,
    total_jobs: Number,
    pending_jobs: Number,
    processing_jobs: Number,
    completed_jobs: Number,
    failed_jobs: Number,
    archived: Boolean,
    isActive: Boolean,
    archived_at: Date,
    retention: new Schema({ keep: Boolean, archive_after_days: Number, delete_after_days: Number }, { _id: false, strict: 'throw' }),
    retention_delete: new Schema({ run: String, at: Date }, { _id: false, strict: 'throw' }),
    not_before: Date,
    deadline: Date,
  },
  collectionOptions(BATCHES_COLLECTION),
);
declareIndexes(batchSchema, BATCHES_COLLECTION);
