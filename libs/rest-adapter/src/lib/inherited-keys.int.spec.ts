import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { call, domainDeps, jobsInput, testHandler } from '../test-support/rest-fixtures';
import type { RestHandler } from './rest-handler';
import { ROUTES } from './routes';

/** Names every plain object inherits: a key spelled like one must be an ordinary unknown field. */
const INHERITED_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'prototype', 'isPrototypeOf', '__defineGetter__'];

const db = useTestDatabase();
let deps: DomainDeps;
let handler: RestHandler;
let filesRoot: string;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  filesRoot = await mkdtemp(join(tmpdir(), 'event-monitor-keys-'));
  handler = testHandler(deps, { filesRoot });
});
afterAll(() => rm(filesRoot, { recursive: true, force: true }));

/** The bodies sent with each key: at the top and inside each object field a route accepts. */
function bodies(key: string): string[] {
  const value = JSON.stringify(key);
  return [
    `{${value}:"x"}`,
    `{${value}:{"a":1}}`,
    `{"parameters":{${value}:"x"}}`,
    `{"jobs":[{"parameters":{${value}:"x"}}]}`,
    `{"results":{${value}:"x"}}`,
    `{"results":{"context":{"a":{${value}:"x"}}}}`,
    `{"progress":{${value}:"x"}}`,
    `{"error":{${value}:"x"}}`,
    `{"error":{"code":"E","message":"m","details":{${value}:"x"}}}`,
    `{"logs":[{${value}:"x"}]}`,
  ];
}

describe('keys named like Object.prototype members, on every route of the table', () => {
  it('never answer 5xx, in the body or the query, whoever asks', async () => {
    const created = await call(handler, 'POST', 'batches', { token: 'admin-token', body: { jobs: jobsInput(2) } });
    expect(created.status).toBe(201);
    const [jobId] = created.json.data.job_ids as string[];
    const batchId = created.json.data.batch.batch_id as string;
    const ids: Record<string, string> = { batchId, jobId: jobId as string, path: 'sessions/x/de/a.md' };

    const tokenFor = (scope: string) => (scope === 'worker' ? 'worker-token' : 'admin-token');
    const failures: string[] = [];
    let probes = 0;
    for (const route of ROUTES) {
      const path = route.path.replace(/\{(?:\.\.\.)?(\w+)(?::[^}]+)?\}/g, (_, name: string) => ids[name] ?? 'x');
      for (const key of INHERITED_KEYS) {
        const query = `${path}?${encodeURIComponent(key)}=1`;
        const sends = route.method === 'POST' ? bodies(key).map((rawBody) => ({ url: path, rawBody })) : [];
        sends.push({ url: query, rawBody: route.method === 'POST' ? '{}' : (undefined as unknown as string) });
        for (const send of sends) {
          probes += 1;
          const answer = await call(handler, route.method, send.url, {
            token: tokenFor(route.scope),
            rawBody: send.rawBody,
            headers: send.rawBody === undefined ? {} : { 'content-type': 'application/json' },
          });
          if (answer.status >= 500) failures.push(`${route.method} ${send.url} ${send.rawBody ?? ''} -> ${answer.status} ${answer.text.slice(0, 120)}`);
        }
      }
    }
    expect(probes).toBeGreaterThan(ROUTES.length * INHERITED_KEYS.length);
    expect(failures).toEqual([]);
  });

  it('name the key as an unknown field (400) where the body is strict', async () => {
    for (const key of INHERITED_KEYS) {
      const answer = await call(handler, 'POST', 'jobs', {
        token: 'admin-token',
        rawBody: `{"parameters":{},${JSON.stringify(key)}:"x"}`,
        headers: { 'content-type': 'application/json' },
      });
      expect({ key, status: answer.status, fields: Object.keys(answer.json.details.fieldErrors) }).toEqual({ key, status: 400, fields: [key] });
    }
  });

  it('refuse a reserved key inside free-form results, so no stored job holds one', async () => {
    await call(handler, 'POST', 'batches', { token: 'admin-token', body: { jobs: jobsInput(1) } });
    const claimed = await call(handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
    const { job, lease } = claimed.json.data;
    for (const key of ['constructor', '__proto__', 'prototype']) {
      const answer = await call(handler, 'POST', `worker/jobs/${job.job_id}/complete`, {
        token: 'worker-token',
        rawBody: `{"token":${JSON.stringify(lease.token)},"results":{"context":{"a":{${JSON.stringify(key)}:1}}}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect({ status: answer.status, fields: Object.keys(answer.json.details.fieldErrors) }).toEqual({ status: 400, fields: [`results.context.a.${key}`] });
    }
    const stored = await deps.models.Job.findOne({ job_id: job.job_id }).lean();
    expect(stored?.status).toBe('processing');
  });
});
