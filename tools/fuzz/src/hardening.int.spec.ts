// Hardening over HTTP: security headers, session cookie flags behind an https APP_URL, rate
// limits on sign-in and on token use, bounded list limits, and nothing secret or internal in
// answers or server output (the server logs at info level here).
import { randomBytes } from 'node:crypto';
import { createApiToken } from '@event-monitor/auth';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { expectNoLeaks, SECURITY_HEADERS } from './support/hardening';
import { rest, trpc, type HttpAnswer } from './support/http';

const APP_URL = 'https://event-monitor.test';
const SECRET = randomBytes(32).toString('base64url');

let server: LiveServer;
let output = '';
const secrets: string[] = [SECRET];
const answers: string[] = [];
let operator: Record<string, string>;
let admin: Record<string, string>;

function keep(answer: HttpAnswer): HttpAnswer {
  answers.push(answer.text);
  return answer;
}

function signIn(email: string, password: string, forwardedFor?: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: APP_URL, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ email, password }),
  });
}

beforeAll(async () => {
  server = await startLiveServer({
    // A known secret (to look for it in the output), the public URL of a production deployment.
    env: { BETTER_AUTH_SECRET: SECRET, APP_URL, LOG_LEVEL: 'info' },
    onOutput: (chunk) => (output += chunk),
  });
  secrets.push(server.admin.password);
  const operatorToken = await server.createToken(['read', 'write', 'worker'], 'operator');
  const adminToken = await server.createToken(['read', 'write'], 'admin');
  secrets.push(operatorToken, adminToken);
  operator = { authorization: `Bearer ${operatorToken}` };
  admin = { authorization: `Bearer ${adminToken}` };
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe('security headers', () => {
  it('pages, API answers, errors and the files route all carry CSP, frame-ancestors, nosniff and the referrer policy', async () => {
    const requests: [string, Record<string, string>][] = [
      ['/sign-in', {}],
      ['/event-monitor', {}],
      ['/api/health', {}],
      ['/api/event-job/openapi.json', {}],
      ['/api/event-job/batches', {}],
      ['/api/event-job/batches', operator],
      ['/api/event-job/no-such-route', operator],
      ['/api/event-job/files/x.md', operator],
      ['/api/trpc/batch.list', {}],
      ['/no-such-page', {}],
    ];
    for (const [path, headers] of requests) {
      const response = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
      answers.push(await response.text());
      for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
        expect({ path, header, value: response.headers.get(header) }).toEqual({ path, header, value: expect.stringContaining(value) });
      }
      expect({ path, poweredBy: response.headers.get('x-powered-by') }).toEqual({ path, poweredBy: null });
    }
  });
});

describe('session cookies', () => {
  it('with an https APP_URL the session cookie is __Secure-, Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const user = await server.createUser('operator');
    secrets.push(user.password);
    const response = await signIn(user.email, user.password);
    expect(response.status).toBe(200);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.includes('session_token='));
    expect(session).toBeDefined();
    const [pair, ...attributes] = (session as string).split(';').map((part) => part.trim());
    secrets.push((pair as string).slice((pair as string).indexOf('=') + 1));
    expect(pair).toMatch(/^__Secure-/);
    const flags = attributes.map((attribute) => attribute.toLowerCase());
    expect(flags).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
    // The cookie works, and a session is not a token: no worker scope.
    const me = keep(await trpc(server.url, 'query', 'user.me', undefined, { cookie: pair as string }));
    expect(me.json.result.data.json).toMatchObject({ via: 'session', scopes: ['read', 'write'] });
  });

  it('a sign-in from a foreign origin is refused', async () => {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: server.admin.email, password: server.admin.password }),
    });
    answers.push(await response.text());
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('bounded query limits', () => {
  it('limit=100000 and absurd skips are refused with 400 naming the field, at both doors', async () => {
    const job = keep(await rest(server.url, 'POST', 'jobs', { headers: operator, body: { parameters: {} } }));
    const jobId = job.json.data.job.job_id as string;
    const restCases: [string, string][] = [
      ['batches?limit=100000', 'limit'],
      ['jobs?limit=100000', 'limit'],
      [`jobs/${jobId}/logs?limit=100000`, 'limit'],
      ['batches?skip=1000000000', 'skip'],
      ['jobs?limit=0', 'limit'],
    ];
    for (const [path, field] of restCases) {
      const answer = keep(await rest(server.url, 'GET', path, { headers: operator }));
      expect({ path, status: answer.status, fields: Object.keys(answer.json.details.fieldErrors) }).toEqual({ path, status: 400, fields: [field] });
    }
    const trpcCases: [string, unknown, Record<string, string>][] = [
      ['batch.list', { limit: 100_000 }, operator],
      ['job.list', { limit: 100_000 }, operator],
      ['job.logs', { job_id: jobId, limit: 100_000 }, operator],
      ['worker.staleLeases', { limit: 100_000 }, operator],
      ['metrics.batchProgress', { limit: 100_000 }, operator],
      ['audit.list', { limit: 100_000 }, admin],
      ['audit.forJob', { job_id: jobId, limit: 100_000 }, operator],
    ];
    for (const [path, input, headers] of trpcCases) {
      const answer = keep(await trpc(server.url, 'query', path, input, headers));
      expect({ path, status: answer.status, fields: Object.keys(answer.json.error.json.data.validation.fieldErrors) }).toEqual({
        path,
        status: 400,
        fields: ['limit'],
      });
    }
  });
});

