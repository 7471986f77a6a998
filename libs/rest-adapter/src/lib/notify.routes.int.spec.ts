import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { call, useRestHandler } from '../test-support/rest-fixtures';

const rest = useRestHandler({ clean: ['NotificationSubscription', 'NotificationDelivery'] });

let receiver: Server;
let url: string;
const bodies: { body: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push({ body, headers: req.headers as Record<string, string> });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const fieldsOf = (res: { json: { details?: { fieldErrors?: Record<string, unknown> } } }) => Object.keys(res.json.details?.fieldErrors ?? {});

describe('notifications over REST', () => {
  it('creates (201, the secret once), tests, logs and deletes a webhook subscription', async () => {
    const created = await call(rest.handler, 'POST', 'notifications', {
      token: 'admin-token',
      body: { name: 'ops hook', url, events: ['batch.finished', 'job.failed'] },
    });
    expect(created.status).toBe(201);
    expect(created.json.message).toBe('Subscription created');
    const { subscription, secret } = created.json.data as { subscription: { subscription_id: string }; secret: string };
    const id = subscription.subscription_id;

    const tested = await call(rest.handler, 'POST', `notifications/${id}/test`, { token: 'admin-token' });
    expect(tested.status).toBe(200);
    expect(tested.json.data).toMatchObject({ event: 'test', state: 'delivered', attempts: [{ status_code: 204 }] });
    const sent = bodies.at(-1)!;
    expect(new Webhook(secret).verify(sent.body, sent.headers)).toMatchObject({ type: 'test', delivery_id: tested.json.data.delivery_id });

    const log = await call(rest.handler, 'GET', `notifications/${id}/deliveries?limit=5`, { token: 'admin-token' });
    expect(log.json.data.deliveries).toHaveLength(1);
    const listed = await call(rest.handler, 'GET', 'notifications', { token: 'admin-token' });
    expect(listed.text).not.toContain(secret.slice(6));
    expect(listed.json.data.subscriptions[0]).toMatchObject({ subscription_id: id, events: ['batch.finished', 'job.failed'] });

    expect((await call(rest.handler, 'DELETE', `notifications/${id}`, { token: 'other-token' })).status).toBe(404);
    expect((await call(rest.handler, 'DELETE', `notifications/${id}`, { token: 'admin-token' })).json.data).toEqual({ subscription_id: id, deleted: true });
    expect((await call(rest.handler, 'GET', `notifications/${id}/deliveries`, { token: 'admin-token' })).status).toBe(404);
  });

  it('refuses bad input with a 400 naming the field and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', events: ['job.failed'] }, 'url'],
      [{ name: 'x', url: 'ftp://example.org/x', events: ['job.failed'] }, 'url'],
      [{ name: 'x', url: 'https://example.org/x', events: [] }, 'events'],
      [{ name: 'x', url: 'https://example.org/x', events: ['job.exploded'] }, 'events.0'],
      [{ name: '', url: 'https://example.org/x', events: ['job.failed'] }, 'name'],
      [{ name: 'x', url: 'https://example.org/x', events: ['job.failed'], failure_rate_percent: 0 }, 'failure_rate_percent'],
      [{ name: 'x', url: 'https://example.org/x', events: ['job.failed'], constructor: 1 }, 'constructor'],
      [{ name: 'x', url: 'https://example.org/x', events: ['job.failed'], channel: 'pager' }, 'channel'],
      // An operator may not target private networks (server-side request forgery).
      [{ name: 'x', url: 'http://169.254.169.254/latest/meta-data', events: ['job.failed'] }, 'url'],
      [{ name: 'x', url: 'http://localhost:8080/x', events: ['job.failed'] }, 'url'],
      [{ name: 'x', url: 'http://localhost.:8080/x', events: ['job.failed'] }, 'url'],
      [{ name: 'x', url: 'http://[::ffff:10.0.0.1]/x', events: ['job.failed'] }, 'url'],
    ];
    for (const [body, field] of cases) {
      const res = await call(rest.handler, 'POST', 'notifications', { token: 'owner-token', body });
      expect({ body, status: res.status, fields: fieldsOf(res) }).toEqual({ body, status: 400, fields: [field] });
    }
    const unknownBatch = await call(rest.handler, 'POST', 'notifications', {
      token: 'owner-token',
      body: { name: 'x', url: 'https://example.org/x', events: ['job.failed'], batch_id: 'batch-nope' },
    });
    expect(unknownBatch.status).toBe(404);
    expect(await rest.deps.models.NotificationSubscription.countDocuments()).toBe(0);
  });

  it('a viewer may list (nothing) but not subscribe; a read token may not subscribe', async () => {
    const body = { name: 'x', url: 'https://example.org/x', events: ['job.failed'] };
    expect((await call(rest.handler, 'GET', 'notifications', { token: 'viewer-token' })).json.data).toEqual({ subscriptions: [], email_available: false });
    expect((await call(rest.handler, 'POST', 'notifications', { token: 'viewer-token', body })).status).toBe(403);
    expect((await call(rest.handler, 'POST', 'notifications', { token: 'owner-read-token', body })).status).toBe(403);
  });
});
