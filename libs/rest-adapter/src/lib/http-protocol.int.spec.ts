import { useTestDatabase } from '@event-monitor/testing';
import { DatabaseUnavailableError } from '@event-monitor/db';
import type { DomainDeps } from '@event-monitor/domain';
import { BASE, call, domainDeps, jobsInput, testHandler } from '../test-support/rest-fixtures';
import { DEFAULT_MAX_BODY_BYTES } from './body';

const db = useTestDatabase();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

function streamOf(chunks: number, chunkBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ >= chunks) return controller.close();
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
}

describe('HTTP protocol and error mapping', () => {
  it('unknown route is 404 ROUTE_NOT_FOUND, outside the prefix too', async () => {
    const handler = testHandler(deps);
    const res = await call(handler, 'GET', 'nothing/here', { token: 'owner-token' });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ status: 'error', code: 'ROUTE_NOT_FOUND', message: 'No such route' });
    expect((await call(handler, 'GET', 'http://localhost/api/other', { token: 'owner-token' })).status).toBe(404);
  });

  it('wrong method is 405 with Allow', async () => {
    const handler = testHandler(deps);
    const res = await call(handler, 'PUT', 'batches', { token: 'owner-token', body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(res.json.code).toBe('METHOD_NOT_ALLOWED');
    expect((await call(handler, 'GET', 'worker/claim', { token: 'worker-token' })).headers.get('allow')).toBe('POST');
  });

  it('no or unknown credentials are 401 with WWW-Authenticate', async () => {
    const handler = testHandler(deps);
    for (const token of [undefined, 'forged-token']) {
      const res = await call(handler, 'GET', 'batches', { token });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('a body over the limit is 413, by Content-Length and while streaming without one', async () => {
    const handler = testHandler(deps, { maxBodyBytes: 1_000 });
    const declared = await call(handler, 'POST', 'batches', { token: 'owner-token', rawBody: 'x'.repeat(1_001), headers: { 'content-type': 'application/json' } });
    expect(declared.status).toBe(413);
    expect(declared.json.code).toBe('PAYLOAD_TOO_LARGE');

    const chunked = new Request(`${BASE}/batches`, {
      method: 'POST',
      headers: { authorization: 'Bearer owner-token', 'content-type': 'application/json' },
      body: streamOf(100, 100),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.headers.get('content-length')).toBeNull();
    const res = await handler(chunked);
    expect(res.status).toBe(413);

    const lying = new Request(`${BASE}/batches`, {
      method: 'POST',
      headers: { authorization: 'Bearer owner-token', 'content-type': 'application/json', 'content-length': '10' },
      body: streamOf(100, 100),
      duplex: 'half',
    } as RequestInit);
    expect((await handler(lying)).status).toBe(413);
    expect(await deps.models.Batch.countDocuments({})).toBe(0);
  });

  it('the default limit (16 MiB) takes a 10,000-job batch and refuses more than 16 MiB', async () => {
    const handler = testHandler(deps);
    const body = JSON.stringify({ jobs: jobsInput(10_000, { speakers: ['Ada Lovelace', 'Grace Hopper'], video_url: 'https://example.org/video.mp4' }) });
    expect(body.length).toBeLessThan(DEFAULT_MAX_BODY_BYTES);
    const ok = await call(handler, 'POST', 'batches', { token: 'owner-token', rawBody: body, headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(201);
    expect(ok.json.data.job_ids).toHaveLength(10_000);
    const big = await call(handler, 'POST', 'batches', {
      token: 'owner-token',
      rawBody: ' '.repeat(DEFAULT_MAX_BODY_BYTES + 1),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
  }, 60_000);

  it('a body that is not JSON is 415; malformed JSON is 400; a non-object is 400', async () => {
    const handler = testHandler(deps);
    const text = await call(handler, 'POST', 'batches', { token: 'owner-token', rawBody: '{"jobs":[]}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.json.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const form = await call(handler, 'POST', 'worker/claim', { token: 'worker-token', rawBody: 'worker_id=w', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const noType = await call(handler, 'POST', 'batches', { token: 'owner-token', rawBody: '{"jobs":[]}' });
    expect(noType.status).toBe(415);
    const malformed = await call(handler, 'POST', 'batches', { token: 'owner-token', rawBody: '{"jobs": [', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.code).toBe('MALFORMED_JSON');
    const array = await call(handler, 'POST', 'batches', { token: 'owner-token', body: [1, 2] });
    expect(array.status).toBe(400);
    expect(array.json.details.formErrors).toEqual(['Expected a JSON object']);
    const missing = await call(handler, 'POST', 'batches', { token: 'owner-token' });
    expect(missing.status).toBe(400);
    expect(missing.json.details.fieldErrors).toHaveProperty('jobs');
    // An optional body may be absent, with or without a content type.
    await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(1) } });
    expect((await call(handler, 'POST', 'batches/fail-all', { token: 'owner-token' })).status).toBe(200);
    const jsonCharset = await call(handler, 'POST', 'batches/fail-all', { token: 'owner-token', rawBody: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(jsonCharset.status).toBe(200);
  });

  it('an unexpected error is 500 without internals, and is logged', async () => {
    const logged: unknown[] = [];
    const broken = {
      models: new Proxy({}, {
        get: () => {
          throw new Error('connect mongodb://admin:hunter2@db.internal:27017 failed');
        },
      }),
    } as unknown as DomainDeps;
    const handler = testHandler(broken, { logger: { error: (obj) => logged.push(obj) } });
    const res = await call(handler, 'GET', 'batches', { token: 'owner-token' });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ status: 'error', code: 'INTERNAL', message: 'Internal server error' });
    expect(res.text).not.toContain('hunter2');
    expect(logged).toHaveLength(1);
  });

  it('an unreachable database is 503 DATABASE_UNAVAILABLE', async () => {
    const unavailable = new DatabaseUnavailableError('getaddrinfo ENOTFOUND db.internal');
    const handler = testHandler(deps, { getDomain: () => Promise.reject(unavailable) });
    const res = await call(handler, 'GET', 'batches', { token: 'owner-token' });
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.text).not.toContain('db.internal');
  });

  it('a driver error of a server that went away mid-request is 503 too, not 500', async () => {
    const lost = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
    const broken = {
      models: new Proxy({}, {
        get: () => {
          throw lost;
        },
      }),
    } as unknown as DomainDeps;
    const res = await call(testHandler(broken), 'GET', 'batches', { token: 'owner-token' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.json.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.text).not.toContain('27017');
  });

  it('the rate limit answers 429 with Retry-After', async () => {
    const seen: (string | undefined)[] = [];
    const handler = testHandler(deps, {
      rateLimit: (principal) => {
        seen.push(principal?.actor.userId);
        return principal?.actor.userId !== 'otto';
      },
    });
    const limited = await call(handler, 'GET', 'batches', { token: 'other-token' });
    expect(limited.status).toBe(429);
    expect(limited.json.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await call(handler, 'GET', 'batches', { token: 'owner-token' })).status).toBe(200);
    expect(seen).toEqual(['otto', 'olga']);

    const throwing = testHandler(deps, {
      authenticate: () => Promise.reject(Object.assign(new Error('Too many uses of this token'), { name: 'RateLimitedError' })),
    });
    const res = await call(throwing, 'GET', 'batches', { token: 'owner-token' });
    expect(res.status).toBe(429);
    expect(res.json).toEqual({ status: 'error', code: 'RATE_LIMITED', message: 'Too many uses of this token' });
  });

  it('answers are JSON, not cached, with the success envelope', async () => {
    const handler = testHandler(deps);
    const res = await call(handler, 'GET', 'batches/stats', { token: 'owner-token' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.status).toBe('success');
    expect(res.json).toHaveProperty('data.batches');
  });
});
