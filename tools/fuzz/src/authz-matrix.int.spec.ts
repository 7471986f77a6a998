// The authorization matrix over HTTP: every REST route (from ROUTES) and every tRPC procedure
// (from appRouter) against eleven principals, on the production build. The rows of the batch and
// job operations are generated from the operation table (its scope and object access, one input per
// operation for both doors); the rest are listed below. A route or procedure the running server
// has without a row fails the suite.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiToken, type TokenScope } from '@event-monitor/auth';
import { appRouter } from '@event-monitor/api';
import { inputFieldOf, listOperations, pathParamsOf, type NamedOperation, type RestDeclaration } from '@event-monitor/contracts';
import { ROUTES } from '@event-monitor/rest-adapter';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { createFixture, subscribe, type Fixture, type FixtureKind } from './support/fixtures';
import {
  createPrincipals,
  PRINCIPALS,
  rest,
  trpc,
  trpcQueryAsPost,
  type HttpAnswer,
  type MatrixPrincipal,
  type Principals,
  type ProcedureType,
} from './support/http';
import { expectNoLeaks, SECURITY_HEADERS } from './support/hardening';

type Access = 'public' | 'signed-in' | TokenScope | 'admin';
type Expected = 'allow' | 401 | 403 | 404;

interface Entry {
  access: Access;
  /** Acts on the owner's private batch or job: NOT_FOUND for whoever may not read it. */
  object?: boolean;
  /** A fresh fixture for this one call (it changes or deletes it); else the shared one. */
  fresh?: FixtureKind;
}

interface RestEntry extends Entry {
  request(f: Fixture, shared: Shared): { method: string; path: string; body?: unknown };
}

interface TrpcEntry extends Entry {
  input(f: Fixture, shared: Shared): Promise<unknown> | unknown;
}

interface Shared extends Fixture {
  file: string;
  server: LiveServer;
}

/**
 * What each principal should get: no credential (or a dead one) 401, a cookie sent cross-site
 * with an unsafe method 403, a missing scope or role 403, somebody else's private object 404 (no
 * existence leak), else the call succeeds.
 */
export function expectedFor(principal: MatrixPrincipal, entry: Entry, unsafe: boolean): Expected {
  // The origin check comes first: a cookie on an unsafe request from another site is refused
  // whatever the procedure, public ones (health as a POST) included.
  if (principal.crossSite && unsafe) return 403;
  if (entry.access === 'public') return 'allow';
  if (!principal.scopes) return 401;
  if (entry.access === 'signed-in') return 'allow';
  if (entry.access === 'admin') return principal.admin && principal.scopes.has('write') ? 'allow' : 403;
  if (!principal.scopes.has(entry.access)) return 403;
  if (entry.object && !principal.readsOwner) return 404;
  return 'allow';
}

