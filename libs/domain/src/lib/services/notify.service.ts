import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { z } from 'zod';
import { isDuplicateKey } from '@event-monitor/db';
import {
  CreateSubscriptionInput,
  ListDeliveriesInput,
  ListSubscriptionsInput,
  SubscriptionIdInput,
  UpdateSubscriptionInput,
  type NotificationEvent,
} from '@event-monitor/contracts';
import type { Actor } from '../actor';
import { ROLES, type Role } from '../actor';
import { nowOf, type DomainDeps } from '../context';
import { DomainError, DomainErrorCode, notFound, parseInput } from '../errors';
import { assertCanCreate } from '../access/access.policy';
import type { DeliveryAttemptRecord, NotificationDeliveryRecord, NotificationSubscriptionRecord } from '../models/notification.model';
import { compact } from '../util';
import { recordAudit } from './audit.service';
import { loadBatch } from './load';
import { newWebhookSecret, refusedLiteral, sendWebhook } from './notify-send';

/**
 * Notification subscriptions and their deliveries (issue 20 item 6). A subscription is its owner's:
 * nobody else sees it, admins may change or delete it. Events are found by the maintenance sweep
 * (notify-events.ts) and queued here as deliveries; `sendDueDeliveries` sends them with retries.
 */

/** How the server sends: set by the host from its environment (defaults for tests and dev). */
export interface NotifyOptions {
  /** The first retry waits this long; each next one four times longer (with +-20 % jitter), at most 6 hours. */
  retryBaseMs: number;
  /** Tries of one delivery before it is given up (state `failed`). */
  maxAttempts: number;
  /** A receiver must answer within this. */
  timeoutMs: number;
  /** Any subscriber may target loopback and private addresses (else only admins may). */
  allowPrivateTargets: boolean;
  /** Sends one e-mail (the host sets it when SMTP is configured); without it there is no e-mail channel. */
  sendEmail?: (message: { to: string; subject: string; text: string }) => Promise<void>;
}

export const DEFAULT_NOTIFY_OPTIONS: NotifyOptions = {
  retryBaseMs: 10_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
  allowPrivateTargets: false,
};

export function notifyOptionsOf(deps: DomainDeps): NotifyOptions {
  return { ...DEFAULT_NOTIFY_OPTIONS, ...deps.notify };
}

const MAX_BACKOFF_MS = 6 * 3_600_000;
/** A sender holds a delivery this long (a sender that died releases it after this). */
const SEND_LEASE_MS = 60_000;
/** Deliveries are kept this long (the log), then the sweep deletes them. */
export const DELIVERY_KEEP_MS = 30 * 86_400_000;
/** Subscriptions one user may have. */
export const MAX_SUBSCRIPTIONS_PER_USER = 100;

