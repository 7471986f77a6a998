import { Schema, type Model, type Types } from 'mongoose';
import { IDEMPOTENCY_KEYS_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/**
 * One idempotency key of one principal for one operation (issue 20). `pending` while the first
 * request runs (under a lease, so a crashed request does not block the key for ever), `done` with
 * the answer once it succeeded. Ours only; the Python side never reads it.
 */
export interface IdempotencyKeyRecord {
  _id?: Types.ObjectId;
  /** The user the key belongs to (keys are scoped per principal). */
  principal: string;
  /** The operation (`batch.create`, `job.create`). */
  operation: string;
  key: string;
  /** SHA-256 of the request's input without the key: the same key with another body is refused. */
  fingerprint: string;
  state: 'pending' | 'done';
  /** Who runs the request now; a retry takes a pending key over once the lease ran out. */
  lease_token?: string;
  lease_until?: Date;
  /** The first answer as canonical Extended JSON (dates and absent fields kept exactly). */
  answer?: string;
  created_at: Date;
  /** Forgotten after this (the maintenance sweep deletes it; the embedded server ignores TTL indexes). */
  expires_at: Date;
}

export type IdempotencyKeyModel = Model<IdempotencyKeyRecord>;
export const IDEMPOTENCY_KEY_MODEL_NAME = 'IdempotencyKey';

export const idempotencyKeySchema = new Schema(
  {
    principal: { type: String, required: true },
    operation: { type: String, required: true },
    key: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    lease_token: String,
    lease_until: Date,
    answer: String,
    created_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  collectionOptions(IDEMPOTENCY_KEYS_COLLECTION),
);
declareIndexes(idempotencyKeySchema, IDEMPOTENCY_KEYS_COLLECTION);
