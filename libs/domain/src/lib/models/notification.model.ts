import { Schema, type Model, type Types } from 'mongoose';
import { DELIVERY_EVENTS, DELIVERY_STATES, NOTIFICATION_CHANNELS, NOTIFICATION_EVENTS, type NotificationChannel, type NotificationEvent } from '@event-monitor/contracts';
import { NOTIFICATION_DELIVERIES_COLLECTION, NOTIFICATION_SUBSCRIPTIONS_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/**
 * A user's subscription of a channel to events (issue 20 item 6). Ours only: the Python side never
 * reads it. `secret` signs webhook payloads; no answer ever carries it after the one that created it.
 */
export interface NotificationSubscriptionRecord {
  _id?: Types.ObjectId;
  subscription_id: string;
  owner_id: string;
  /** The owner's role when subscribing: used only for owners without a user document (proxy sign-in). */
  owner_role: string;
  name: string;
  channel: NotificationChannel;
  url?: string;
  secret?: string;
  events: NotificationEvent[];
  batch_id?: string;
  failure_rate_percent: number;
  worker_silence_minutes: number;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

export type NotificationSubscriptionModel = Model<NotificationSubscriptionRecord>;
export const NOTIFICATION_SUBSCRIPTION_MODEL_NAME = 'NotificationSubscription';

export const notificationSubscriptionSchema = new Schema(
  {
    subscription_id: { type: String, required: true },
    owner_id: { type: String, required: true },
    owner_role: { type: String, required: true },
    name: { type: String, required: true },
    channel: { type: String, enum: NOTIFICATION_CHANNELS, required: true },
    url: String,
    secret: String,
    events: { type: [{ type: String, enum: NOTIFICATION_EVENTS }], required: true },
    batch_id: String,
    failure_rate_percent: { type: Number, required: true },
    worker_silence_minutes: { type: Number, required: true },
    enabled: { type: Boolean, required: true },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  collectionOptions(NOTIFICATION_SUBSCRIPTIONS_COLLECTION),
);
declareIndexes(notificationSubscriptionSchema, NOTIFICATION_SUBSCRIPTIONS_COLLECTION);

export interface DeliveryAttemptRecord {
  at: Date;
  status_code?: number;
  error?: string;
  duration_ms: number;
}

/**
 * One event for one subscription, and its tries. `key` names the event (`batch.finished:<batch>:<t>`):
 * the unique index on (subscription_id, key) makes a second detection of the same event (two
 * sweepers, a re-read feed page) insert nothing. `body` is the JSON sent, byte for byte, on every
 * try (its `webhook-id` is the delivery id, so a receiver can drop a retry it already handled).
 */
export interface NotificationDeliveryRecord {
  _id?: Types.ObjectId;
  delivery_id: string;
  subscription_id: string;
  owner_id: string;
  event: (typeof DELIVERY_EVENTS)[number];
  key: string;
  summary: string;
  body: string;
  state: (typeof DELIVERY_STATES)[number];
  attempts: DeliveryAttemptRecord[];
  /** Tries allowed in all (1 for a test). */
  max_attempts: number;
  next_attempt_at?: Date;
  /** A sender holds it until then (a sender that died lets another take it after this). */
  lease_until?: Date;
  created_at: Date;
  delivered_at?: Date;
  batch_id?: string;
  job_id?: string;
}

export type NotificationDeliveryModel = Model<NotificationDeliveryRecord>;
export const NOTIFICATION_DELIVERY_MODEL_NAME = 'NotificationDelivery';

export const notificationDeliverySchema = new Schema(
  {
    delivery_id: { type: String, required: true },
    subscription_id: { type: String, required: true },
    owner_id: { type: String, required: true },
    event: { type: String, enum: DELIVERY_EVENTS, required: true },
    key: { type: String, required: true },
    summary: { type: String, required: true },
    body: { type: String, required: true },
    state: { type: String, enum: DELIVERY_STATES, required: true },
    attempts: [new Schema({ at: Date, status_code: Number, error: String, duration_ms: Number }, { _id: false, strict: 'throw' })],
    max_attempts: { type: Number, required: true },
    next_attempt_at: Date,
    lease_until: Date,
    created_at: { type: Date, required: true },
    delivered_at: Date,
    batch_id: String,
    job_id: String,
  },
  collectionOptions(NOTIFICATION_DELIVERIES_COLLECTION),
);
declareIndexes(notificationDeliverySchema, NOTIFICATION_DELIVERIES_COLLECTION);
