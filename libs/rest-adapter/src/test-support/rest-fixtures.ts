import type { Principal } from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, type Actor, type DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import type { Connection } from 'mongoose';
import { createRestHandler, type RestAdapterOptions, type RestHandler } from '../lib/rest-handler';

export const actors = {
  admin: { userId: 'adam', role: 'admin' },
  owner: { userId: 'olga', role: 'operator' },
  other: { userId: 'otto', role: 'operator' },
  viewer: { userId: 'vera', role: 'viewer' },
  service: { userId: 'svc-worker', role: 'operator' },
} satisfies Record<string, Actor>;

const principal = (actor: Actor, scopes: Principal['scopes'], via: Principal['via'] = 'token'): Principal => ({
  actor,
  via,
  scopes,
  tokenId: `tok-${actor.userId}`,
});

/** The test tokens: `Authorization: Bearer <name>` maps to these principals. */
export const TOKENS: Record<string, Principal> = {
  'admin-token': principal(actors.admin, ['read', 'write']),
  'owner-token': principal(actors.owner, ['read', 'write']),
  'other-token': principal(actors.other, ['read', 'write']),
  'viewer-token': principal(actors.viewer, ['read'], 'session'),
  'owner-read-token': principal(actors.owner, ['read']),
  'worker-token': principal(actors.service, ['worker']),
  // A user's everyday token: read and write, but not the worker protocol.
  'owner-nowork-token': principal(actors.owner, ['read', 'write']),
};

export async function testAuthenticate(request: Request): Promise<Principal | null> {
  const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
  return (match?.[1] && TOKENS[match[1]]) || null;
}

export async function domainDeps(connection: Connection): Promise<DomainDeps> {
  const models = createDomainModels(connection);
  await ensureIndexes(models);
  return { models };
}

export function testHandler(deps: DomainDeps, overrides: Partial<RestAdapterOptions> = {}): RestHandler {
  return createRestHandler({
    getDomain: async () => deps,
    authenticate: testAuthenticate,
    filesRoot: undefined,
    logger: { error: () => undefined },
    ...overrides,
  });
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (no JSON encoding) when a string. */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

// Tests read deep into answers whose shapes the OpenAPI test checks; `any` keeps them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallResult<T = Json> {
  status: number;
  headers: Headers;
  /** The parsed JSON answer (undefined for an empty or non-JSON one). */
  json: T;
  text: string;
}

export const BASE = 'http://localhost/api/event-job';

export function buildRequest(method: string, path: string, options: CallOptions = {}): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const url = path.startsWith('http') ? path : `${BASE}/${path}`;
  return new Request(url, { method, headers, body: body as RequestInit['body'], signal: options.signal });
}

export async function call<T = Json>(handler: RestHandler, method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const response = await handler(buildRequest(method, path, options));
  const text = await response.text();
  let json: T = undefined as T;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) json = JSON.parse(text) as T;
  return { status: response.status, headers: response.headers, json, text };
}

export function jobsInput(n: number, overrides: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, i) => ({
    parameters: { event: 'FOSDEM', track: 'Main', session: `Session ${i}`, url: 'https://example.org/talk', ...overrides },
  }));
}

export interface RestSetup {
  /** The domain on the suite's database (after beforeAll). */
  readonly deps: DomainDeps;
  /** The REST door over it, with the test principals of TOKENS. */
  readonly handler: RestHandler;
}

/**
 * The usual suite setup: a test database, the domain on it and the REST handler, made in beforeAll;
 * `clean` lists collections emptied before each test.
 */
export function useRestHandler(options: { clean?: readonly (keyof DomainDeps['models'])[]; overrides?: Partial<RestAdapterOptions> } = {}): RestSetup {
  const db = useTestDatabase();
  let deps: DomainDeps | undefined;
  let handler: RestHandler | undefined;
  beforeAll(async () => {
    deps = await domainDeps(db.current.connection);
    handler = testHandler(deps, options.overrides);
  });
  if (options.clean?.length) {
    beforeEach(async () => {
      for (const model of options.clean ?? []) await ((deps as DomainDeps).models[model] as { deleteMany(filter: object): Promise<unknown> }).deleteMany({});
    });
  }
  return {
    get deps() {
      if (!deps) throw new Error('useRestHandler: used before beforeAll ran');
      return deps;
    },
    get handler() {
      if (!handler) throw new Error('useRestHandler: used before beforeAll ran');
      return handler;
    },
  };
}
