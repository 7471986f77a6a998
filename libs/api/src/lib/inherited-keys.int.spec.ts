import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createTestAuth } from './test-auth';
import { type EventMonitorAuth, type Principal } from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, type DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { appRouter } from './root';
import { createContextInner } from './trpc';

/** Names every plain object inherits: a key spelled like one must be an ordinary unknown field. */
const INHERITED_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'prototype', 'isPrototypeOf', '__defineGetter__'];

type ProcedureType = 'query' | 'mutation' | 'subscription';
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcedureType } }> } })._def
  .procedures;

/** The inputs sent with each key: at the top and inside the object fields procedures accept. */
function inputs(key: string): string[] {
  const value = JSON.stringify(key);
  return [
    `{"json":{${value}:"x"}}`,
    `{"json":{${value}:{"a":1}}}`,
    `{"json":{"parameters":{${value}:"x"}}}`,
    `{"json":{"jobs":[{"parameters":{${value}:"x"}}]}}`,
    `{"json":{"filter":{${value}:"x"}}}`,
    `{"json":{"name":"n","scopes":["read"],${value}:"x"}}`,
  ];
}

describe('keys named like Object.prototype members, on every tRPC procedure of appRouter', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  const admin: Principal = { actor: { userId: 'u-admin', role: 'admin' }, via: 'session', scopes: ['read', 'write', 'worker'] };

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    auth = createTestAuth(db.current);
  });

  async function send(path: string, type: ProcedureType, input: string, query = ''): Promise<{ status: number; text: string }> {
    const url =
      type === 'mutation'
        ? `http://localhost/api/trpc/${path}${query ? `?${query}` : ''}`
        : `http://localhost/api/trpc/${path}?input=${encodeURIComponent(input)}${query ? `&${query}` : ''}`;
    const controller = new AbortController();
    const response = await fetchRequestHandler({
      endpoint: '/api/trpc',
      router: appRouter,
      req: new Request(url, {
        method: type === 'mutation' ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json' },
        body: type === 'mutation' ? input : undefined,
        signal: controller.signal,
      }),
      onError: ({ error }) => { if (process.env.DEBUG_KEYS && error.code === 'INTERNAL_SERVER_ERROR') console.log(String(error.cause?.stack ?? error.stack).slice(0, 800)); },
      createContext: async () => createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal: admin }),
    });
    // A subscription answers with a stream that never ends: its first event is the verdict.
    const text = type === 'subscription' ? await firstChunk(response) : await response.text();
    controller.abort();
    return { status: response.status, text };
  }

  it('never answer 5xx, in the input or the query string', async () => {
    const paths = Object.keys(procedures);
    expect(paths.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let probes = 0;
    for (const path of paths) {
      const type = procedures[path]!._def.type;
      for (const key of INHERITED_KEYS) {
        for (const input of inputs(key)) {
          probes += 1;
          const answer = await send(path, type, input);
          if (answer.status >= 500 || answer.text.includes('INTERNAL_SERVER_ERROR'))
            failures.push(`${path} ${input} -> ${answer.status} ${answer.text.slice(0, 160)}`);
        }
        probes += 1;
        const answer = await send(path, type, '{"json":{}}', `${encodeURIComponent(key)}=1`);
        if (answer.status >= 500 || answer.text.includes('INTERNAL_SERVER_ERROR')) failures.push(`${path} ?${key}=1 -> ${answer.status}`);
      }
    }
    expect(probes).toBeGreaterThan(paths.length * INHERITED_KEYS.length * 6);
    expect(failures).toEqual([]);
  }, 120_000);

  it('send a legacy job whose stored free-form fields hold such keys, renamed <key>_', async () => {
    // Results are shown on a completed job, an error on a job that is not (job.mapper's legacy rules).
    const legacy = (job_id: string, status: string, extra: Record<string, unknown>) => ({
      job_id,
      job_type: '',
      status,
      created_at: new Date(),
      updated_at: new Date(),
      parameters: { event: 'E' },
      archived: false,
      access_control: { visibility: 'public', read_access: [], write_access: [], admin_access: [] },
      ...extra,
    });
    await db.current.connection.collection('event_jobs').insertMany([
      legacy('job-legacy-keys', 'completed', {
        results: JSON.parse('{"context":{"constructor":1,"__proto__":{"prototype":2},"toString":"t"}}'),
      }),
      legacy('job-legacy-error-keys', 'failed', {
        error: JSON.parse('{"code":"E","message":"m","details":{"constructor":{"a":1}}}'),
      }),
    ]);
    const completed = await send('job.get', 'query', '{"json":{"job_id":"job-legacy-keys"}}');
    expect(completed.status).toBe(200);
    const job = JSON.parse(completed.text).result.data.json;
    expect(job.results.context).toEqual({ constructor_: 1, __proto___: { prototype_: 2 }, toString: 't' });
    const failed = await send('job.get', 'query', '{"json":{"job_id":"job-legacy-error-keys"}}');
    expect(failed.status).toBe(200);
    expect(JSON.parse(failed.text).result.data.json.error.details).toEqual({ constructor_: { a: 1 } });
  });

  it('answer 400 naming the key, also where superjson cannot send it as a field name', async () => {
    for (const key of INHERITED_KEYS) {
      const answer = await send('batch.create', 'mutation', `{"json":{"jobs":[{"parameters":{}}],${JSON.stringify(key)}:"x"}}`);
      const validation = JSON.parse(answer.text).error.json.data.validation as { fieldErrors: Record<string, string[]>; formErrors: string[] };
      const named = Object.keys(validation.fieldErrors).includes(key) || validation.formErrors.some((message) => message.startsWith(`${key}: `));
      expect({ key, status: answer.status, named }).toEqual({ key, status: 400, named: true });
    }
  });
});

async function firstChunk(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const first = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(resolve, 2000, undefined))]);
  await reader.cancel().catch(() => undefined);
  return first?.value ? new TextDecoder().decode(first.value) : '';
}
