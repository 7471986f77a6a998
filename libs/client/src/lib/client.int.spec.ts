import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { createServer } from 'node:net';
import { createEventMonitorClient, type EventMonitorClient } from './client';
import { describeClientError, inspectClientError } from './errors';

/** A port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

/** The client against the real production server: HTTP batching, superjson and the error format. */
describe('createEventMonitorClient against a live server', () => {
  let server: LiveServer;
  let client: EventMonitorClient;

  beforeAll(async () => {
    server = await startLiveServer();
    client = createEventMonitorClient({
      url: server.url,
      token: await server.createToken(['read', 'write']),
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  // Dates as Date objects are checked by the CLI tests: under Jest the response JSON comes from
  // another realm, so superjson's plain-object check does not hold there.
  it('creates a batch and finds it in the list', async () => {
    const created = await client.batch.create.mutate({
      batch_name: 'Client lib',
      jobs: [{ parameters: { event: 'Conf', session: 'Opening', video_url: 'https://example.org/v.mp4' } }],
    });
    expect(created.job_ids).toHaveLength(1);

    // two queries in one HTTP request (httpBatchLink)
    const [list, jobs] = await Promise.all([
      client.batch.list.query({ search: 'Client lib' }),
      client.job.list.query({ batch_id: created.batch.batch_id }),
    ]);
    expect(list.batches.map((b) => b.batch_id)).toEqual([created.batch.batch_id]);
    expect(list.batches[0]).toMatchObject({ batch_name: 'Client lib', total_jobs: 1, status: 'pending' });
    expect(jobs.jobs[0]?.parameters).toMatchObject({ event: 'Conf', session: 'Opening' });
  });

  it('sends a query whose input does not fit a URL as a POST (a bulk preview of 5,000 ids)', async () => {
    const created = await client.batch.create.mutate({
      batch_name: 'Client long query',
      jobs: [{ parameters: { event: 'Conf', session: 'Long', video_url: 'https://example.org/v.mp4' } }],
    });
    // About 200 KB of URL as a GET: the server refused the head (431) before this went as a POST.
    const job_ids = [...created.job_ids, ...Array.from({ length: 4_999 }, (_, i) => `job-${String(i).padStart(30, '0')}`)];
    const preview = await client.job.bulkPreview.query({ action: 'cancel', job_ids });
    expect(preview).toMatchObject({ jobs: 1, batches: 1 });
  });

  it('turns a validation error into a message naming the field', async () => {
    const error = await client.batch.create
      .mutate({ jobs: [{ parameters: { video_url: 'file:///etc/passwd' } }] })
      .catch((e: unknown) => e);
    expect(inspectClientError(error)).toMatchObject({
      kind: 'validation',
      fieldErrors: { 'jobs.0.parameters.video_url': ['Must be an http(s) URL'] },
    });
    expect(describeClientError(error)).toBe(
      'Validation failed: jobs.0.parameters.video_url: Must be an http(s) URL',
    );
  });

  it('says what was not found', async () => {
    const error = await client.batch.get.query({ batch_id: 'batch-does-not-exist' }).catch((e: unknown) => e);
    expect(inspectClientError(error).kind).toBe('not_found');
    expect(describeClientError(error)).toMatch(/^Not found: .*batch-does-not-exist/);
  });

  it('reports a refused token as not signed in', async () => {
    const stranger = createEventMonitorClient({ url: server.url, token: 'em_not-a-real-token' });
    const error = await stranger.batch.list.query().catch((e: unknown) => e);
    expect(inspectClientError(error)).toMatchObject({ kind: 'unauthorized', httpStatus: 401 });
    expect(describeClientError(error)).toBe('Not signed in: the token was refused (401)');
  });

  it('names the server when nothing tRPC answers there', async () => {
    const wrongPath = createEventMonitorClient({ url: `${server.url}/nothing-here/api/trpc` });
    const notTrpc = await wrongPath.health.query().catch((e: unknown) => e);
    expect(inspectClientError(notTrpc).kind).toBe('connection');
    expect(describeClientError(notTrpc)).toMatch(
      /^Unexpected answer from http:\/\/127\.0\.0\.1:\d+\/nothing-here \(HTTP 404/,
    );

    const port = await closedPort();
    const closed = createEventMonitorClient({ url: `http://127.0.0.1:${port}` });
    const refused = await closed.health.query().catch((e: unknown) => e);
    expect(inspectClientError(refused).kind).toBe('connection');
    expect(describeClientError(refused)).toBe(
      `Cannot reach the server at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });
});
