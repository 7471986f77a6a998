import { TRPCError } from '@trpc/server';
import { createTestAuth } from './test-auth';
import { createUser, type EventMonitorAuth, type Principal } from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, type DomainDeps, type Role } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from './root';
import { createContextInner } from './trpc';

const job = (session: string) => ({ parameters: { event: 'FOSDEM', session, video_url: 'https://example.org/v.mp4' } });

function principal(userId: string, role: Role): Principal {
  return { actor: { userId, role }, via: 'session', scopes: role === 'viewer' ? ['read'] : ['read', 'write'] };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; fields?: string[] }> {
  try {
    await promise;
    return { code: 'OK' };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const details = (error.cause as { details?: { fieldErrors?: Record<string, string[]> } } | undefined)?.details;
    return details?.fieldErrors ? { code: error.code, fields: Object.keys(details.fieldErrors) } : { code: error.code };
  }
}

describe('sharing a batch through the tRPC router (real better-auth users)', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  const ids: Record<'owner' | 'second' | 'writer' | 'viewer', string> = { owner: '', second: '', writer: '', viewer: '' };
  const callerFor = (p: Principal) => createCaller(createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal: p }));
  const as = (who: keyof typeof ids) => callerFor(principal(ids[who], who === 'viewer' ? 'viewer' : 'operator'));

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    auth = createTestAuth(db.current);
    for (const [who, name] of [['owner', 'Olivia Owner'], ['second', 'Sam Second'], ['writer', 'Wanda Writer'], ['viewer', 'Vic Viewer']] as const) {
      const user = await createUser(auth, { email: `${who}@share.example.org`, name, password: 'a-long-password', role: who === 'viewer' ? 'viewer' : 'operator' });
      ids[who] = user.id;
    }
  });

  it('shows a private batch to a second user only after its owner shared it with them', async () => {
    const { batch } = await as('owner').batch.create({ jobs: [job('a')], visibility: 'private' });
    expect((await failure(as('second').batch.get({ batch_id: batch.batch_id }))).code).toBe('NOT_FOUND');
    const [found] = (await as('owner').batch.findUsers({ q: 'sam' })).users;
    expect(found).toEqual({ id: ids.second, name: 'Sam Second', email: 'second@share.example.org', active: true });

    const shared = await as('owner').batch.share({ batch_id: batch.batch_id, read_access: [found!.id] });

    expect(shared.jobs_updated).toBe(1);
    expect((await as('second').batch.get({ batch_id: batch.batch_id })).batch_id).toBe(batch.batch_id);
    expect((await as('second').job.list({ batch_id: batch.batch_id })).jobs).toHaveLength(1);
  });

  it('refuses readers and writers of the batch, and unknown ids with BAD_REQUEST naming the field', async () => {
    const { batch } = await as('owner').batch.create({ jobs: [job('b')], read_access: [ids.second], write_access: [ids.writer] });
    expect((await failure(as('second').batch.share({ batch_id: batch.batch_id, visibility: 'public' }))).code).toBe('FORBIDDEN');
    expect((await failure(as('writer').batch.share({ batch_id: batch.batch_id, visibility: 'public' }))).code).toBe('FORBIDDEN');
    expect(await failure(as('owner').batch.share({ batch_id: batch.batch_id, admin_access: ['0123456789abcdef01234567'] }))).toEqual({
      code: 'BAD_REQUEST',
      fields: ['admin_access'],
    });
    await as('owner').batch.share({ batch_id: batch.batch_id, admin_access: [ids.writer] });
    expect((await as('writer').batch.share({ batch_id: batch.batch_id, visibility: 'public' })).access_control.visibility).toBe('public');
  });

  it('lets no viewer look users up', async () => {
    expect((await failure(as('viewer').batch.findUsers({ q: 'o' }))).code).toBe('FORBIDDEN');
  });
});