describe('rate limits', () => {
  it('a token over its per-key limit gets 429 with Retry-After, at both doors', async () => {
    const user = await server.createUser('operator');
    const name = `limited-${randomBytes(4).toString('hex')}`;
    const created = await createApiToken(server.auth, { userId: user.id, name, scopes: ['read'] });
    secrets.push(created.token, user.password);
    // The product allows 30,000 requests a minute per token; this one gets 3 so the test stays short.
    const updated = await server.connection.collection('apikey').updateOne({ name }, { $set: { rateLimitMax: 3, rateLimitTimeWindow: 60_000 } });
    expect(updated.modifiedCount).toBe(1);
    const headers = { authorization: `Bearer ${created.token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push(keep(await rest(server.url, 'GET', 'batches/stats', { headers })).status);
    const limited = keep(await rest(server.url, 'GET', 'batches/stats', { headers }));
    const limitedTrpc = keep(await trpc(server.url, 'query', 'batch.stats', undefined, headers));
    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ status: 'error', code: 'RATE_LIMITED' });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limitedTrpc.status).toBe(429);
  });

  it('sign-in: wrong passwords from rotating X-Forwarded-For neither get fresh attempts nor lock the owner out', async () => {
    const user = await server.createUser('viewer');
    secrets.push(user.password);
    // The owner signed in before from this browser: it holds the account's device cookie.
    const earlier = await signIn(user.email, user.password);
    expect(earlier.status).toBe(200);
    const device = earlier.headers.getSetCookie().find((cookie) => /^__Secure-better-auth\.device=/.test(cookie));
    expect(device).toBeDefined();
    secrets.push((device as string).split(';')[0]?.split('=')[1] as string);

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await signIn(user.email, `wrong-password-${i}`, `203.0.113.${i + 1}`);
      answers.push(await response.text());
      statuses.push(response.status);
    }
    // X-Forwarded-For is not trusted (no TRUST_PROXY): these ten and the sign-in above came from
    // one client, whose 11th attempt on the account within the minute is refused.
    expect(statuses.slice(0, 9).every((status) => status === 401)).toBe(true);
    expect(statuses[9]).toBe(429);
    // The owner's browser is not refused: the right password signs in.
    const owner = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP_URL, 'x-forwarded-for': '198.51.100.7', cookie: (device as string).split(';')[0] as string },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    answers.push(await owner.text());
    expect(owner.status).toBe(200);
    expect(owner.headers.getSetCookie().some((cookie) => cookie.includes('session_token='))).toBe(true);
  });

  it('sign-in: after 10 attempts a minute from one client even the right password gets 429', async () => {
    const user = await server.createUser('viewer');
    secrets.push(user.password);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await signIn(user.email, `wrong-password-${i}`);
      answers.push(await response.text());
      statuses.push(response.status);
    }
    const right = await signIn(user.email, user.password);
    answers.push(await right.text());
    // The cookie test above signed in once from this client in the same minute.
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.slice(-1)).toEqual([429]);
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(right.headers.get('x-retry-after') ?? right.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('what the server printed', () => {
  it('no token, password, BETTER_AUTH_SECRET, cookie value or stack frame in answers or server output', () => {
    expect(output.length).toBeGreaterThan(0);
    expectNoLeaks(output, secrets, answers.join('\n'));
  });
});
