import { z } from 'zod';
import { BatchId, BooleanLike, HttpUrl, intLike } from './common.schema';

/**
 * Notifications (issue 20 item 6): a user subscribes a channel (a webhook, or e-mail to their own
 * address when the server has SMTP) to events of every batch they may read, or of one batch. A
 * webhook's payloads are signed (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256>`) with a secret shown once, at creation or rotation.
 */
export const NOTIFICATION_EVENTS = [
  /** Every job of a batch is final (completed or failed). */
  'batch.finished',
  /** The share of failed jobs among a batch's jobs reached the subscription's threshold. */
  'batch.failure_rate',
  /** A batch's deadline is at risk (its ETA is past it) or missed. */
  'batch.deadline_risk',
  /** A job failed after its last attempt. */
  'job.failed',
  /** No worker was seen for the subscription's minutes while jobs are pending. */
  'workers.missing',
] as const;
export const NotificationEvent = z.enum(NOTIFICATION_EVENTS);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/** Events a delivery may carry: the subscribed ones, and `test` (sent by "send test"). */
export const DELIVERY_EVENTS = [...NOTIFICATION_EVENTS, 'test'] as const;

export const NOTIFICATION_CHANNELS = ['webhook', 'email'] as const;
export const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

export const SubscriptionId = z.string().trim().min(1).max(200);

/** A list of events from JSON (an array) or the command line / a query (comma-separated). */
const EventList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
  z
    .array(NotificationEvent)
    .min(1, 'Name at least one event')
    .max(NOTIFICATION_EVENTS.length)
    .transform((events) => [...new Set(events)]),
);

const SubscriptionName = z.string().trim().min(1, 'Must not be empty').max(100);
/** Percent of a batch's jobs failed at which `batch.failure_rate` fires (once per batch). */
const FailureRatePercent = intLike(1, 100);
/** Minutes without any worker seen (pending jobs waiting) before `workers.missing` fires. */
const SilenceMinutes = intLike(1, 1440);

export const CreateSubscriptionInput = z
  .strictObject({
    name: SubscriptionName,
    channel: NotificationChannel.default('webhook'),
    /** The webhook's address (webhooks only). */
    url: HttpUrl.optional(),
    events: EventList,
    /** Only this batch's events; without it, every batch the subscriber may read. */
    batch_id: BatchId.optional(),
    failure_rate_percent: FailureRatePercent.default(20),
    worker_silence_minutes: SilenceMinutes.default(10),
    enabled: BooleanLike.default(true),
  })
  .superRefine((input, ctx) => {
    if (input.channel === 'webhook' && !input.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'A webhook needs a url' });
    }
    if (input.channel === 'email' && input.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'An e-mail subscription has no url (it goes to your own address)' });
    }
  });
export type CreateSubscriptionInput = z.infer<typeof CreateSubscriptionInput>;

/** Changes a subscription; a field left out keeps its value. */
export const UpdateSubscriptionInput = z.strictObject({
  subscription_id: SubscriptionId,
  name: SubscriptionName.optional(),
  url: HttpUrl.optional(),
  events: EventList.optional(),
  failure_rate_percent: FailureRatePercent.optional(),
  worker_silence_minutes: SilenceMinutes.optional(),
  enabled: BooleanLike.optional(),
});
export type UpdateSubscriptionInput = z.infer<typeof UpdateSubscriptionInput>;

export const SubscriptionIdInput = z.strictObject({ subscription_id: SubscriptionId });
export type SubscriptionIdInput = z.infer<typeof SubscriptionIdInput>;

/** The caller's subscriptions; with `batch_id`, those of that batch only. */
export const ListSubscriptionsInput = z.strictObject({ batch_id: BatchId.optional() });
export type ListSubscriptionsInput = z.infer<typeof ListSubscriptionsInput>;

export const ListDeliveriesInput = z.strictObject({
  subscription_id: SubscriptionId,
  limit: intLike(1, 100).default(20),
});
export type ListDeliveriesInput = z.infer<typeof ListDeliveriesInput>;

const DateTime = z.string().meta({ format: 'date-time' });

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;

/** One try of a delivery: the answer's status code, or the error when there was none. */
export const DeliveryAttemptJson = z.object({
  at: DateTime,
  status_code: z.number().int().optional(),
  error: z.string().optional(),
  duration_ms: z.number().int().min(0),
});

export const DeliveryJson = z.object({
  delivery_id: z.string(),
  subscription_id: z.string(),
  event: z.enum(DELIVERY_EVENTS),
  /** One line for people: "Batch batch-1 finished: 40 completed, 2 failed". */
  summary: z.string(),
  /** pending: waiting for its next try; delivered: answered 2xx; failed: gave up after the last try. */
  state: z.enum(DELIVERY_STATES),
  created_at: DateTime,
  next_attempt_at: DateTime.optional(),
  delivered_at: DateTime.optional(),
  attempts: z.array(DeliveryAttemptJson),
  batch_id: z.string().optional(),
  job_id: z.string().optional(),
});
export type DeliveryJson = z.infer<typeof DeliveryJson>;

export const SubscriptionJson = z.object({
  subscription_id: z.string(),
  name: z.string(),
  channel: NotificationChannel,
  url: z.string().optional(),
  /** E-mail: the owner's address it goes to. */
  email: z.string().optional(),
  events: z.array(NotificationEvent),
  batch_id: z.string().optional(),
  failure_rate_percent: z.number().int(),
  worker_silence_minutes: z.number().int(),
  enabled: z.boolean(),
  owner_id: z.string(),
  /** `...` and the secret's last four characters, so a receiver's copy can be told apart (never the secret). */
  secret_hint: z.string().optional(),
  created_at: DateTime,
  updated_at: DateTime,
  /** The newest delivery's state and answer, if any. */
  last_delivery: z
    .object({ at: DateTime, state: z.enum(DELIVERY_STATES), status_code: z.number().int().optional(), event: z.enum(DELIVERY_EVENTS) })
    .optional(),
});
export type SubscriptionJson = z.infer<typeof SubscriptionJson>;

export const SubscriptionListJson = z.object({
  subscriptions: z.array(SubscriptionJson),
  /** Whether the server can send e-mail (SMTP configured): the e-mail channel is offered only then. */
  email_available: z.boolean(),
});

/** A created subscription, or one whose secret was rotated: the only answer that carries the secret. */
export const SubscriptionWithSecretJson = z.object({
  subscription: SubscriptionJson,
  /** `whsec_<base64>`: verify payloads with it; it is never shown again (webhooks only). */
  secret: z.string().optional(),
});

export const DeliveryListJson = z.object({ deliveries: z.array(DeliveryJson) });

export const DeletedSubscriptionJson = z.object({ subscription_id: z.string(), deleted: z.literal(true) });