/** One input per table operation: its REST request and its tRPC call are both built from it. */
const OPERATION_INPUTS: Record<string, { fresh?: FixtureKind; input(f: Fixture): Record<string, unknown> | undefined }> = {
  'batch.list': { input: () => ({ limit: 100 }) },
  'batch.tabs': { input: () => undefined },
  'batch.stats': { input: () => undefined },
  'batch.overview': { input: () => undefined },
  'batch.get': { input: (f) => ({ batch_id: f.batchId }) },
  'batch.create': { input: () => ({ jobs: [{ parameters: { session: 'matrix' } }] }) },
  'batch.delete': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId, reason: 'matrix' }) },
  'batch.archive': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId }) },
  'batch.unarchive': { fresh: 'archived', input: (f) => ({ batch_id: f.batchId }) },
  'batch.toggleActive': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId, active: false }) },
  'batch.previewFailAll': { input: () => undefined },
  'batch.failAll': { input: () => ({}) },
  'batch.previewSetAllPending': { input: () => undefined },
  'batch.setAllPending': { input: () => ({}) },
  'batch.restart': { fresh: 'failed', input: (f) => ({ batch_id: f.batchId, scope: 'failed' }) },
  'batch.changeLanguage': { fresh: 'batch', input: (f) => ({ target: { batch_id: f.batchId }, target_language: 'fr' }) },
  'batch.changeBatchLanguage': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId, target_language: 'fr' }) },
  'job.list': { input: () => ({ limit: 200 }) },
  'job.get': { input: (f) => ({ job_id: f.jobId }) },
  'job.logs': { input: (f) => ({ job_id: f.jobId }) },
  'job.create': { input: () => ({ parameters: {} }) },
  'job.delete': { fresh: 'batch', input: (f) => ({ job_id: f.jobId }) },
  'job.restart': { fresh: 'failed', input: (f) => ({ job_id: f.jobId }) },
  'job.cancel': { fresh: 'batch', input: (f) => ({ job_id: f.jobId }) },
  'job.changeLanguage': { fresh: 'batch', input: (f) => ({ job_id: f.jobId, target_language: 'fr' }) },
  // Bulk calls name the fixture's job: an allowed caller who may not write it changes nothing (0
  // matched), which the privacy check below verifies; a fresh batch keeps the shared fixtures intact.
  'job.bulkPreview': { input: (f) => ({ job_ids: f.jobId, action: 'restart' }) },
  'job.bulkProgress': { input: () => ({ run_id: '6f1c2e9a-3b4d-4c5e-8f70-112233445566' }) },
  'job.bulkRestart': { fresh: 'failed', input: (f) => ({ job_ids: f.jobId, reason: 'matrix' }) },
  'job.bulkFail': { fresh: 'batch', input: (f) => ({ job_ids: f.jobId, reason: 'matrix' }) },
  'job.bulkCancel': { fresh: 'batch', input: (f) => ({ job_ids: f.jobId, reason: 'matrix' }) },
  'job.bulkDelete': { fresh: 'batch', input: (f) => ({ job_ids: f.jobId, reason: 'matrix' }) },
  'job.bulkChangeLanguage': { fresh: 'batch', input: (f) => ({ job_ids: f.jobId, reason: 'matrix', target_language: 'fr' }) },
  'job.bulkSetPriority': { fresh: 'batch', input: (f) => ({ job_ids: f.jobId, reason: 'matrix', priority: 5 }) },
  'flow.list': { input: () => undefined },
  'flow.setLimits': { input: () => ({ job_type: 'matrix-limits', max_concurrent: 5 }) },
  'flow.pause': { input: () => ({ job_type: 'matrix-paused' }) },
  'flow.resume': { input: () => ({ job_type: 'matrix-paused' }) },
  'retention.preview': { input: () => ({ limit: 5 }) },
  'retention.setPolicy': { input: () => ({ delete_archived_after_days: 3650 }) },
  'retention.run': { input: () => undefined },
  'retention.setBatch': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId, keep: true }) },
  'batch.rename': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId, batch_name: 'renamed by the matrix' }) },
  'job.update': { fresh: 'batch', input: (f) => ({ job_id: f.jobId, priority: 3 }) },
  'batch.share': { fresh: 'batch', input: (f) => ({ batch_id: f.batchId, visibility: 'private' }) },
  'batch.findUsers': { input: () => ({ q: 'a' }) },
  'job.failureGroups': { input: () => ({ limit: 10 }) },
  'job.locate': { input: (f) => ({ id: f.jobId }) },
  'notify.list': { input: () => undefined },
  'notify.create': { input: () => ({ name: 'matrix', url: 'https://hooks.invalid/matrix', events: ['job.failed'] }) },
  'notify.update': { input: (f) => ({ subscription_id: f.subscriptionId, enabled: true }) },
  'notify.delete': { fresh: 'subscription', input: (f) => ({ subscription_id: f.subscriptionId }) },
  'notify.rotateSecret': { fresh: 'subscription', input: (f) => ({ subscription_id: f.subscriptionId }) },
  'notify.test': { input: (f) => ({ subscription_id: f.subscriptionId }) },
  'notify.deliveries': { input: (f) => ({ subscription_id: f.subscriptionId }) },
};

/** What the table says a principal needs: its scope, and (object access) the right to read the object. */
function entryOf({ name, declaration }: NamedOperation): Entry {
  const fixture = OPERATION_INPUTS[name];
  if (!fixture) throw new Error(`The matrix has no input for the operation ${name}`);
  // Installation-wide settings (flow control, retention): admins only, whatever the token's scopes beyond write.
  const access: Access = declaration.access === 'settings' ? 'admin' : declaration.scope;
  // A subscription named in the input is the owner's own: whoever may not act for the owner gets 404 (a listing shows one's own).
  const ownObject = declaration.access === 'own' && declaration.input !== undefined && 'subscription_id' in declaration.input.shape;
  return { access, object: ['read', 'write', 'admin'].includes(declaration.access) || ownObject, fresh: fixture.fresh };
}

