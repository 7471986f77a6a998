import { Schema, type Model, type Types } from 'mongoose';
import { JOB_TYPE_FLOW_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/** A slot of a limited job type, held from the claim's reservation until the job leaves processing. */
export interface FlowSlotRecord {
  /** The lease token of the claim that reserved it (the job's `lease.token` once claimed). */
  token: string;
  at: Date;
}

/**
 * Flow control of one job type (issue 20): pause, and limits enforced by the claim. The slot
 * count and the minute window are moved by conditional updates of this one document, which is
 * atomic without transactions. Ours only; legacy workers do not read it.
 */
export interface JobTypeFlowRecord {
  _id?: Types.ObjectId;
  job_type: string;
  paused?: boolean;
  paused_at?: Date;
  resume_at?: Date;
  max_concurrent?: number;
  rate_per_minute?: number;
  /** Slots held (= slots.length); the reservation's condition is `count < max_concurrent`. */
  count: number;
  slots: FlowSlotRecord[];
  /** The current minute window (epoch minutes) and the jobs started in it. */
  window_minute: number;
  window_count: number;
  /** Moved by every slot change: the sweep's recount writes only if nothing moved meanwhile. */
  version: number;
  updated_at?: Date;
  updated_by?: string;
}

export type JobTypeFlowModel = Model<JobTypeFlowRecord>;
export const JOB_TYPE_FLOW_MODEL_NAME = 'JobTypeFlow';

export const jobTypeFlowSchema = new Schema(
  {
    job_type: { type: String, required: false, default: '' },
    paused: Boolean,
    paused_at: Date,
    resume_at: Date,
    max_concurrent: Number,
    rate_per_minute: Number,
    count: Number,
    slots: { type: [new Schema({ token: String, at: Date }, { _id: false })], default: undefined },
    window_minute: Number,
    window_count: Number,
    version: Number,
    updated_at: Date,
    updated_by: String,
  },
  collectionOptions(JOB_TYPE_FLOW_COLLECTION),
);
declareIndexes(jobTypeFlowSchema, JOB_TYPE_FLOW_COLLECTION);