/** The wait before try `attempt + 1` after `attempt` failed tries. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const plain = Math.min(MAX_BACKOFF_MS, baseMs * 4 ** Math.max(0, attempt - 1));
  return Math.round(plain * (0.8 + 0.4 * random()));
}

export interface SubscriptionDto {
  subscription_id: string;
  name: string;
  channel: NotificationSubscriptionRecord['channel'];
  url?: string;
  email?: string;
  events: NotificationEvent[];
  batch_id?: string;
  failure_rate_percent: number;
  worker_silence_minutes: number;
  enabled: boolean;
  owner_id: string;
  secret_hint?: string;
  created_at: Date;
  updated_at: Date;
  last_delivery?: { at: Date; state: NotificationDeliveryRecord['state']; status_code?: number; event: NotificationDeliveryRecord['event'] };
}

export interface DeliveryDto {
  delivery_id: string;
  subscription_id: string;
  event: NotificationDeliveryRecord['event'];
  summary: string;
  state: NotificationDeliveryRecord['state'];
  created_at: Date;
  next_attempt_at?: Date;
  delivered_at?: Date;
  attempts: DeliveryAttemptRecord[];
  batch_id?: string;
  job_id?: string;
}

function toSubscriptionDto(record: NotificationSubscriptionRecord, last?: NotificationDeliveryRecord, email?: string): SubscriptionDto {
  const lastAttempt = last?.attempts.at(-1);
  return compact({
    subscription_id: record.subscription_id,
    name: record.name,
    channel: record.channel,
    url: record.url,
    email: record.channel === 'email' ? email : undefined,
    events: record.events,
    batch_id: record.batch_id,
    failure_rate_percent: record.failure_rate_percent,
    worker_silence_minutes: record.worker_silence_minutes,
    enabled: record.enabled,
    owner_id: record.owner_id,
    secret_hint: record.secret ? `...${record.secret.slice(-4)}` : undefined,
    created_at: record.created_at,
    updated_at: record.updated_at,
    last_delivery: last
      ? compact({ at: lastAttempt?.at ?? last.created_at, state: last.state, status_code: lastAttempt?.status_code, event: last.event })
      : undefined,
  });
}

export function toDeliveryDto(record: NotificationDeliveryRecord): DeliveryDto {
  return compact({
    delivery_id: record.delivery_id,
    subscription_id: record.subscription_id,
    event: record.event,
    summary: record.summary,
    state: record.state,
    created_at: record.created_at,
    next_attempt_at: record.state === 'pending' ? record.next_attempt_at : undefined,
    delivered_at: record.delivered_at,
    attempts: (record.attempts ?? []).map((attempt) => compact({ ...attempt })),
    batch_id: record.batch_id,
    job_id: record.job_id,
  });
}

const validation = (field: string, message: string) =>
  new DomainError(DomainErrorCode.VALIDATION, `Invalid input: ${field}`, { fieldErrors: { [field]: [message] }, formErrors: [] });

/** The subscription, if the actor owns it or is an admin; NOT_FOUND otherwise (no existence leak). */
async function loadSubscription(deps: DomainDeps, actor: Actor, id: string): Promise<NotificationSubscriptionRecord> {
  const record = await deps.models.NotificationSubscription.findOne({ subscription_id: id }).lean<NotificationSubscriptionRecord>();
  if (!record || (record.owner_id !== actor.userId && actor.role !== 'admin')) throw notFound('Subscription', id);
  return record;
}

/** Loopback and private targets: admins' subscriptions, or when the installation allows them. */
function mayTargetPrivate(deps: DomainDeps, role: string): boolean {
  return role === 'admin' || notifyOptionsOf(deps).allowPrivateTargets;
}

function checkUrl(deps: DomainDeps, actor: Actor, url: string | undefined): void {
  if (!url || mayTargetPrivate(deps, actor.role)) return;
  const refused = refusedLiteral(url);
  if (refused) throw validation('url', `Not allowed: ${refused} (only admins' webhooks may call private networks, unless the server sets NOTIFY_ALLOW_PRIVATE_TARGETS=true)`);
}

const USER_COLLECTION = 'user';

interface StoredUser {
  _id: unknown;
  email?: unknown;
  role?: unknown;
  banned?: unknown;
  deactivated?: unknown;
}

/** The owner as events are checked for them: their current role, or null when deactivated. */
export async function ownerActor(deps: DomainDeps, subscription: Pick<NotificationSubscriptionRecord, 'owner_id' | 'owner_role'>): Promise<(Actor & { email?: string }) | null> {
  const users = deps.models.Batch.db.collection<StoredUser>(USER_COLLECTION);
  const ids: unknown[] = [subscription.owner_id];
  if (/^[0-9a-f]{24}$/i.test(subscription.owner_id)) ids.push(new Types.ObjectId(subscription.owner_id));
  const user = await users.findOne({ _id: { $in: ids } } as never, { projection: { email: 1, role: 1, banned: 1, deactivated: 1 } });
  const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
  // A user document's role as sign-in reads it (anything else is a viewer); no user document: a
  // user of the trusted-proxy sign-in (no account here), with the role they had when subscribing.
  const role: Role | null = user ? (isRole(user.role) ? user.role : 'viewer') : isRole(subscription.owner_role) ? subscription.owner_role : null;
  if (!role || (user && (user.banned === true || user.deactivated === true))) return null;
  return compact({ userId: subscription.owner_id, role, email: user && typeof user.email === 'string' ? user.email : undefined });
}