/** The REST request of a table operation: path parameters from the input, the rest as body or query. */
function requestOf(operation: NamedOperation, route: RestDeclaration, f: Fixture): { method: string; path: string; body?: unknown } {
  const input = { ...(OPERATION_INPUTS[operation.name]?.input(f) ?? {}) };
  let path = route.path;
  for (const name of pathParamsOf(route.path)) {
    path = path.replace(new RegExp(`\\{${name}(:[^}]+)?\\}`), encodeURIComponent(String(input[inputFieldOf(name)])));
    delete input[inputFieldOf(name)];
  }
  if (route.from === 'query') {
    const query = new URLSearchParams(Object.entries(input).map(([key, value]): [string, string] => [key, String(value)])).toString();
    return { method: route.method, path: query ? `${path}?${query}` : path };
  }
  const hasBody = route.from === 'body' || (route.from === 'optional-body' && Object.keys(input).length > 0);
  return { method: route.method, path, ...(hasBody ? { body: input } : {}) };
}

const OPERATIONS = listOperations();

/**
 * Who sends every query a second time as a POST (method override): the same admin session from
 * the app's origin (allowed like the GET) and from another site (refused like any unsafe call),
 * plus a token (no origin check for tokens). The other principals' answers do not depend on the
 * method, and the matrix is a large share of the CI run.
 */
const POST_PRINCIPALS: readonly string[] = ['admin', 'admin, cross-site', 'read token'];

// Worker calls are not object-level: the lease token is the capability, and any token with the
// worker scope works the shared queue (as the Python workers do).
const REST: Record<string, RestEntry> = {
  ...Object.fromEntries(
    OPERATIONS.flatMap((operation) =>
      (operation.declaration.rest ?? []).map((route): [string, RestEntry] => [
        route.operationId,
        { ...entryOf(operation), request: (f) => requestOf(operation, route, f) },
      ]),
    ),
  ),
  claimJob: {
    access: 'worker',
    request: () => ({ method: 'POST', path: 'worker/claim', body: { worker_id: 'matrix', job_types: ['no-such-type'] } }),
  },
  heartbeat: {
    access: 'worker',
    fresh: 'leased',
    request: (f) => ({ method: 'POST', path: `worker/jobs/${f.jobId}/heartbeat`, body: { token: f.lease } }),
  },
  reportProgress: {
    access: 'worker',
    fresh: 'leased',
    request: (f) => ({
      method: 'POST',
      path: `worker/jobs/${f.jobId}/progress`,
      body: { token: f.lease, progress: { step: 'matrix', percent: 10 } },
    }),
  },
  appendLogs: {
    access: 'worker',
    fresh: 'leased',
    request: (f) => ({
      method: 'POST',
      path: `worker/jobs/${f.jobId}/logs`,
      body: { token: f.lease, entries: [{ level: 'info', message: 'matrix' }] },
    }),
  },
  completeJob: {
    access: 'worker',
    fresh: 'leased',
    request: (f) => ({ method: 'POST', path: `worker/jobs/${f.jobId}/complete`, body: { token: f.lease, results: {} } }),
  },
  failJob: {
    access: 'worker',
    fresh: 'leased',
    request: (f) => ({
      method: 'POST',
      path: `worker/jobs/${f.jobId}/fail`,
      body: { token: f.lease, error: { code: 'MATRIX', message: 'matrix' } },
    }),
  },
  getFile: { access: 'read', object: true, request: (_f, s) => ({ method: 'GET', path: `files/${s.file}` }) },
  // The streamed export (hand-written: the table has no streamed answers); a batch the caller may not read is a 404.
  exportJobs: { access: 'read', object: true, request: (f) => ({ method: 'GET', path: `jobs/export/csv?batch_id=${f.batchId}` }) },
  openApiDocument: { access: 'public', request: () => ({ method: 'GET', path: 'openapi.json' }) },
};

