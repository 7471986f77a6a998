import { testServerUri } from '@event-monitor/testing';

type HealthRoute = typeof import('../../app/api/health/route');
type DatabaseModule = typeof import('./database');

let database: DatabaseModule | undefined;
afterEach(async () => {
  await database?.closeDatabase();
});

async function loadHealthRoute(env: Record<string, string>): Promise<HealthRoute> {
  // Each case gets fresh modules and a fresh connection state, as a new server process would.
  delete (globalThis as { __eventMonitorDb?: unknown }).__eventMonitorDb;
  Object.assign(process.env, env, { LOG_LEVEL: 'silent' });
  let route: HealthRoute | undefined;
  await jest.isolateModulesAsync(async () => {
    route = await import('../../app/api/health/route');
    database = await import('./database');
  });
  return route as HealthRoute;
}

describe('GET /api/health', () => {
  it('answers 200 with db "up" and the version when the database answers', async () => {
    const { GET } = await loadHealthRoute({ MONGODB_URI: testServerUri(), MONGODB_DB: 'health_up' });
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'up', version: expect.any(String) });
  });

  it('answers 503 within a bounded time when nothing listens at MONGODB_URI', async () => {
    const { GET } = await loadHealthRoute({ MONGODB_URI: 'mongodb://127.0.0.1:9/?connectTimeoutMS=500' });
    const started = Date.now();
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'error', db: 'down' });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers 503, not a crash, when MONGODB_URI is malformed', async () => {
    const { GET } = await loadHealthRoute({ MONGODB_URI: 'not a mongodb uri' });
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'error', db: 'down' });
    expect(JSON.stringify(body)).not.toMatch(/stack|MongoParseError/);
  });
});
