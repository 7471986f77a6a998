import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

/** One span as OTLP/HTTP JSON carries it (the fields these checks read). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

/**
 * Traces against the production build: a real OTLP/HTTP receiver on 127.0.0.1 (what a collector
 * answers), the server started with OTEL_EXPORTER_OTLP_ENDPOINT pointing at it.
 */
describe('OpenTelemetry traces over OTLP/HTTP', () => {
  let server: LiveServer;
  let collector: Server;
  const spans: OtlpSpan[] = [];
  const services = new Set<string>();

  beforeAll(async () => {
    collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (request.url === '/v1/traces') {
          const payload = JSON.parse(body.toString('utf8')) as {
            resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
          };
          for (const resource of payload.resourceSpans) {
            const name = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
            if (name) services.add(name);
            for (const scope of resource.scopeSpans) spans.push(...scope.spans);
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    server = await startLiveServer({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_SERVICE_NAME: 'event-monitor-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => collector?.close(resolve));
  });

  const call = (path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/event-job/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const attribute = (span: OtlpSpan, key: string) => {
    const value = span.attributes.find((a) => a.key === key)?.value;
    return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
  };
  const waitForSpans = async (names: string[]) => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !names.every((name) => spans.some((span) => span.name === name))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return names.map((name) => spans.find((span) => span.name === name));
  };

  it("traces a worker's claim, heartbeat, progress and completion under the worker's own trace, and a dashboard query", async () => {
    const writer = await server.createToken(['read', 'write']);
    const worker = await server.createToken(['worker']);
    const created = await call('batches', writer, { jobs: [{ job_type: 'traced', parameters: { event: 'E', session: 'S' } }] });
    expect(created.status).toBe(201);

    // The worker's side of the trace: its span's context in a W3C traceparent header.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const workerSpan = '00f067aa0ba902b7';
    const traceparent = { traceparent: `00-${traceId}-${workerSpan}-01` };
    const claim = await call('worker/claim', worker, { worker_id: 'tracer', job_types: ['traced'] }, traceparent);
    expect(claim.status).toBe(200);
    const { job, lease } = ((await claim.json()) as { data: { job: { job_id: string }; lease: { token: string } } }).data;
    const jobPath = `worker/jobs/${job.job_id}`;
    expect((await call(`${jobPath}/heartbeat`, worker, { token: lease.token }, traceparent)).status).toBe(200);
    expect((await call(`${jobPath}/progress`, worker, { token: lease.token, progress: { step: 'transcribe', percent: 50 } }, traceparent)).status).toBe(200);
    expect((await call(`${jobPath}/complete`, worker, { token: lease.token, results: { markdown_content: '# done' } }, traceparent)).status).toBe(200);
    const overview = await fetch(`${server.url}/api/trpc/batch.overview`, { headers: { authorization: `Bearer ${writer}` } });
    expect(overview.status).toBe(200);

    const [claimHttp, claimDomain, heartbeat, progress, complete, trpcHttp, overviewDomain] = await waitForSpans([
      'POST /api/event-job/worker/claim',
      'worker.claimJob',
      'worker.heartbeat',
      'worker.reportProgress',
      'worker.completeJob',
      'GET /api/trpc/batch.overview',
      'batch.overview',
    ]);
    expect(services).toEqual(new Set(['event-monitor-test']));
    // The HTTP span continues the worker's trace; the domain call is its child.
    expect(claimHttp).toMatchObject({ traceId, parentSpanId: workerSpan, kind: 2 });
    expect(attribute(claimHttp!, 'http.route')).toBe('/api/event-job/worker/claim');
    expect(attribute(claimHttp!, 'http.response.status_code')).toBe(200);
    expect(claimDomain).toMatchObject({ traceId, parentSpanId: claimHttp!.spanId });
    for (const span of [heartbeat, progress, complete]) {
      expect(span?.traceId).toBe(traceId);
      expect(attribute(span!, 'event_monitor.job_id')).toBe(job.job_id);
    }
    // A route's span names its pattern, never a raw id.
    const completeHttp = spans.find((span) => span.spanId === complete!.parentSpanId);
    expect(completeHttp?.name).toBe('POST /api/event-job/worker/jobs/{jobId}/complete');
    // The dashboard's query: its own trace (no traceparent sent), the domain call under the request.
    expect(trpcHttp?.traceId).not.toBe(traceId);
    expect(overviewDomain).toMatchObject({ traceId: trpcHttp!.traceId, parentSpanId: trpcHttp!.spanId });
  }, 60_000);

  it('a refused call is an answer, not an error span; the id in the path stays out of the name', async () => {
    const worker = await server.createToken(['worker']);
    const missing = 'job-00000000-0000-4000-8000-000000000000';
    const response = await call(`worker/jobs/${missing}/heartbeat`, worker, { token: 'x'.repeat(32) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const refusedOf = () => spans.find((s) => s.name === 'worker.heartbeat' && attribute(s, 'event_monitor.job_id') === missing);
    const deadline = Date.now() + 20_000;
    while (!refusedOf() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = refusedOf() as (OtlpSpan & { status?: { code?: number } }) | undefined;
    expect(refused).toBeDefined();
    expect(attribute(refused!, 'event_monitor.error_code')).toMatch(/\S/);
    // 2 = ERROR in OTLP's status codes.
    expect(refused?.status?.code ?? 0).not.toBe(2);
    expect(spans.some((s) => s.name.includes(missing))).toBe(false);
  }, 30_000);
});