let users = 0;
const TRPC: Record<string, TrpcEntry> = {
  ...Object.fromEntries(
    OPERATIONS.flatMap((operation): [string, TrpcEntry][] =>
      operation.procedure
        ? [[operation.procedure, { ...entryOf(operation), input: (f) => OPERATION_INPUTS[operation.name]?.input(f) }]]
        : [],
    ),
  ),
  health: { access: 'public', input: () => undefined },
  'worker.list': { access: 'read', input: () => undefined },
  'worker.staleLeases': { access: 'read', input: () => undefined },
  'worker.legacyActivity': { access: 'read', input: () => undefined },
  'user.me': { access: 'signed-in', input: () => undefined },
  'user.list': { access: 'admin', input: () => undefined },
  'user.create': {
    access: 'admin',
    input: () => ({ email: `matrix-${++users}-${Date.now()}@test.local`, name: 'Matrix', password: 'matrix-password-1', role: 'viewer' }),
  },
  'user.setRole': { access: 'admin', input: async (_f, s) => ({ user_id: (await s.server.createUser('viewer')).id, role: 'operator' }) },
  'user.setActive': { access: 'admin', input: async (_f, s) => ({ user_id: (await s.server.createUser('viewer')).id, active: false }) },
  'user.resetPassword': {
    access: 'admin',
    input: async (_f, s) => ({ user_id: (await s.server.createUser('viewer')).id, password: 'matrix-new-password' }),
  },
  'token.list': { access: 'admin', input: () => undefined },
  'token.create': { access: 'admin', input: () => ({ name: 'matrix', scopes: ['read'] }) },
  'token.revoke': {
    access: 'admin',
    input: async (_f, s) => {
      const user = await s.server.createUser('operator');
      return { token_id: (await createApiToken(s.server.auth, { userId: user.id, name: 'to revoke', scopes: ['read'] })).id };
    },
  },
  'live.changes': { access: 'read', input: () => ({}) },
  'audit.list': { access: 'admin', input: () => undefined },
  'audit.forBatch': { access: 'read', object: true, input: (f) => ({ batch_id: f.batchId }) },
  'audit.forJob': { access: 'read', object: true, input: (f) => ({ job_id: f.jobId }) },
  'metrics.throughput': { access: 'read', input: () => ({ range: '24h' }) },
  'metrics.durations': { access: 'read', input: () => ({ range: '24h' }) },
  'metrics.failures': { access: 'read', input: () => ({ range: '24h' }) },
  'metrics.queueDepth': { access: 'read', input: () => ({ range: '24h' }) },
  'metrics.batchProgress': { access: 'read', input: () => ({ limit: 10 }) },
};

function procedures(): Record<string, ProcedureType> {
  const all = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: ProcedureType } }> } })._def.procedures;
  return Object.fromEntries(Object.entries(all).map(([path, procedure]) => [path, procedure._def.type]));
}

function classify(answer: HttpAnswer): Expected | number {
  // A subscription answers 200 and then refuses in its first event (tRPC's SSE protocol).
  const refused = /event: serialized-error\ndata: (.*)\n/.exec(answer.text);
  if (refused?.[1]) return (JSON.parse(refused[1]) as { json: { data: { httpStatus: number } } }).json.data.httpStatus;
  if (answer.status >= 200 && answer.status < 300) return 'allow';
  return answer.status;
}

interface Cell {
  /** tRPC POST: a query sent as a POST (method override), which counts as an unsafe request. */
  door: 'REST' | 'tRPC' | 'tRPC POST';
  name: string;
  principal: string;
  expected: Expected;
  got: Expected | number;
  body: string;
}

