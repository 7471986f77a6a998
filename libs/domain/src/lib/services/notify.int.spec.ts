import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { useTestDatabase } from '@event-monitor/testing';
import { Webhook } from 'standardwebhooks';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { actors, checkAllDocuments, domainDeps, jobsInput } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { claimNextJob, completeJob, failJob } from './worker.service';
import {
  createSubscription,
  listDeliveries,
  listSubscriptions,
  queueDelivery,
  retryDelayMs,
  rotateSubscriptionSecret,
  sendDueDeliveries,
  testSubscription,
  updateSubscription,
} from './notify.service';
import { detectNotificationEvents } from './notify-events';
import type { NotificationSubscriptionRecord } from '../models/notification.model';

const db = useTestDatabase();
let deps: DomainDeps;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real webhook receiver on 127.0.0.1: answers each request with the next status of `answers` (then 200). */
class Receiver {
  server: Server;
  received: Received[] = [];
  answers: number[] = [];
  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body, at: Date.now() });
        res.statusCode = this.answers.shift() ?? 200;
        res.end('ok');
      });
    });
  }
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let receiver: Receiver;
let url: string;

beforeAll(async () => {
  deps = { ...(await domainDeps(db.current.connection)), notify: { retryBaseMs: 60, maxAttempts: 4, timeoutMs: 2_000 } };
  receiver = new Receiver();
  url = await receiver.start();
});

afterAll(async () => {
  await receiver.stop();
});

beforeEach(async () => {
  receiver.received = [];
  receiver.answers = [];
  await Promise.all([
    deps.models.Job.deleteMany({}),
    deps.models.Batch.deleteMany({}),
    deps.models.Worker.deleteMany({}),
    deps.models.NotificationSubscription.deleteMany({}),
    deps.models.NotificationDelivery.deleteMany({}),
    deps.models.SearchIndexState.deleteMany({}),
    deps.models.AuditEvent.deleteMany({}),
  ]);
});

