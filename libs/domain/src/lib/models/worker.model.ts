import { Schema, type Model, type Types } from 'mongoose';
import { WORKERS_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/** A worker service account as last seen by the claim/heartbeat/complete/fail calls. */
export interface WorkerRecord {
  _id?: Types.ObjectId;
  worker_id: string;
  first_seen_at?: Date;
  last_seen_at: Date;
  current_job_id?: string;
  jobs_claimed?: number;
  jobs_completed?: number;
  jobs_failed?: number;
}

export type WorkerModel = Model<WorkerRecord>;
export const WORKER_MODEL_NAME = 'EventWorker';

// No schema defaults: the upsert moves counters with $inc, which must not meet a default on insert.
export const workerSchema = new Schema(
  {
    worker_id: { type: String, required: true },
    first_seen_at: Date,
    last_seen_at: Date,
    current_job_id: String,
    jobs_claimed: Number,
    jobs_completed: Number,
    jobs_failed: Number,
  },
  collectionOptions(WORKERS_COLLECTION),
);
declareIndexes(workerSchema, WORKERS_COLLECTION);
