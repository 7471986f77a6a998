import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

/** /api/metrics and the live-update stream against the production build. */
describe('/api/metrics and live.changes over HTTP', () => {
  const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
  let server: LiveServer;

  beforeAll(async () => {
    server = await startLiveServer({ env: { METRICS_TOKEN } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const rest = (path: string, token: string, body?: unknown) =>
    fetch(`${server.url}/api/event-job/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('refuses a scrape without the token and answers with it, REST calls counted by route pattern', async () => {
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/api/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);

    const token = await server.createToken(['read', 'write']);
    const created = await rest('batches', token, { jobs: [{ parameters: { event: 'E', session: 'S' } }] });
    expect(created.status).toBe(201);
    const batchId = ((await created.json()) as { data: { batch: { batch_id: string } } }).data.batch.batch_id;
    expect((await rest(`batches/${batchId}`, token)).status).toBe(200);

    const scrape = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{door="rest",route="\/api\/event-job\/batches\/\{batchId\}",method="GET",status="200"\} 1/);
    expect(text).toContain('event_monitor_queue_depth{status="pending"} 1');
    expect(text).toContain('event_monitor_job_claims_total');
    expect(text).not.toContain(batchId);
  });

  it('streams a status change made through the REST worker API to a subscribed client within 2 s', async () => {
    const reader = await server.createToken(['read', 'write']);
    const worker = await server.createToken(['worker']);
    const created = await rest('batches', reader, { jobs: [{ job_type: 'sse', parameters: { event: 'E', session: 'S' } }] });
    const { batch, job_ids } = ((await created.json()) as { data: { batch: { batch_id: string }; job_ids: string[] } }).data;

    const controller = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ json: { batch_id: batch.batch_id } }));
    const stream = await fetch(`${server.url}/api/trpc/live.changes?input=${input}`, {
      headers: { authorization: `Bearer ${reader}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const body = stream.body?.getReader();
    if (!body) throw new Error('no stream body');
    try {
      // The feed starts with the first subscriber; give it a moment to take its first look.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const claimed = await rest('worker/claim', worker, { worker_id: 'w-sse', job_types: ['sse'] });
      expect(claimed.status).toBe(200);
      const started = Date.now();
      let text = '';
      const decoder = new TextDecoder();
      while (!(text.includes(`"id":"${job_ids[0]}"`) && text.includes('"status":"processing"'))) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no event in time:\n${text}`)), 2500);
        });
        const chunk = await Promise.race([body.read(), timeout]).finally(() => clearTimeout(timer));
        if (chunk.done) throw new Error(`stream ended:\n${text}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
      expect(Date.now() - started).toBeLessThan(2000);
      expect(text).toMatch(/^id: /m); // tracked: a reconnecting client sends it back as lastEventId
    } finally {
      controller.abort();
      await body.cancel().catch(() => undefined);
    }

    const scrape = await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(scrape).toMatch(/^event_monitor_job_claims_total 1$/m);
    expect(scrape).toContain('route="live.changes"');
  });
});
