import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

interface Received {
  body: string;
  headers: Record<string, string>;
  at: number;
}

/**
 * Notifications end to end on the production server: a worker finishes a batch over REST, and the
 * subscriber's receiver on 127.0.0.1 gets the signed `batch.finished` within seconds (the lease
 * holder looks for events at each send interval, not only at the maintenance sweep).
 */
describe('a finished batch reaches the webhook of its subscriber', () => {
  let server: LiveServer;
  let receiver: Server;
  let url: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, headers: req.headers as Record<string, string>, at: Date.now() });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // A 1 s maintenance interval: the lease is taken a second after the start.
    server = await startLiveServer({ env: { MAINTENANCE_INTERVAL_SECONDS: '1', NOTIFY_SEND_INTERVAL_MS: '500' } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}/api/event-job/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json()) as { data: Record<string, unknown> };
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('signed, with the counts, a few seconds after the last job completes', async () => {
    const admin = await server.createToken(['read', 'write', 'worker'], 'admin');
    const created = await api(admin, 'POST', 'notifications', { name: 'live', url, events: ['batch.finished', 'job.failed'] });
    const secret = created['secret'] as string;
    const batch = await api(admin, 'POST', 'batches', { jobs: [{ job_type: 'live-notify', parameters: { session: 'a' } }, { job_type: 'live-notify', parameters: { session: 'b' } }] });
    const work = async (fail: boolean) => {
      const claim = await api(admin, 'POST', 'worker/claim', { worker_id: 'live', job_types: ['live-notify'] });
      const job = claim['job'] as { job_id: string };
      const token = (claim['lease'] as { token: string }).token;
      if (fail) await api(admin, 'POST', `worker/jobs/${job.job_id}/fail`, { token, error: { code: 'E', message: 'boom' }, retryable: false });
      else await api(admin, 'POST', `worker/jobs/${job.job_id}/complete`, { token, results: {} });
    };
    await work(false);
    await work(true);
    const done = Date.now();
    const deadline = done + 20_000;
    while (Date.now() < deadline && received.filter((r) => JSON.parse(r.body).type !== 'test').length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const payloads = received.map((r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: Record<string, unknown> });
    expect(payloads.map((p) => p.type).sort()).toEqual(['batch.finished', 'job.failed']);
    expect(payloads.find((p) => p.type === 'batch.finished')?.data).toMatchObject({
      batch_id: (batch['batch'] as { batch_id: string }).batch_id,
      completed_jobs: 1,
      failed_jobs: 1,
    });
    const latency = Math.max(...received.map((r) => r.at)) - done;
    console.log(`[notify-live] batch.finished and job.failed received ${latency} ms after the last job finished`);
    expect(latency).toBeLessThan(20_000);
  }, 60_000);
});