async function lastDeliveries(deps: DomainDeps, ids: string[]): Promise<Map<string, NotificationDeliveryRecord>> {
  const last = new Map<string, NotificationDeliveryRecord>();
  await Promise.all(
    ids.map(async (id) => {
      const record = await deps.models.NotificationDelivery.findOne({ subscription_id: id }, { body: 0 })
        .sort({ created_at: -1 })
        .lean<NotificationDeliveryRecord>();
      if (record) last.set(id, record);
    }),
  );
  return last;
}

export async function listSubscriptions(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof ListSubscriptionsInput> = {},
): Promise<{ subscriptions: SubscriptionDto[]; email_available: boolean }> {
  const input = parseInput(ListSubscriptionsInput, raw);
  const filter: Record<string, unknown> = { owner_id: actor.userId };
  if (input.batch_id !== undefined) filter['batch_id'] = input.batch_id;
  const records = await deps.models.NotificationSubscription.find(filter).sort({ created_at: 1 }).limit(MAX_SUBSCRIPTIONS_PER_USER).lean<NotificationSubscriptionRecord[]>();
  const last = await lastDeliveries(deps, records.map((record) => record.subscription_id));
  const email = records.some((record) => record.channel === 'email') ? (await ownerActor(deps, { owner_id: actor.userId, owner_role: actor.role }))?.email : undefined;
  return {
    subscriptions: records.map((record) => toSubscriptionDto(record, last.get(record.subscription_id), email)),
    email_available: notifyOptionsOf(deps).sendEmail !== undefined,
  };
}

export async function createSubscription(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof CreateSubscriptionInput>,
): Promise<{ subscription: SubscriptionDto; secret?: string }> {
  const input = parseInput(CreateSubscriptionInput, raw);
  assertCanCreate(actor);
  if (input.batch_id !== undefined) await loadBatch(deps, actor, input.batch_id, 'read');
  if (input.channel === 'email') {
    if (!notifyOptionsOf(deps).sendEmail) throw validation('channel', 'E-mail is not configured on this server (SMTP_URL)');
    const owner = await ownerActor(deps, { owner_id: actor.userId, owner_role: actor.role });
    if (!owner?.email) throw validation('channel', 'Your account has no e-mail address');
  }
  checkUrl(deps, actor, input.url);
  const count = await deps.models.NotificationSubscription.countDocuments({ owner_id: actor.userId });
  if (count >= MAX_SUBSCRIPTIONS_PER_USER) {
    throw new DomainError(DomainErrorCode.LIMIT_EXCEEDED, `At most ${MAX_SUBSCRIPTIONS_PER_USER} subscriptions per user`);
  }
  const now = nowOf(deps);
  const secret = input.channel === 'webhook' ? newWebhookSecret() : undefined;
  const record: NotificationSubscriptionRecord = compact({
    subscription_id: `sub-${randomUUID()}`,
    owner_id: actor.userId,
    owner_role: actor.role,
    name: input.name,
    channel: input.channel,
    url: input.url,
    secret,
    events: input.events,
    batch_id: input.batch_id,
    failure_rate_percent: input.failure_rate_percent,
    worker_silence_minutes: input.worker_silence_minutes,
    enabled: input.enabled,
    created_at: now,
    updated_at: now,
  });
  await deps.models.NotificationSubscription.collection.insertOne({ ...record });
  // A webhook is a way out of the installation: who opened which one is in the audit trail.
  await recordAudit(deps, actor, {
    action: 'notify.subscribe',
    target: { type: 'subscription', ids: [record.subscription_id] },
    count: 1,
    details: { channel: record.channel, url: record.url, events: record.events, batch_id: record.batch_id },
  });
  const owner = input.channel === 'email' ? await ownerActor(deps, record) : null;
  return compact({ subscription: toSubscriptionDto(record, undefined, owner?.email), secret });
}

