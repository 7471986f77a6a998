import { Schema, type Model } from 'mongoose';
import { BULK_ACTIONS, type BulkAction } from '@event-monitor/contracts';
import { BULK_RUNS_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/**
 * The progress of one bulk change started with a `run_id` (issue 18): written when the run starts,
 * after each page of writes and at the end, so that a poll reaching any app process reads it. `_id`
 * is `<user id>:<run id>`: a caller only ever reads its own runs. Ours only; the Python side never reads it.
 */
export interface BulkRunRecord {
  _id: string;
  user_id: string;
  run_id: string;
  action: BulkAction;
  state: 'running' | 'finished' | 'failed';
  matched: number;
  done: number;
  changed: number;
  started_at: Date;
  /** Deleted by the maintenance sweep a day after this. */
  updated_at: Date;
}

export type BulkRunModel = Model<BulkRunRecord>;
export const BULK_RUN_MODEL_NAME = 'BulkRun';

export const bulkRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    user_id: { type: String, required: true },
    run_id: { type: String, required: true },
    action: { type: String, enum: BULK_ACTIONS, required: true },
    state: { type: String, enum: ['running', 'finished', 'failed'], required: true },
    matched: { type: Number, required: true },
    done: { type: Number, required: true },
    changed: { type: Number, required: true },
    started_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  collectionOptions(BULK_RUNS_COLLECTION),
);
declareIndexes(bulkRunSchema, BULK_RUNS_COLLECTION);
