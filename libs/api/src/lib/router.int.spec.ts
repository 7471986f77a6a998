import { TRPCError } from '@trpc/server';
import { createTestAuth } from './test-auth';
import { DatabaseUnavailableError } from '@event-monitor/db';
import {
  authenticate,
  
  createApiToken,
  createUser,
  type EventMonitorAuth,
  type Principal,
} from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, type DomainDeps, type Role } from '@event-monitor/domain';
import { listOperations } from '@event-monitor/contracts';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from './root';
import { createContextInner } from './trpc';

const job = (session: string) => ({
  parameters: { event: 'FOSDEM', track: 'Main', session, video_url: 'https://example.org/v.mp4' },
});

function principal(userId: string, role: Role, scopes?: Principal['scopes']): Principal {
  return {
    actor: { userId, role },
    via: scopes ? 'token' : 'session',
    scopes: scopes ?? (role === 'viewer' ? ['read'] : ['read', 'write']),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe('appRouter through createCaller (real database, real auth)', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  const callerFor = (p: Principal | null) =>
    createCaller(
      createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal: p }),
    );

  const admin = principal('u-admin', 'admin');
  const owner = principal('u-owner', 'operator');
  const other = principal('u-other', 'operator');
  const reader = principal('u-reader', 'operator');
  const writer = principal('u-writer', 'operator');
  const viewer = principal('u-viewer', 'viewer');

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    auth = createTestAuth(db.current);
  });

  it('answers health without sign-in and refuses everything else to anonymous callers', async () => {
    const anonymous = callerFor(null);
    expect(await anonymous.health()).toEqual({ status: 'ok' });
    const calls: Array<() => Promise<unknown>> = [
      () => anonymous.batch.list(),
      () => anonymous.batch.get({ batch_id: 'batch-x' }),
      () => anonymous.batch.create({ jobs: [job('s')] }),
      () => anonymous.batch.failAll(),
      () => anonymous.job.list(),
      () => anonymous.job.restart({ job_id: 'job-x' }),
      () => anonymous.worker.list(),
      () => anonymous.worker.staleLeases(),
      () => anonymous.user.me(),
      () => anonymous.user.list(),
      () => anonymous.token.create({ name: 't', scopes: ['read'] }),
    ];
    for (const call of calls) expect(await codeOf(call())).toBe('UNAUTHORIZED');
  });

  it('runs the batch and job operations end to end for the owner', async () => {
    const api = callerFor(owner);
    const { batch, job_ids } = await api.batch.create({
      batch_name: 'Day 1',
      jobs: [job('Opening'), job('Keynote')],
    });
    expect(batch).toMatchObject({ batch_name: 'Day 1', total_jobs: 2, pending_jobs: 2, status: 'pending' });
    expect((await api.batch.list({ search: 'Day' })).batches.map((b) => b.batch_id)).toContain(
      batch.batch_id,
    );
    expect(await api.batch.tabs()).toMatchObject({ current: expect.any(Number) });
    expect((await api.batch.get({ batch_id: batch.batch_id })).isActive).toBe(true);

    const jobs = await api.job.list({ batch_id: batch.batch_id });
    expect(jobs.total).toBe(2);
    const jobId = job_ids[0] as string;
    expect((await api.job.get({ job_id: jobId })).job_name).toBe('FOSDEM - Main - Opening');

    // pending -> pending is not a restart: the transition is refused and maps to CONFLICT.
    expect(await codeOf(api.job.restart({ job_id: jobId }))).toBe('CONFLICT');
    expect((await api.job.cancel({ job_id: jobId, reason: 'wrong video' })).status).toBe('failed');
    const restarted = await api.job.restart({ job_id: jobId, target_language: 'fr' });
    expect(restarted).toMatchObject({ status: 'pending', parameters: { target_language: 'fr' } });
    expect(restarted.error).toBeUndefined();
    expect((await api.job.logs({ job_id: jobId })).some((l) => /restart/i.test(l.message))).toBe(true);
    expect(await api.job.changeLanguage({ job_id: jobId, target_language: 'it' })).toMatchObject({
      updated: 1,
    });

    expect((await api.batch.toggleActive({ batch_id: batch.batch_id })).isActive).toBe(false);
    expect((await api.batch.archive({ batch_id: batch.batch_id })).archived).toBe(true);
    expect((await api.batch.unarchive({ batch_id: batch.batch_id })).archived).toBe(false);
    expect(await api.batch.previewFailAll()).toMatchObject({ jobs: expect.any(Number) });
    const failed = await api.batch.failAll({ reason: 'test' });
    expect(failed.jobs).toBeGreaterThanOrEqual(2);
    expect((await api.batch.get({ batch_id: batch.batch_id })).status).toBe('failed');
    expect(await api.batch.restart({ batch_id: batch.batch_id, scope: 'failed' })).toEqual({ restarted: 2 });
    expect(
      await api.batch.changeLanguage({ target: { batch_id: batch.batch_id }, target_language: 'es' }),
    ).toMatchObject({
      updated: 2,
    });
    expect(await api.batch.previewSetAllPending()).toMatchObject({ jobs: 0 });
    expect(await api.batch.setAllPending()).toMatchObject({ jobs: 0 });
    expect((await api.batch.stats()).jobs.pending).toBeGreaterThanOrEqual(2);

    const extra = await api.job.create({ ...job('Closing'), batch_id: batch.batch_id });
    expect((await api.batch.get({ batch_id: batch.batch_id })).total_jobs).toBe(3);
    await api.job.delete({ job_id: extra.job_id });
    expect((await api.batch.get({ batch_id: batch.batch_id })).total_jobs).toBe(2);
    expect(await api.batch.delete({ batch_id: batch.batch_id })).toEqual({ deleted_jobs: 2 });
    expect(await codeOf(api.batch.get({ batch_id: batch.batch_id }))).toBe('NOT_FOUND');
  });

  it('pages job and batch lists by cursor; a bad cursor or skip with a cursor is BAD_REQUEST naming cursor', async () => {
    const api = callerFor(owner);
    const { batch } = await api.batch.create({ batch_name: 'cursor walk', jobs: ['a', 'b', 'c'].map(job) });
    const sort = { field: 'job_name', direction: 'desc' } as const;
    const first = await api.job.list({ batch_id: batch.batch_id, sort, limit: 2 });
    expect(first).toMatchObject({ total: 3, total_exact: true });
    const cursor = first.next_cursor ?? '';
    expect(cursor).not.toBe('');
    const second = await api.job.list({ batch_id: batch.batch_id, sort, limit: 2, cursor });
    expect([...first.jobs, ...second.jobs].map((j) => j.parameters.session)).toEqual(['c', 'b', 'a']);
    expect(second.next_cursor).toBeNull();
    const batches = await api.batch.list({ search: 'cursor walk', limit: 1 });
    expect(batches).toMatchObject({ total: 1, total_exact: true, next_cursor: null });

    for (const input of [
      { cursor, skip: 0 },
      { cursor, sort: { field: 'job_name', direction: 'asc' } as const },
      { cursor: 'bm90IGEgY3Vyc29y' },
      { cursor: 'x'.repeat(600) },
    ]) {
      const error = await api.job.list({ batch_id: batch.batch_id, ...input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      expect(JSON.stringify((error as TRPCError).cause)).toContain('cursor');
    }
  });

  it('names each failing field of bad input (BAD_REQUEST) and writes nothing', async () => {
    const api = callerFor(owner);
    const before = await domain.models.Job.countDocuments();
    const attempt = api.batch.create({
      jobs: [job('ok'), { parameters: { video_url: 'ftp://nope', target_language: 'xx' } } as never],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const error = await attempt.catch((e: TRPCError) => e);
    const message = JSON.stringify((error as TRPCError).cause);
    expect(message).toMatch(/video_url/);
    expect(message).toMatch(/target_language/);
    expect(await domain.models.Job.countDocuments()).toBe(before);
  });

  describe('authorization matrix on one private batch', () => {
    let batchId: string;
    let jobId: string;

    beforeEach(async () => {
      const created = await callerFor(owner).batch.create({
        batch_name: 'Private',
        jobs: [job('a'), job('b')],
        read_access: ['u-owner', 'u-reader'],
        write_access: ['u-owner', 'u-writer'],
        admin_access: ['u-owner'],
      });
      batchId = created.batch.batch_id;
      jobId = created.job_ids[0] as string;
    });

    type Level = 'read' | 'write' | 'admin';
    /** Every operation of the table that acts on one batch or job, with the level it needs there. */
    const objectOperations = listOperations().filter(
      (o): o is typeof o & { procedure: string; declaration: { access: Level } } =>
        o.procedure !== null && ['read', 'write', 'admin'].includes(o.declaration.access),
    );
    const inputOf = (name: string): Record<string, unknown> =>
      ({
        'batch.changeLanguage': { target: { batch_id: batchId }, target_language: 'fr' },
        'job.changeLanguage': { job_id: jobId, target_language: 'fr' },
        'batch.rename': { batch_id: batchId, batch_name: 'renamed in the matrix' },
        'retention.setBatch': { batch_id: batchId, keep: true },
      })[name] ?? (name.startsWith('batch.') ? { batch_id: batchId } : { job_id: jobId });
    const callOf = (api: ReturnType<typeof callerFor>, procedure: string, input: unknown) => {
      const [area, key] = procedure.split('.') as [string, string];
      return (api as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[area]?.[key]?.(input);
    };
    const expected: Array<[string, () => Principal, Record<Level, string>]> = [
      ['viewer', () => viewer, { read: 'NOT_FOUND', write: 'FORBIDDEN', admin: 'FORBIDDEN' }],
      ['another user', () => other, { read: 'NOT_FOUND', write: 'NOT_FOUND', admin: 'NOT_FOUND' }],
      ['a listed reader', () => reader, { read: 'OK', write: 'FORBIDDEN', admin: 'FORBIDDEN' }],
      ['a listed writer', () => writer, { read: 'OK', write: 'OK', admin: 'FORBIDDEN' }],
      ['the owner', () => owner, { read: 'OK', write: 'OK', admin: 'OK' }],
      ['an admin', () => admin, { read: 'OK', write: 'OK', admin: 'OK' }],
    ];

    it('covers the read, write and admin operations of both areas', () => {
      expect(objectOperations.map((o) => o.procedure)).toEqual(expect.arrayContaining(['batch.get', 'batch.toggleActive', 'batch.delete', 'job.get', 'job.cancel', 'job.delete']));
    });

    for (const [who, p, outcome] of expected) {
      for (const { procedure, declaration } of objectOperations) {
        const level = declaration.access;
        it(`${who}: ${procedure} (${level}) -> ${outcome[level]}`, async () => {
          const code = await codeOf(callOf(callerFor(p()), procedure, inputOf(procedure)) as Promise<unknown>);
          // Allowed but not in this state (restarting a pending job) is still allowed.
          expect(code === 'CONFLICT' ? 'OK' : code).toBe(outcome[level]);
        });
      }
    }
  });

  it('refuses writes to read-only tokens and reads to worker-only tokens', async () => {
    const readOnly = callerFor(principal('u-owner', 'operator', ['read']));
    const workerOnly = callerFor(principal('u-owner', 'operator', ['worker']));
    expect(await codeOf(readOnly.batch.list())).toBe('OK');
    expect(await codeOf(readOnly.batch.create({ jobs: [job('x')] }))).toBe('FORBIDDEN');
    expect(await codeOf(workerOnly.batch.list())).toBe('FORBIDDEN');
  });

  it('lets only admins manage users and tokens', async () => {
    const created = await callerFor(admin).user.create({
      email: 'new-op@example.org',
      name: 'New Operator',
      password: 'a-long-password',
      role: 'operator',
    });
    expect(created.role).toBe('operator');
    expect((await callerFor(admin).user.list()).map((u) => u.email)).toContain('new-op@example.org');
    expect((await callerFor(admin).user.setRole({ user_id: created.id, role: 'viewer' })).role).toBe(
      'viewer',
    );
    expect(await codeOf(callerFor(owner).user.list())).toBe('FORBIDDEN');
    expect(await codeOf(callerFor(owner).token.create({ name: 't', scopes: ['read'] }))).toBe('FORBIDDEN');
    expect(await codeOf(callerFor(viewer).user.setRole({ user_id: created.id, role: 'admin' }))).toBe(
      'FORBIDDEN',
    );

    const token = await callerFor(admin).token.create({
      name: 'worker',
      scopes: ['worker'],
      user_id: created.id,
    });
    expect(token.token).toMatch(/^em_/);
    const listed = await callerFor(admin).token.list({ user_id: created.id });
    expect(listed.map((t) => t.id)).toEqual([token.id]);
    expect(JSON.stringify(listed)).not.toContain(token.token);
    expect((await callerFor(admin).token.revoke({ token_id: token.id })).enabled).toBe(false);
    expect(await codeOf(callerFor(admin).token.revoke({ token_id: 'nope' }))).toBe('NOT_FOUND');
    expect(
      await codeOf(callerFor(admin).user.create({ ...created, password: 'a-long-password' } as never)),
    ).toBe('BAD_REQUEST');
  });

  it('tells the caller who they are, and lists workers', async () => {
    expect(await callerFor(viewer).user.me()).toMatchObject({
      id: 'u-viewer',
      role: 'viewer',
      scopes: ['read'],
    });
    expect(await callerFor(viewer).worker.list()).toEqual(expect.any(Array));
    expect(await callerFor(viewer).worker.staleLeases({ limit: 10 })).toEqual(expect.any(Array));
  });

  it('maps a database outage to SERVICE_UNAVAILABLE without internals', async () => {
    const outage = new DatabaseUnavailableError('connect ECONNREFUSED 127.0.0.1:1');
    const api = createCaller(
      createContextInner({
        getDomain: async () => {
          throw outage;
        },
        getAuth: async () => auth,
        principal: owner,
      }),
    );
    const error = await api.batch.list().catch((e: TRPCError) => e);
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((error as TRPCError).message).not.toMatch(/ECONNREFUSED/);
  });

  it('maps a driver error of a server that went away mid-request to SERVICE_UNAVAILABLE', async () => {
    const selection = Object.assign(new Error('Server selection timed out after 2000 ms'), { name: 'MongoServerSelectionError' });
    const api = createCaller(
      createContextInner({
        getDomain: async () => {
          throw new Error('query failed', { cause: selection });
        },
        getAuth: async () => auth,
        principal: owner,
      }),
    );
    expect(await api.batch.list().catch((e: TRPCError) => e)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('still refuses a token created for a user once that token is revoked (through auth)', async () => {
    const user = await createUser(auth, {
      email: 'tok@example.org',
      name: 'T',
      password: 'token-password',
      role: 'operator',
    });
    const created = await createApiToken(auth, { userId: user.id, name: 'x', scopes: ['read'] });
    await callerFor(admin).token.revoke({ token_id: created.id });
    expect(await authenticate(auth, new Headers({ authorization: `Bearer ${created.token}` }))).toBeNull();
  });
});