export async function updateSubscription(deps: DomainDeps, actor: Actor, raw: z.input<typeof UpdateSubscriptionInput>): Promise<SubscriptionDto> {
  const input = parseInput(UpdateSubscriptionInput, raw);
  const current = await loadSubscription(deps, actor, input.subscription_id);
  if (input.url !== undefined && current.channel !== 'webhook') throw validation('url', 'An e-mail subscription has no url');
  checkUrl(deps, actor, input.url);
  const set = compact({
    name: input.name,
    url: input.url,
    events: input.events,
    failure_rate_percent: input.failure_rate_percent,
    worker_silence_minutes: input.worker_silence_minutes,
    enabled: input.enabled,
    updated_at: nowOf(deps),
  });
  const updated = await deps.models.NotificationSubscription.findOneAndUpdate({ subscription_id: current.subscription_id }, { $set: set }, { returnDocument: 'after', lean: true });
  if (!updated) throw notFound('Subscription', input.subscription_id);
  await recordAudit(deps, actor, {
    action: 'notify.update',
    target: { type: 'subscription', ids: [current.subscription_id] },
    count: 1,
    details: { owner_id: current.owner_id, url: input.url, events: input.events, enabled: input.enabled },
  });
  const last = await lastDeliveries(deps, [updated.subscription_id]);
  return toSubscriptionDto(updated as NotificationSubscriptionRecord, last.get(updated.subscription_id));
}

export async function deleteSubscription(deps: DomainDeps, actor: Actor, raw: z.input<typeof SubscriptionIdInput>): Promise<{ subscription_id: string; deleted: true }> {
  const input = parseInput(SubscriptionIdInput, raw);
  const current = await loadSubscription(deps, actor, input.subscription_id);
  // The subscription first: a delivery the sender holds finds no subscription and is given up.
  await deps.models.NotificationSubscription.deleteOne({ subscription_id: current.subscription_id });
  await deps.models.NotificationDelivery.deleteMany({ subscription_id: current.subscription_id });
  await recordAudit(deps, actor, {
    action: 'notify.unsubscribe',
    target: { type: 'subscription', ids: [current.subscription_id] },
    count: 1,
    details: { owner_id: current.owner_id, url: current.url },
  });
  return { subscription_id: current.subscription_id, deleted: true };
}

export async function rotateSubscriptionSecret(
  deps: DomainDeps,
  actor: Actor,
  raw: z.input<typeof SubscriptionIdInput>,
): Promise<{ subscription: SubscriptionDto; secret?: string }> {
  const input = parseInput(SubscriptionIdInput, raw);
  const current = await loadSubscription(deps, actor, input.subscription_id);
  if (current.channel !== 'webhook') throw validation('subscription_id', 'Only a webhook has a signing secret');
  const secret = newWebhookSecret();
  const updated = await deps.models.NotificationSubscription.findOneAndUpdate(
    { subscription_id: current.subscription_id },
    { $set: { secret, updated_at: nowOf(deps) } },
    { returnDocument: 'after', lean: true },
  );
  if (!updated) throw notFound('Subscription', input.subscription_id);
  await recordAudit(deps, actor, { action: 'notify.rotate_secret', target: { type: 'subscription', ids: [current.subscription_id] }, count: 1 });
  return { subscription: toSubscriptionDto(updated as NotificationSubscriptionRecord), secret };
}

export async function listDeliveries(deps: DomainDeps, actor: Actor, raw: z.input<typeof ListDeliveriesInput>): Promise<{ deliveries: DeliveryDto[] }> {
  const input = parseInput(ListDeliveriesInput, raw);
  const subscription = await loadSubscription(deps, actor, input.subscription_id);
  const records = await deps.models.NotificationDelivery.find({ subscription_id: subscription.subscription_id }, { body: 0 })
    .sort({ created_at: -1 })
    .limit(input.limit)
    .lean<NotificationDeliveryRecord[]>();
  return { deliveries: records.map(toDeliveryDto) };
}