/** Sends until nothing is due or `until` holds (retries wait their backoff). */
async function sendUntil(until: () => Promise<boolean>, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await sendDueDeliveries(deps);
    if (await until()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

const subscribe = (extra: Record<string, unknown> = {}, actor = actors.admin) =>
  createSubscription(deps, actor, { name: 'hook', url, events: ['batch.finished', 'job.failed', 'batch.failure_rate'], ...extra } as never);

describe('subscriptions', () => {
  it('shows the secret once: create answers it, no read or change carries it', async () => {
    const created = await subscribe();
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = created.subscription.subscription_id;
    const reads = [
      created.subscription,
      await listSubscriptions(deps, actors.admin),
      await updateSubscription(deps, actors.admin, { subscription_id: id, name: 'renamed' }),
      await listDeliveries(deps, actors.admin, { subscription_id: id }),
    ];
    for (const read of reads) expect(JSON.stringify(read)).not.toContain(created.secret!.slice(6));
    expect(created.subscription.secret_hint).toBe(`...${created.secret!.slice(-4)}`);
    // Who opened a way out, to where, is in the audit trail; the secret is not.
    const rotated = await rotateSubscriptionSecret(deps, actors.admin, { subscription_id: id });
    const audit = await deps.models.AuditEvent.find({ 'target.ids': id }).sort({ at: 1 }).lean();
    expect(audit.map((event) => event.action)).toEqual(['notify.subscribe', 'notify.update', 'notify.rotate_secret']);
    expect(audit[0]).toMatchObject({ actor: { user_id: 'adam' }, details: { url, channel: 'webhook' } });
    expect(JSON.stringify(audit)).not.toContain(created.secret!.slice(6));
    expect(JSON.stringify(audit)).not.toContain(rotated.secret!.slice(6));
  });

  it("is its owner's: another user gets NOT_FOUND, the owner's list does not show others'", async () => {
    const mine = await subscribe({}, actors.owner as never).catch((err: unknown) => err);
    // An operator may not target loopback (SSRF guard); the error names the field.
    expect(mine).toBeInstanceOf(DomainError);
    expect((mine as DomainError).details).toMatchObject({ fieldErrors: { url: [expect.stringContaining('127.0.0.1')] } });
    const owned = await createSubscription(deps, actors.owner, { name: 'public', url: 'https://hooks.invalid/x', events: ['job.failed'] });
    const id = owned.subscription.subscription_id;
    await expect(updateSubscription(deps, actors.other, { subscription_id: id, enabled: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(testSubscription(deps, actors.other, { subscription_id: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listSubscriptions(deps, actors.other)).subscriptions).toEqual([]);
    expect((await listSubscriptions(deps, actors.owner)).subscriptions.map((s) => s.subscription_id)).toEqual([id]);
  });

  it('refuses a private target at send time too (a name that resolves to a private address)', async () => {
    const name = hostname();
    const resolved = await lookup(name).catch(() => undefined);
    expect(resolved).toBeDefined();
    // Stored directly: the name passes the check at creation (it is not a literal), the lookup catches it.
    const owned = await createSubscription(deps, actors.owner, { name: 'host', url: `http://${name}:9/hook`, events: ['job.failed'] });
    const tried = await testSubscription(deps, actors.owner, { subscription_id: owned.subscription.subscription_id });
    expect(tried.state).toBe('failed');
    expect(tried.attempts[0]?.error).toContain('not allowed');
  });
});

describe('the owner as they are now', () => {
  afterEach(async () => {
    await deps.models.Batch.db.collection('user').deleteMany({ _id: 'adam' } as never);
  });

  it('an admin who subscribed a loopback webhook and is an operator now gets no try to it', async () => {
    const created = await subscribe();
    await deps.models.Batch.db.collection('user').insertOne({ _id: 'adam', email: 'adam@test.local', role: 'operator' } as never);
    const tried = await testSubscription(deps, actors.admin, { subscription_id: created.subscription.subscription_id });
    expect(tried.attempts[0]?.error).toContain('not allowed');
    expect(receiver.received).toHaveLength(0);
  });

  it('a user document without a known role counts as a viewer, a deactivated one gets nothing', async () => {
    const created = await subscribe({ events: ['job.failed'] });
    await deps.models.Batch.db.collection('user').insertOne({ _id: 'adam', email: 'adam@test.local', role: 'superuser' } as never);
    await detectNotificationEvents(deps);
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    await deps.models.Job.collection.updateMany({ batch_id: batch.batch_id }, { $set: { status: 'failed', updated_at: new Date(), error: { code: 'E', message: 'x' } } });
    // A viewer may not read olga's private batch: nothing queued.
    expect((await detectNotificationEvents(deps)).queued).toBe(0);
    await deps.models.Batch.db.collection('user').updateOne({ _id: 'adam' } as never, { $set: { role: 'admin', deactivated: true } });
    await deps.models.Job.collection.updateMany({ batch_id: batch.batch_id }, { $set: { updated_at: new Date(Date.now() + 1) } });
    expect((await detectNotificationEvents(deps)).queued).toBe(0);
    expect(await deps.models.NotificationDelivery.countDocuments({ subscription_id: created.subscription.subscription_id })).toBe(0);
  });
});

describe('deliveries', () => {
  it('"send test" posts a Standard Webhooks request that verifies with the secret; a rotated secret replaces it', async () => {
    const created = await subscribe();
    const id = created.subscription.subscription_id;
    const tried = await testSubscription(deps, actors.admin, { subscription_id: id });
    expect(tried).toMatchObject({ event: 'test', state: 'delivered', attempts: [{ status_code: 200 }] });
    expect(receiver.received).toHaveLength(1);
    const [first] = receiver.received;
    const payload = new Webhook(created.secret!).verify(first!.body, first!.headers as Record<string, string>) as { type: string };
    expect(payload.type).toBe('test');
    expect(first!.headers['webhook-id']).toBe(tried.delivery_id);

    const rotated = await rotateSubscriptionSecret(deps, actors.admin, { subscription_id: id });
    expect(rotated.secret).not.toBe(created.secret);
    await testSubscription(deps, actors.admin, { subscription_id: id });
    const second = receiver.received[1]!;
    expect(() => new Webhook(created.secret!).verify(second.body, second.headers as Record<string, string>)).toThrow();
    expect(new Webhook(rotated.secret!).verify(second.body, second.headers as Record<string, string>)).toMatchObject({ type: 'test' });
  });

  it('retries a failed delivery with growing waits, the same id and body each time, until a 2xx', async () => {
    const created = await subscribe();
    receiver.answers = [500, 503, 200];
    const record = (await deps.models.NotificationSubscription.findOne({ subscription_id: created.subscription.subscription_id }).lean()) as NotificationSubscriptionRecord;
    const queued = await queueDelivery(deps, record, { event: 'job.failed', key: 'k1', summary: 's', data: { n: 1 } });
    expect(queued).not.toBeNull();
    expect(await queueDelivery(deps, record, { event: 'job.failed', key: 'k1', summary: 's', data: { n: 1 } })).toBeNull();
    await sendUntil(async () => receiver.received.length === 3);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect([...ids]).toEqual([queued!.delivery_id]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    const [a, b, c] = receiver.received.map((r) => r.at) as [number, number, number];
    // Waits of 60 ms and then 240 ms (each +-20 %): the second clearly longer than the first.
    expect(b - a).toBeGreaterThanOrEqual(45);
    expect(c - b).toBeGreaterThan((b - a) * 1.8);
    const { deliveries } = await listDeliveries(deps, actors.admin, { subscription_id: created.subscription.subscription_id });
    expect(deliveries[0]).toMatchObject({ state: 'delivered', attempts: [{ status_code: 500 }, { status_code: 503 }, { status_code: 200 }] });
  });

  it('gives up after the last try and says so in the log', async () => {
    const created = await subscribe();
    receiver.answers = [500, 500, 500, 500, 500];
    const record = (await deps.models.NotificationSubscription.findOne({ subscription_id: created.subscription.subscription_id }).lean()) as NotificationSubscriptionRecord;
    await queueDelivery(deps, record, { event: 'job.failed', key: 'k2', summary: 's', data: {} });
    await sendUntil(async () => (await deps.models.NotificationDelivery.findOne({ key: 'k2' }).lean())?.state === 'failed');
    expect(receiver.received).toHaveLength(4);
  });

  it('two senders at once send every delivery exactly once', async () => {
    const created = await subscribe();
    const record = (await deps.models.NotificationSubscription.findOne({ subscription_id: created.subscription.subscription_id }).lean()) as NotificationSubscriptionRecord;
    for (let i = 0; i < 30; i++) await queueDelivery(deps, record, { event: 'job.failed', key: `c${i}`, summary: 's', data: { i } });
    await Promise.all([sendDueDeliveries(deps, { limit: 100 }), sendDueDeliveries(deps, { limit: 100 }), sendDueDeliveries(deps, { limit: 100 })]);
    expect(receiver.received).toHaveLength(30);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(30);
  });

  it("takes over a delivery whose sender died (its lease ran out), and leaves a live sender's alone", async () => {
    const created = await subscribe();
    const record = (await deps.models.NotificationSubscription.findOne({ subscription_id: created.subscription.subscription_id }).lean()) as NotificationSubscriptionRecord;
    const dead = await queueDelivery(deps, record, { event: 'job.failed', key: 'dead', summary: 's', data: {} });
    const live = await queueDelivery(deps, record, { event: 'job.failed', key: 'live', summary: 's', data: {} });
    // One sender took each and stopped: one lease ran out a second ago, the other holds for a minute.
    await deps.models.NotificationDelivery.updateOne({ delivery_id: dead!.delivery_id }, { $set: { lease_until: new Date(Date.now() - 1_000) } });
    await deps.models.NotificationDelivery.updateOne({ delivery_id: live!.delivery_id }, { $set: { lease_until: new Date(Date.now() + 60_000) } });
    expect(await sendDueDeliveries(deps)).toBe(1);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([dead!.delivery_id]);
    expect(await deps.models.NotificationDelivery.findOne({ delivery_id: live!.delivery_id }).lean()).toMatchObject({ state: 'pending', attempts: [] });
  });

  it('backs off four times longer per try, within +-20 %, capped at six hours', () => {
    expect(retryDelayMs(1, 10_000, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(2, 10_000, () => 0.5)).toBe(40_000);
    expect(retryDelayMs(3, 10_000, () => 0)).toBe(128_000);
    expect(retryDelayMs(20, 10_000, () => 1)).toBe(6 * 3_600_000 * 1.2);
  });
});

describe('events', () => {
  async function workOff(batchId: string, fail: (i: number) => boolean): Promise<void> {
    for (let i = 0; ; i++) {
      const claimed = await claimNextJob(deps, { worker_id: 'w1', job_types: ['notify'] });
      if (!claimed) return;
      expect(claimed.job.batch_id).toBe(batchId);
      if (fail(i)) await failJob(deps, { job_id: claimed.job.job_id, token: claimed.lease.token, error: { code: 'E', message: 'boom' }, retryable: false });
      else await completeJob(deps, { job_id: claimed.job.job_id, token: claimed.lease.token, results: {} });
    }
  }

  it('finds batch.finished, batch.failure_rate and job.failed once each, for those who may read the batch', async () => {
    const admin = await subscribe({ failure_rate_percent: 30 });
    // Another operator subscribed to everything they may read: olga's private batch is not theirs.
    const other = await createSubscription(deps, actors.other, { name: 'other', url: 'https://hooks.invalid/x', events: ['batch.finished', 'job.failed'] });
    await detectNotificationEvents(deps);
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(4).map((job) => ({ ...job, job_type: 'notify' })) });
    await workOff(batch.batch_id, (i) => i === 0 || i === 1);
    const found = await detectNotificationEvents(deps);
    expect(found.queued).toBe(4); // 2 job.failed, 1 batch.finished, 1 batch.failure_rate (50 % >= 30 %)
    expect((await detectNotificationEvents(deps)).queued).toBe(0); // the same events are not queued twice
    const events = (await deps.models.NotificationDelivery.find({ subscription_id: admin.subscription.subscription_id }).lean()).map((d) => d.event).sort();
    expect(events).toEqual(['batch.failure_rate', 'batch.finished', 'job.failed', 'job.failed']);
    expect(await deps.models.NotificationDelivery.countDocuments({ subscription_id: other.subscription.subscription_id })).toBe(0);
    await sendUntil(async () => receiver.received.length === 4);
    const finished = receiver.received.map((r) => JSON.parse(r.body)).find((body) => body.type === 'batch.finished');
    expect(finished.data).toMatchObject({ batch_id: batch.batch_id, completed_jobs: 2, failed_jobs: 2, total_jobs: 4 });
    expect(await checkAllDocuments(deps)).toEqual([]);
  });

  it("raises job.failed for a legacy worker's direct write, and for a batch subscription only its batch's", async () => {
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const { batch: otherBatch } = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const only = await subscribe({ batch_id: batch.batch_id, events: ['job.failed'] });
    await detectNotificationEvents(deps);
    const now = new Date();
    // The legacy worker: a plain update, no lease, no completed_at.
    await deps.models.Job.collection.updateMany(
      { batch_id: { $in: [batch.batch_id, otherBatch.batch_id] } },
      { $set: { status: 'failed', updated_at: now, processing_started_at: new Date(now.getTime() - 1_000), error: { code: 'ValueError', message: 'bad input', details: { traceback: 't' } } } },
    );
    expect((await detectNotificationEvents(deps)).queued).toBe(1);
    // An operator renames the failed job later: no second job.failed.
    await deps.models.Job.collection.updateMany({ batch_id: batch.batch_id }, { $set: { job_name: 'renamed', updated_at: new Date(Date.now() + 5) } });
    expect((await detectNotificationEvents(deps)).queued).toBe(0);
    const delivery = await deps.models.NotificationDelivery.findOne({ subscription_id: only.subscription.subscription_id }).lean();
    expect(delivery).toMatchObject({ event: 'job.failed', batch_id: batch.batch_id });
    expect(delivery?.summary).toContain('ValueError');
  });

  it('finds the finish of every batch a sweep reads, also when one page touches more than 500 batches', async () => {
    await subscribe({ events: ['batch.finished'] });
    await detectNotificationEvents(deps);
    const now = new Date();
    const batches = Array.from({ length: 600 }, (_, i) => ({
      batch_id: `batch-many-${i}`,
      status: 'pending',
      created_at: now,
      updated_at: now,
      user_id: 'olga',
      access_control: { visibility: 'public', read_access: [], write_access: [], admin_access: [] },
      total_jobs: 1,
      pending_jobs: 1,
      processing_jobs: 0,
      completed_jobs: 0,
      failed_jobs: 0,
    }));
    await deps.models.Batch.collection.insertMany(batches);
    await deps.models.Job.collection.insertMany(
      batches.map((batch, i) => ({
        job_id: `job-many-${i}`,
        batch_id: batch.batch_id,
        status: 'completed',
        created_at: now,
        updated_at: now,
        completed_at: now,
        parameters: {},
        user_id: 'olga',
        access_control: batch.access_control,
      })),
    );
    expect((await detectNotificationEvents(deps)).queued).toBe(600);
  });

  it('raises workers.missing once per silence when jobs wait and no worker was seen for the minutes', async () => {
    const sub = await subscribe({ events: ['workers.missing'], worker_silence_minutes: 1 });
    await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    expect((await detectNotificationEvents(deps)).queued).toBe(0); // the job waits less than a minute
    const later = { ...deps, now: () => new Date(Date.now() + 2 * 60_000) };
    expect((await detectNotificationEvents(later)).queued).toBe(1);
    expect((await detectNotificationEvents(later)).queued).toBe(0);
    const delivery = await deps.models.NotificationDelivery.findOne({ subscription_id: sub.subscription.subscription_id }).lean();
    expect(delivery?.summary).toContain('No worker seen');
  });

  it('raises batch.deadline_risk when a deadline is missed with work left', async () => {
    await subscribe({ events: ['batch.deadline_risk'] });
    const { batch } = await createBatch(deps, actors.owner, { jobs: jobsInput(2), deadline: new Date(Date.now() + 60_000) });
    expect((await detectNotificationEvents(deps)).queued).toBe(0); // no ETA yet: unknown, not at risk
    const later = { ...deps, now: () => new Date(Date.now() + 5 * 60_000) };
    expect((await detectNotificationEvents(later)).queued).toBe(1);
    expect(await deps.models.NotificationDelivery.findOne({ event: 'batch.deadline_risk' }).lean()).toMatchObject({ batch_id: batch.batch_id });
  });
});
