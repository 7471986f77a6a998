import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

/** The signed-in pages render their first data on the server: it is in the HTML, not fetched after hydration. */
describe('server-rendered first page', () => {
  let server: LiveServer;
  let adminCookie: string;
  let batchId: string;
  const batchName = `Prefetched batch ${Date.now().toString(36)}`;

  async function signIn(email: string, password: string): Promise<string> {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(200);
    return response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  /** The page's HTML without its scripts (the RSC payload), i.e. what the browser paints first. */
  async function renderedHtml(path: string, cookie?: string): Promise<{ status: number; html: string }> {
    const response = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    const html = (await response.text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    return { status: response.status, html };
  }

  beforeAll(async () => {
    server = await startLiveServer();
    adminCookie = await signIn(server.admin.email, server.admin.password);
    const created = await fetch(`${server.url}/api/trpc/batch.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: adminCookie, origin: server.url },
      body: JSON.stringify({
        json: {
          batch_name: batchName,
          jobs: ['Opening keynote', 'Closing panel'].map((session) => ({ parameters: { event: 'Conf', session } })),
        },
      }),
    });
    expect(created.status).toBe(200);
    batchId = ((await created.json()) as { result: { data: { json: { batch: { batch_id: string } } } } }).result.data
      .json.batch.batch_id;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('/event-monitor has the batch cards and tab counts in its HTML', async () => {
    const { status, html } = await renderedHtml('/event-monitor', adminCookie);
    expect(status).toBe(200);
    expect(html).toContain('data-testid="batch-card"');
    expect(html).toContain(batchName);
    // The current tab's count, not the placeholder shown while loading.
    expect(html).toMatch(/>Current batches<span[^>]*>1<\/span>/);
  });

  it('/event-monitor/[batchId] has the batch heading and its job rows in its HTML', async () => {
    const { status, html } = await renderedHtml(`/event-monitor/${batchId}`, adminCookie);
    expect(status).toBe(200);
    expect(html).toMatch(new RegExp(`<h1[^>]*>${batchName}</h1>`));
    expect(html.match(/data-testid="job-row"/g)).toHaveLength(2);
    expect(html).toContain('2 of 2 jobs loaded');
  });

  it('prefetches as the signed-in user: a viewer does not get a private batch of the admin', async () => {
    const viewer = await server.createUser('viewer');
    const cookie = await signIn(viewer.email, viewer.password);
    const { status, html } = await renderedHtml('/event-monitor', cookie);
    expect(status).toBe(200);
    expect(html).not.toContain(batchName);
    const raw = await (await fetch(`${server.url}/event-monitor`, { headers: { cookie } })).text();
    expect(raw).not.toContain(batchName);
  });

  it('sends anonymous visitors to the sign-in page without any batch data', async () => {
    const response = await fetch(`${server.url}/event-monitor`, { redirect: 'manual' });
    const body = await response.text();
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toContain('/sign-in');
    expect(body).not.toContain(batchName);
  });
});