/** What the sweep found: one event for one subscription. */
export interface NotificationEventDraft {
  event: NotificationDeliveryRecord['event'];
  /** Names the event: the same event found again inserts nothing (unique with the subscription). */
  key: string;
  summary: string;
  data: Record<string, unknown>;
  batch_id?: string;
  job_id?: string;
}

/** The JSON a receiver gets: `type`, `timestamp`, `data` (the Standard Webhooks payload shape). */
function bodyOf(deliveryId: string, subscription: NotificationSubscriptionRecord, draft: NotificationEventDraft, at: Date): string {
  return JSON.stringify({
    type: draft.event,
    timestamp: at.toISOString(),
    delivery_id: deliveryId,
    subscription: { subscription_id: subscription.subscription_id, name: subscription.name },
    summary: draft.summary,
    data: draft.data,
  });
}

/** Queues the event for the subscription, once (false when this event was queued before). */
export async function queueDelivery(
  deps: DomainDeps,
  subscription: NotificationSubscriptionRecord,
  draft: NotificationEventDraft,
  maxAttempts = notifyOptionsOf(deps).maxAttempts,
): Promise<NotificationDeliveryRecord | null> {
  const now = nowOf(deps);
  const deliveryId = `msg_${randomUUID().replace(/-/g, '')}`;
  const record: NotificationDeliveryRecord = compact({
    delivery_id: deliveryId,
    subscription_id: subscription.subscription_id,
    owner_id: subscription.owner_id,
    event: draft.event,
    key: draft.key,
    summary: draft.summary,
    body: bodyOf(deliveryId, subscription, draft, now),
    state: 'pending' as const,
    attempts: [],
    max_attempts: maxAttempts,
    next_attempt_at: now,
    created_at: now,
    batch_id: draft.batch_id,
    job_id: draft.job_id,
  });
  try {
    await deps.models.NotificationDelivery.collection.insertOne({ ...record });
    return record;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** One try of a delivery the caller holds (its lease): records the answer and decides what is next. */
async function attemptDelivery(deps: DomainDeps, delivery: NotificationDeliveryRecord, leaseUntil: Date | undefined): Promise<NotificationDeliveryRecord> {
  const options = notifyOptionsOf(deps);
  const subscription = await deps.models.NotificationSubscription.findOne({ subscription_id: delivery.subscription_id }).lean<NotificationSubscriptionRecord>();
  const owner = subscription ? await ownerActor(deps, subscription) : null;
  const at = nowOf(deps);
  let attempt: DeliveryAttemptRecord;
  if (!subscription) attempt = { at, error: 'the subscription was deleted', duration_ms: 0 };
  else if (!owner) attempt = { at, error: "the subscription's owner is deactivated", duration_ms: 0 };
  else if (subscription.channel === 'email') {
    const started = Date.now();
    try {
      if (!options.sendEmail) throw new Error('e-mail is not configured on this server');
      if (!owner.email) throw new Error('the owner has no e-mail address');
      const { summary } = delivery;
      await options.sendEmail({ to: owner.email, subject: `[Event Monitor] ${summary}`, text: `${summary}\n\n${JSON.stringify(JSON.parse(delivery.body), null, 2)}\n` });
      attempt = { at, status_code: 250, duration_ms: Date.now() - started };
    } catch (err) {
      attempt = { at, error: String((err as Error).message ?? err).slice(0, 300), duration_ms: Date.now() - started };
    }
  } else {
    const sent = await sendWebhook({
      url: subscription.url ?? '',
      secret: subscription.secret ?? '',
      id: delivery.delivery_id,
      body: delivery.body,
      at: new Date(),
      timeoutMs: options.timeoutMs,
      allowPrivate: mayTargetPrivate(deps, owner.role),
    });
    attempt = compact({ at, ...sent });
  }
  const tries = (delivery.attempts?.length ?? 0) + 1;
  const ok = attempt.status_code !== undefined && attempt.status_code >= 200 && attempt.status_code < 300;
  const final = ok || tries >= delivery.max_attempts || !subscription || !owner;
  const update = ok
    ? { $push: { attempts: attempt }, $set: { state: 'delivered', delivered_at: at }, $unset: { lease_until: 1, next_attempt_at: 1 } }
    : final
      ? { $push: { attempts: attempt }, $set: { state: 'failed' }, $unset: { lease_until: 1, next_attempt_at: 1 } }
      : {
          $push: { attempts: attempt },
          $set: { next_attempt_at: new Date(at.getTime() + retryDelayMs(tries, options.retryBaseMs)) },
          $unset: { lease_until: 1 },
        };
  // Conditional on the lease this sender took: one that lost it (it outlived SEND_LEASE_MS) records nothing.
  const filter = leaseUntil ? { delivery_id: delivery.delivery_id, lease_until: leaseUntil } : { delivery_id: delivery.delivery_id };
  const after = await deps.models.NotificationDelivery.findOneAndUpdate(filter, update, { returnDocument: 'after', lean: true, projection: { body: 0 } });
  return (after as NotificationDeliveryRecord | null) ?? { ...delivery, attempts: [...(delivery.attempts ?? []), attempt] };
}

/**
 * Sends the deliveries that are due, each after taking it with a conditional update (a lease of
 * SEND_LEASE_MS), so several processes may run this at once and each try happens once. Returns the
 * tries made.
 */
export async function sendDueDeliveries(deps: DomainDeps, options: { limit?: number } = {}): Promise<number> {
  const limit = options.limit ?? 50;
  let sent = 0;
  while (sent < limit) {
    const now = nowOf(deps);
    const leaseUntil = new Date(now.getTime() + SEND_LEASE_MS);
    const taken = await deps.models.NotificationDelivery.findOneAndUpdate(
      { state: 'pending', next_attempt_at: { $lte: now }, $or: [{ lease_until: { $exists: false } }, { lease_until: { $lte: now } }] },
      { $set: { lease_until: leaseUntil } },
      { sort: { next_attempt_at: 1 }, returnDocument: 'after', lean: true },
    );
    if (!taken) break;
    await attemptDelivery(deps, taken as NotificationDeliveryRecord, leaseUntil);
    sent++;
  }
  return sent;
}

/** "Send test": a `test` event delivered now, one try, recorded in the log like any delivery. */
export async function testSubscription(deps: DomainDeps, actor: Actor, raw: z.input<typeof SubscriptionIdInput>): Promise<DeliveryDto> {
  const input = parseInput(SubscriptionIdInput, raw);
  const subscription = await loadSubscription(deps, actor, input.subscription_id);
  const queued = await queueDelivery(
    deps,
    subscription,
    {
      event: 'test',
      key: `test:${randomUUID()}`,
      summary: `Test of "${subscription.name}" sent by ${actor.userId}`,
      data: { sent_by: actor.userId },
    },
    1,
  );
  if (!queued) throw new DomainError(DomainErrorCode.CONFLICT, 'Could not queue the test, try again');
  // Taken at once with a lease, so the background sender never tries it too.
  const leaseUntil = new Date(nowOf(deps).getTime() + SEND_LEASE_MS);
  const taken = await deps.models.NotificationDelivery.findOneAndUpdate(
    { delivery_id: queued.delivery_id, state: 'pending', lease_until: { $exists: false } },
    { $set: { lease_until: leaseUntil } },
    { returnDocument: 'after', lean: true },
  );
  if (!taken) {
    const current = await deps.models.NotificationDelivery.findOne({ delivery_id: queued.delivery_id }).lean<NotificationDeliveryRecord>();
    return toDeliveryDto(current ?? queued);
  }
  return toDeliveryDto(await attemptDelivery(deps, taken as NotificationDeliveryRecord, leaseUntil));
}

/** The sweep's cleanup: deliveries older than DELIVERY_KEEP_MS. */
export async function deleteOldDeliveries(deps: DomainDeps): Promise<number> {
  const cutoff = new Date(nowOf(deps).getTime() - DELIVERY_KEEP_MS);
  const result = await deps.models.NotificationDelivery.deleteMany({ created_at: { $lt: cutoff } });
  return result.deletedCount ?? 0;
}