describe('authorization matrix over HTTP', () => {
  let server: LiveServer;
  let principals: Principals;
  let shared: Shared;
  let filesDir: string;
  let output = '';
  const cells: Cell[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'event-monitor-matrix-files-'));
    server = await startLiveServer({ env: { EVENT_FILES_DIR: filesDir }, onOutput: (chunk) => (output += chunk) });
    principals = await createPrincipals(server);
    // The shared fixture: a private batch whose job completed with a result file.
    const fixture = await createFixture(server.url, principals.ownerHeaders, 'leased');
    fixture.subscriptionId = await subscribe(server.url, principals.ownerHeaders, fixture.batchId);
    const file = 'sessions/matrix/de/result.md';
    await mkdir(join(filesDir, 'sessions/matrix/de'), { recursive: true });
    await writeFile(join(filesDir, file), '# matrix\n');
    const done = await rest(server.url, 'POST', `worker/jobs/${fixture.jobId}/complete`, {
      headers: principals.ownerHeaders,
      body: { token: fixture.lease, results: { markdown_file: file } },
    });
    expect(done.status).toBe(200);
    // Archived, so the bulk calls of the matrix (set-all-pending restarts completed jobs of the
    // current batches) leave its result, and so the file's owner, in place.
    expect((await rest(server.url, 'POST', `batches/${fixture.batchId}/archive`, { headers: principals.ownerHeaders })).status).toBe(200);
    shared = { ...fixture, file, server };
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await rm(filesDir, { recursive: true, force: true });
  });

  it('has an entry for every REST route and every tRPC procedure', () => {
    expect(Object.keys(REST).sort()).toEqual(ROUTES.map((route) => route.operationId).sort());
    expect(Object.keys(TRPC).sort()).toEqual(Object.keys(procedures()).sort());
  });

  async function fixtureFor(entry: Entry): Promise<Fixture> {
    return entry.fresh ? createFixture(server.url, principals.ownerHeaders, entry.fresh) : shared;
  }

  function record(cell: Cell, answer: HttpAnswer): void {
    cells.push(cell);
    answers.push(answer.text);
    // Every answer carries the security headers (set once for every path in next.config.js).
    for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
      expect({ cell: `${cell.door} ${cell.name} as ${cell.principal}`, [header]: answer.headers.get(header) }).toEqual({
        cell: `${cell.door} ${cell.name} as ${cell.principal}`,
        [header]: expect.stringContaining(value),
      });
    }
  }

  it.each(Object.keys(REST))('REST %s', async (operationId) => {
    const entry = REST[operationId] as RestEntry;
    for (const name of PRINCIPALS) {
      const principal = principals.byName[name];
      const fixture = await fixtureFor(entry);
      const { method, path, body } = entry.request(fixture, shared);
      const answer = await rest(server.url, method, path, { headers: principal.headers, body });
      const expected = expectedFor(principal, entry, method !== 'GET');
      record({ door: 'REST', name: operationId, principal: name, expected, got: classify(answer), body: answer.text.slice(0, 300) }, answer);
      if (expected === 'allow' && !principal.readsOwner && answer.status < 300) {
        // An allowed list or bulk call of somebody else never shows the owner's private objects.
        expect(answer.text).not.toContain(shared.batchId);
        expect(answer.text).not.toContain(shared.jobId);
      }
    }
  }, 120_000);

  it.each(Object.keys(TRPC))('tRPC %s', async (path) => {
    const entry = TRPC[path] as TrpcEntry;
    const type = procedures()[path] as ProcedureType;
    for (const name of PRINCIPALS) {
      const principal = principals.byName[name];
      const fixture = await fixtureFor(entry);
      const answer = await trpc(server.url, type, path, await entry.input(fixture, shared), principal.headers);
      const expected = expectedFor(principal, entry, type === 'mutation');
      record({ door: 'tRPC', name: path, principal: name, expected, got: classify(answer), body: answer.text.slice(0, 300) }, answer);
      if (expected === 'allow' && !principal.readsOwner && answer.status < 300) {
        expect(answer.text).not.toContain(shared.batchId);
        expect(answer.text).not.toContain(shared.jobId);
      }
      if (type !== 'query' || !POST_PRINCIPALS.includes(name)) continue;
      // The same query through the method override: a POST, so a cross-site cookie is refused.
      const posted = await trpcQueryAsPost(server.url, path, await entry.input(fixture, shared), principal.headers);
      const expectedPosted = expectedFor(principal, entry, true);
      record({ door: 'tRPC POST', name: path, principal: name, expected: expectedPosted, got: classify(posted), body: posted.text.slice(0, 300) }, posted);
      if (expectedPosted === 'allow' && !principal.readsOwner && posted.status < 300) {
        expect(posted.text).not.toContain(shared.batchId);
        expect(posted.text).not.toContain(shared.jobId);
      }
    }
  }, 120_000);

  it('zero unexpected allows and zero unexpected refusals over the whole matrix', () => {
    const unexpectedAllows = cells.filter((c) => c.got === 'allow' && c.expected !== 'allow');
    const mismatches = cells.filter((c) => c.got !== c.expected);
    const restCells = cells.filter((c) => c.door === 'REST').length;
    const postCells = cells.filter((c) => c.door === 'tRPC POST').length;
    console.log(
      `[authz-matrix] ${cells.length} cells (${restCells} REST, ${cells.length - restCells - postCells} tRPC, ${postCells} tRPC queries as POST) over ${PRINCIPALS.length} principals: ` +
        `${cells.filter((c) => c.got === 'allow').length} allowed, ${cells.filter((c) => c.got !== 'allow').length} refused, ` +
        `${unexpectedAllows.length} unexpected allows, ${mismatches.length} mismatches`,
    );
    const queries = Object.values(procedures()).filter((type) => type === 'query').length;
    expect(cells.length).toBe(
      (Object.keys(REST).length + Object.keys(TRPC).length) * PRINCIPALS.length + queries * POST_PRINCIPALS.length,
    );
    expect(mismatches.map((c) => `${c.door} ${c.name} as ${c.principal}: expected ${c.expected}, got ${c.got} ${c.body}`)).toEqual([]);
    expect(unexpectedAllows).toHaveLength(0);
  });

  it('no secret, cookie or stack trace in any answer or server log line of the matrix', () => {
    expectNoLeaks(output, principals.secrets, answers.join('\n'));
  });
});
