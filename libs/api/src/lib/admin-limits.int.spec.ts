import { TRPCError } from '@trpc/server';
import { createTestAuth } from './test-auth';
import { createUser, type EventMonitorAuth, type Principal } from '@event-monitor/auth';
import { TOKEN_NAME_MAX_LENGTH } from '@event-monitor/contracts';
import { createDomainModels, ensureIndexes, type DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from './root';
import { createContextInner } from './trpc';

async function failureOf(promise: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  try {
    await promise;
    return { code: 'OK', fields: [] };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const details = (error.cause as { details?: { fieldErrors?: Record<string, string[]> } } | undefined)?.details;
    const zodFields = (error.cause as { issues?: { path: PropertyKey[] }[] } | undefined)?.issues?.map((issue) => issue.path.join('.'));
    return { code: error.code, fields: zodFields ?? Object.keys(details?.fieldErrors ?? {}) };
  }
}

describe('admin limits: token names and the last admin', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let auth: EventMonitorAuth;
  const callerFor = (userId: string) => {
    const principal: Principal = { actor: { userId, role: 'admin' }, via: 'session', scopes: ['read', 'write'] };
    return createCaller(createContextInner({ getDomain: async () => domain, getAuth: async () => auth, principal }));
  };

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    auth = createTestAuth(db.current);
  });

  it('takes a token name up to the stored limit and refuses a longer one as a 400 naming name', async () => {
    const admin = callerFor('u-admin');
    const longest = await admin.token.create({ name: 'n'.repeat(TOKEN_NAME_MAX_LENGTH), scopes: ['read'] });
    expect(longest.name).toHaveLength(TOKEN_NAME_MAX_LENGTH);
    for (const length of [TOKEN_NAME_MAX_LENGTH + 1, 64, 100]) {
      expect({ length, ...(await failureOf(admin.token.create({ name: 'n'.repeat(length), scopes: ['read'] }))) }).toEqual({
        length,
        code: 'BAD_REQUEST',
        fields: ['name'],
      });
    }
  });

  it('never demotes the last admin, and demotes one of two', async () => {
    const first = await createUser(auth, { email: 'first@example.org', name: 'First', password: 'a-long-password', role: 'admin' });
    const caller = callerFor(first.id);
    expect(await failureOf(caller.user.setRole({ user_id: first.id, role: 'viewer' }))).toEqual({ code: 'CONFLICT', fields: [] });
    expect((await caller.user.list()).filter((user) => user.role === 'admin').map((user) => user.id)).toEqual([first.id]);

    const second = await createUser(auth, { email: 'second@example.org', name: 'Second', password: 'a-long-password', role: 'admin' });
    // Two admins demoting each other at the same moment: at least one stays admin.
    await Promise.allSettled([
      caller.user.setRole({ user_id: second.id, role: 'operator' }),
      callerFor(second.id).user.setRole({ user_id: first.id, role: 'operator' }),
    ]);
    const admins = (await caller.user.list()).filter((user) => user.role === 'admin');
    expect(admins.length).toBeGreaterThanOrEqual(1);
    const [remaining] = admins;
    const others = (await caller.user.list()).filter((user) => user.role === 'admin' && user.id !== remaining!.id);
    for (const other of others) await callerFor(remaining!.id).user.setRole({ user_id: other.id, role: 'operator' });
    expect(await failureOf(callerFor(remaining!.id).user.setRole({ user_id: remaining!.id, role: 'operator' }))).toEqual({
      code: 'CONFLICT',
      fields: [],
    });
  });
});
