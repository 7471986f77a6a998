import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listApiTokens, revokeApiToken } from '@event-monitor/auth';
import { TRPC_MAX_BATCH_SIZE } from '@event-monitor/contracts';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

/** tRPC over real HTTP against the production build: batching, superjson and the error format. */
async function trpc(
  server: LiveServer,
  path: string,
  init: { headers?: Record<string, string>; input?: unknown; mutation?: boolean },
) {
  const body = init.input === undefined ? undefined : JSON.stringify({ json: init.input });
  const url = init.mutation
    ? `${server.url}/api/trpc/${path}`
    : `${server.url}/api/trpc/${path}${body ? `?input=${encodeURIComponent(body)}` : ''}`;
  const response = await fetch(url, {
    method: init.mutation ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.mutation ? (body ?? '{}') : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any>, response };
}

describe('the Next.js server over HTTP', () => {
  let server: LiveServer;
  let filesDir: string;

  beforeAll(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'event-monitor-http-'));
    server = await startLiveServer({ env: { EVENT_FILES_DIR: filesDir } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await rm(filesDir, { recursive: true, force: true });
  });

  it('serves /api/health with db up', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', db: 'up' });
  });

  it('sends security headers on pages, API answers and files', async () => {
    for (const path of ['/sign-in', '/api/health', '/favicon.ico']) {
      const response = await fetch(`${server.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("frame-ancestors 'none'") });
      expect(csp).not.toContain('unsafe-eval');
      // One policy per answer: next.config.js sets it for everything proxy.ts does not see.
      expect(csp).not.toContain(',');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy')).toContain('camera=()');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
    const api = await fetch(`${server.url}/api/health`);
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('gives every page a fresh script nonce, on its script tags, and no unsafe-inline scripts', async () => {
    const nonces: string[] = [];
    for (const path of ['/sign-in', '/sign-in', '/api-docs', '/no-such-page']) {
      const response = await fetch(`${server.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
      expect({ path, scriptSrc }).toEqual({ path, scriptSrc: expect.stringContaining("'strict-dynamic'") });
      expect(scriptSrc).not.toContain('unsafe-inline');
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(nonce).toBeDefined();
      nonces.push(nonce as string);

      // Every script on the page, inline (hydration data, theme) or not, carries this nonce.
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(1);
      expect({ path, withoutNonce: scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`)) }).toEqual({
        path,
        withoutNonce: [],
      });
      expect(html).toContain('localStorage.getItem'); // next-themes' script is among them
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('serves an HTML result file under the sandbox policy, so its script cannot run as the app', async () => {
    // A job may name files only under its own sessions/<event>/<target_language>/ (result-files.ts).
    await mkdir(join(filesDir, 'sessions/CSP/de'), { recursive: true });
    await writeFile(
      join(filesDir, 'sessions/CSP/de/report.html'),
      '<p>report</p><script>alert(document.cookie)</script>',
    );
    const headers = {
      authorization: `Bearer ${await server.createToken(['read', 'write', 'worker'])}`,
      'content-type': 'application/json',
    };
    const rest = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}/api/event-job/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect({ path, ok: response.ok }).toEqual({ path, ok: true });
      return (await response.json()) as {
        data: { job_ids?: string[]; job?: { job_id: string }; lease?: { token: string } };
      };
    };
    const jobType = `csp-${Date.now()}`;
    const created = await rest('POST', 'batches', {
      batch_name: 'CSP',
      jobs: [{ job_type: jobType, parameters: { event: 'CSP', target_language: 'de', session: 'report' } }],
    });
    const claimed = await rest('POST', 'worker/claim', { worker_id: 'w-csp', job_types: [jobType] });
    expect(claimed.data.job?.job_id).toBe(created.data.job_ids?.[0]);
    await rest('POST', `worker/jobs/${claimed.data.job?.job_id}/complete`, {
      token: claimed.data.lease?.token,
      results: { markdown_file: 'sessions/CSP/de/report.html' },
    });

    const response = await fetch(`${server.url}/api/event-job/files/sessions/CSP/de/report.html`, { headers });
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp.split(';').map((directive) => directive.trim())).toEqual(
      expect.arrayContaining(['sandbox', "default-src 'none'", "frame-ancestors 'none'"]),
    );
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain(',');
  });

  it('refuses anonymous tRPC calls with 401', async () => {
    const { status, body } = await trpc(server, 'batch.list', {});
    expect(status).toBe(401);
    expect(body['error']).toMatchObject({ json: { data: { code: 'UNAUTHORIZED' } } });
  });

  it('signs in with email and password and calls tRPC with the session cookie', async () => {
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: server.admin.email, password: server.admin.password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(signIn.headers.getSetCookie().join()).toMatch(/HttpOnly/i);

    const created = await trpc(server, 'batch.create', {
      mutation: true,
      headers: { cookie, origin: server.url },
      input: { batch_name: 'HTTP', jobs: [{ parameters: { event: 'E', session: 'S' } }] },
    });
    expect(created.status).toBe(200);
    expect(created.body['result'].data.json.batch).toMatchObject({ batch_name: 'HTTP', total_jobs: 1 });
    // superjson keeps dates as dates
    expect(created.body['result'].data.meta.values['batch.created_at']).toEqual(['Date']);

    const me = await trpc(server, 'user.me', { headers: { cookie } });
    expect(me.body['result'].data.json).toMatchObject({
      email: server.admin.email,
      role: 'admin',
      via: 'session',
    });
  });

  it('accepts an API token and answers bad input with 400 naming the field', async () => {
    const token = await server.createToken(['read', 'write']);
    const headers = { authorization: `Bearer ${token}` };
    const listed = await trpc(server, 'batch.list', { headers, input: { limit: 5 } });
    expect(listed.status).toBe(200);
    expect(listed.body['result'].data.json).toMatchObject({ limit: 5, skip: 0 });

    const bad = await trpc(server, 'batch.create', {
      mutation: true,
      headers,
      input: { jobs: [{ parameters: { video_url: 'javascript:alert(1)' } }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body['error'].json.data.validation.fieldErrors).toHaveProperty([
      'jobs.0.parameters.video_url',
    ]);
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses mutations sent as GET', async () => {
    const token = await server.createToken(['read', 'write']);
    const { status } = await trpc(server, 'batch.setAllPending', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status).toBe(405);
  });

  it('caps a batched request at TRPC_MAX_BATCH_SIZE calls: one over is a 400 and runs nothing', async () => {
    const token = await server.createToken(['read', 'write']);
    const batched = async (count: number) => {
      const paths = Array.from({ length: count }, () => 'batch.create').join(',');
      const input = Object.fromEntries(
        Array.from({ length: count }, (_, i) => [i, { json: { batch_name: `cap ${count}`, jobs: [{ parameters: { event: 'Cap', session: 'Cap' } }] } }]),
      );
      const response = await fetch(`${server.url}/api/trpc/${paths}?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      return { status: response.status, text: await response.text() };
    };
    const created = async (count: number) =>
      server.connection.collection('event_batches').countDocuments({ batch_name: `cap ${count}` });
    const over = await batched(TRPC_MAX_BATCH_SIZE + 1);
    expect(over.status).toBe(400);
    expect(over.text).toContain('Batch call exceeds maximum size');
    expect(await created(TRPC_MAX_BATCH_SIZE + 1)).toBe(0);
    const at = await batched(TRPC_MAX_BATCH_SIZE);
    expect(at.status).toBe(200);
    expect(await created(TRPC_MAX_BATCH_SIZE)).toBe(TRPC_MAX_BATCH_SIZE);
  });

  it('stops accepting a token as soon as it is revoked', async () => {
    const token = await server.createToken(['read']);
    const headers = { authorization: `Bearer ${token}` };
    expect((await trpc(server, 'batch.list', { headers })).status).toBe(200);
    const tokens = await listApiTokens(server.auth);
    const match = tokens.find((t) => token.startsWith(t.start ?? '\u0000'));
    await revokeApiToken(server.auth, (match ?? tokens[0])!.id);
    expect((await trpc(server, 'batch.list', { headers })).status).toBe(401);
  });
});
