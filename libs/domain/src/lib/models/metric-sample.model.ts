import { Schema, type Model, type Types } from 'mongoose';
import { indexesOf, METRIC_SAMPLES_COLLECTION } from './indexes';
import { collectionOptions } from './shared-schemas';

/** One reading of the queue, written by the server's maintenance sweep (ours only; Python never reads it). */
export interface MetricSampleRecord {
  _id?: Types.ObjectId;
  at: Date;
  /** Jobs waiting to be claimed (including those in retry backoff or of paused batches). */
  pending: number;
  /** Jobs a worker holds right now. */
  processing: number;
}

export type MetricSampleModel = Model<MetricSampleRecord>;
export const METRIC_SAMPLE_MODEL_NAME = 'MetricSample';

export const metricSampleSchema = new Schema(
  {
    at: { type: Date, required: true },
    pending: { type: Number, required: true },
    processing: { type: Number, required: true },
  },
  collectionOptions(METRIC_SAMPLES_COLLECTION),
);
// Declared here rather than through declareIndexes: this collection's index carries a TTL.
for (const index of indexesOf(METRIC_SAMPLES_COLLECTION)) {
  metricSampleSchema.index(
    index.key,
    index.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: index.expireAfterSeconds },
  );
}
