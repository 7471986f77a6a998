import { testServerUri } from '@event-monitor/testing';
import { readServerEnv } from './env';
import { createHost, type Host } from './host';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** GET /api/health on a fresh host, as a new server process would answer it. */
function loadHealthRoute(env: Record<string, string>): { GET: () => Promise<Response> } {
  host = createHost(readServerEnv({ ...env, LOG_LEVEL: 'silent' }));
  const url = new URL('http://127.0.0.1/api/health');
  const door = host.doorOf(url.pathname);
  if (door !== 'health') throw new Error(`/api/health is answered by ${door}`);
  const current = host;
  return { GET: () => current.answer(door, new Request(url), url) };
}

describe('GET /api/health', () => {
  it('answers 200 with db "up" and the version when the database answers', async () => {
    const { GET } = loadHealthRoute({ MONGODB_URI: testServerUri(), MONGODB_DB: 'health_up' });
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'up', version: expect.any(String) });
  });

  it('answers 503 within a bounded time when nothing listens at MONGODB_URI', async () => {
    const { GET } = loadHealthRoute({ MONGODB_URI: 'mongodb://127.0.0.1:9/?connectTimeoutMS=500' });
    const started = Date.now();
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'error', db: 'down' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers 503, not a crash, when MONGODB_URI is malformed', async () => {
    const { GET } = loadHealthRoute({ MONGODB_URI: 'not a mongodb uri' });
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'error', db: 'down' });
    expect(JSON.stringify(body)).not.toMatch(/stack|MongoParseError/);
  });
});
