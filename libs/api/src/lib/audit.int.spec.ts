import { TRPCError } from '@trpc/server';
import { createTestAuth } from './test-auth';
import { createUser, type EventMonitorAuth, type Principal } from '@event-monitor/auth';
import {
  createDomainModels,
  ensureIndexes,
  type AuditEventRecord,
  type DomainDeps,
  type Role,
} from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from './root';
import { createContextInner } from './trpc';

const job = (session: string) => ({
  parameters: { event: 'FOSDEM', track: 'Main', session, video_url: 'https://example.org/v.mp4' },
});

function principal(userId: string, role: Role, via: Principal['via'] = 'session'): Principal {
  return {
    actor: { userId, role },
    via,
    scopes: role === 'viewer' ? ['read'] : ['read', 'write'],
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

describe('audit trail through the tRPC router', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  const callerFor = (p: Principal) =>
    createCaller(
      createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal: p }),
    );

  const admin = principal('u-admin', 'admin');
  const owner = principal('u-owner', 'operator');
  const ownerByToken = principal('u-owner', 'operator', 'token');
  const other = principal('u-other', 'operator');

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    auth = createTestAuth(db.current);
  });

  beforeEach(async () => {
    await domain.models.Job.deleteMany({});
    await domain.models.Batch.deleteMany({});
    await domain.models.AuditEvent.deleteMany({});
  });

  const stored = () =>
    domain.models.AuditEvent.find({}).sort({ at: 1, _id: 1 }).lean<AuditEventRecord[]>().exec();

  it('records the door the caller came through', async () => {
    await callerFor(ownerByToken).batch.create({ jobs: [job('a')] });
    await callerFor(owner).batch.create({ jobs: [job('b')] });
    expect((await stored()).map((e) => e.actor)).toEqual([
      { user_id: 'u-owner', role: 'operator', via: 'token' },
      { user_id: 'u-owner', role: 'operator', via: 'session' },
    ]);
  });

  it('passes the reason of restart, set-all-pending, fail-all and the deletes through to the trail', async () => {
    const api = callerFor(owner);
    const { batch, job_ids } = await api.batch.create({ jobs: [job('a'), job('b'), job('c')] });
    await api.job.delete({ job_id: job_ids[2] as string, reason: 'duplicate' });
    await api.batch.failAll({ reason: 'encoder down' });
    await api.batch.restart({ batch_id: batch.batch_id, reason: 'encoder fixed' });
    await api.batch.failAll();
    await api.batch.setAllPending({ reason: 'second try' });
    await api.batch.delete({ batch_id: batch.batch_id, reason: 'wrong event' });
    const events = await stored();
    expect(events.map((e) => [e.action, e.count, e.reason ?? null])).toEqual([
      ['batch.create', 3, null],
      ['job.delete', 1, 'duplicate'],
      ['batch.fail_all', 2, 'encoder down'],
      ['batch.restart', 2, 'encoder fixed'],
      ['batch.fail_all', 2, null],
      ['batch.set_all_pending', 2, 'second try'],
      ['batch.delete', 2, 'wrong event'],
    ]);
  });

  it('audits user creation and role changes with from/to', async () => {
    const api = callerFor(admin);
    const user = await api.user.create({
      email: 'audited@example.org',
      name: 'Audited',
      password: 'a-long-password',
      role: 'operator',
    });
    await api.user.setRole({ user_id: user.id, role: 'viewer' });
    const events = await stored();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: 'user.create',
      actor: { user_id: 'u-admin', role: 'admin', via: 'session' },
      target: { type: 'user', ids: [user.id] },
      count: 1,
      details: { email: 'audited@example.org', role: 'operator' },
    });
    expect(events[1]).toMatchObject({
      action: 'user.set_role',
      target: { type: 'user', ids: [user.id] },
      details: { from: 'operator', to: 'viewer' },
    });
  });

  it('audits token creation and revocation without ever storing the token', async () => {
    const api = callerFor(admin);
    // A token for another user: that user must exist (created without the router: no audit event).
    const ci = await createUser(auth, { email: 'ci-owner@example.org', name: 'CI', password: 'ci-owner-password', role: 'operator' });
    const token = await api.token.create({ name: 'ci', scopes: ['read', 'write'], user_id: ci.id });
    await api.token.revoke({ token_id: token.id });
    const events = await stored();
    expect(events.map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
    expect(events[0]).toMatchObject({
      target: { type: 'token', ids: [token.id] },
      count: 1,
      details: { name: 'ci', scopes: ['read', 'write'], user_id: ci.id, owner: 'ci-owner@example.org' },
    });
    expect(events[1]).toMatchObject({ target: { type: 'token', ids: [token.id] }, details: { name: 'ci' } });
    expect(JSON.stringify(events)).not.toContain(token.token);
  });

  it('records nothing for refused user and token changes', async () => {
    expect(await codeOf(callerFor(owner).user.setRole({ user_id: 'u-other', role: 'admin' }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(callerFor(admin).user.setRole({ user_id: 'nobody', role: 'admin' }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(callerFor(admin).token.revoke({ token_id: 'nope' }))).toBe('NOT_FOUND');
    expect(await stored()).toEqual([]);
  });

  it('audit.list is for admins and filters', async () => {
    const { batch } = await callerFor(owner).batch.create({ jobs: [job('a')] });
    await callerFor(owner).batch.archive({ batch_id: batch.batch_id });
    expect(await codeOf(callerFor(owner).audit.list())).toBe('FORBIDDEN');
    const all = await callerFor(admin).audit.list();
    expect(all.total).toBe(2);
    const archived = await callerFor(admin).audit.list({ action: 'batch.archive', target_id: batch.batch_id });
    expect(archived.events).toHaveLength(1);
    expect(archived.events[0]?.at).toBeInstanceOf(Date);
    expect(await codeOf(callerFor(admin).audit.list({ limit: 500 }))).toBe('BAD_REQUEST');
  });

  it('audit.forBatch and audit.forJob follow read access', async () => {
    const { batch, job_ids } = await callerFor(owner).batch.create({ jobs: [job('a')] });
    const jobId = job_ids[0] as string;
    await callerFor(owner).job.cancel({ job_id: jobId, reason: 'no video' });
    const forBatch = await callerFor(owner).audit.forBatch({ batch_id: batch.batch_id });
    expect(forBatch.events.map((e) => [e.action, e.reason ?? null])).toEqual([
      ['job.cancel', 'no video'],
      ['batch.create', null],
    ]);
    const forJob = await callerFor(owner).audit.forJob({ job_id: jobId, limit: 10 });
    expect(forJob.events.map((e) => [e.action, e.reason ?? null])).toEqual([
      ['job.cancel', 'no video'],
      ['batch.create', null],
    ]);
    expect(await codeOf(callerFor(other).audit.forBatch({ batch_id: batch.batch_id }))).toBe('NOT_FOUND');
    expect(await codeOf(callerFor(other).audit.forJob({ job_id: jobId }))).toBe('NOT_FOUND');
    expect((await callerFor(admin).audit.forJob({ job_id: jobId })).events).toHaveLength(2);
  });

  it('audit pages name the actor (name; e-mail for admins) and a user event its user; a gone user stays an id', async () => {
    const ada = await callerFor(admin).user.create({
      email: 'ada@example.org',
      name: 'Ada Lovelace',
      password: 'a-long-password',
      role: 'operator',
    });
    const adaSession = principal(ada.id, 'operator');
    const adaToken = principal(ada.id, 'operator', 'token');
    const { batch, job_ids } = await callerFor(adaSession).batch.create({ jobs: [job('a'), job('b')] });
    await callerFor(adaToken).job.cancel({ job_id: job_ids[0] as string });
    // An event by an id with no user behind it (deleted, or a proxy's id).
    await domain.models.AuditEvent.insertMany([
      {
        event_id: 'audit-gone',
        at: new Date(),
        actor: { user_id: 'u-gone', role: 'operator', via: 'session' },
        action: 'job.restart',
        target: { type: 'job', ids: [job_ids[1] as string], truncated: false },
        count: 1,
        details: { batch_id: batch.batch_id },
      },
    ]);

    const list = await callerFor(admin).audit.list({ target_id: batch.batch_id });
    expect(list.events.map((e) => e.actor)).toEqual([
      { user_id: ada.id, role: 'operator', via: 'session', name: 'Ada Lovelace', email: 'ada@example.org' },
    ]);
    // A user event names its user too; the admin acting here (u-admin) has no user: its id stays.
    const created = await callerFor(admin).audit.list({ action: 'user.create' });
    expect(created.events.map((e) => [e.actor.name ?? null, e.target.ids, e.target.names])).toEqual([
      [null, [ada.id], { [ada.id]: 'Ada Lovelace' }],
    ]);
    const forBatch = await callerFor(admin).audit.forBatch({ batch_id: batch.batch_id });
    expect(forBatch.events.map((e) => [e.action, e.actor.name ?? null, e.actor.email ?? null, e.actor.via])).toEqual([
      ['job.restart', null, null, 'session'],
      ['job.cancel', 'Ada Lovelace', 'ada@example.org', 'token'],
      ['batch.create', 'Ada Lovelace', 'ada@example.org', 'session'],
    ]);
    // The owner (not an admin) sees names, not e-mails.
    const forOwner = await callerFor(adaSession).audit.forJob({ job_id: job_ids[0] as string });
    expect(forOwner.events.map((e) => [e.action, e.actor.name ?? null, e.actor.email ?? null])).toEqual([
      ['job.cancel', 'Ada Lovelace', null],
      ['batch.create', 'Ada Lovelace', null],
    ]);
  });
});
