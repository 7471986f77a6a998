import { TRPCError } from '@trpc/server';
import type { EventMonitorAuth, Principal } from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, type DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from './root';
import { createContextInner } from './trpc';

describe('job byte limits at the tRPC door', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  const owner: Principal = { actor: { userId: 'u-owner', role: 'operator' }, via: 'session', scopes: ['read', 'write'] };

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
  });

  it('refuses parameters over 64 KiB as a 400 naming jobs.0.parameters, and stores nothing', async () => {
    const caller = createCaller(
      createContextInner({ getDomain: async () => domain, getAuth: async () => ({}) as EventMonitorAuth, principal: owner }),
    );
    const euros = (n: number) => '€'.repeat(n);
    const parameters = { event: euros(500), session: euros(500), track: euros(500), filename: euros(500), speakers: Array.from({ length: 100 }, () => euros(200)) };
    let failure: unknown;
    try {
      await caller.batch.create({ jobs: [{ parameters }] });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(TRPCError);
    const issues = ((failure as TRPCError).cause as { issues?: { path: PropertyKey[] }[] }).issues ?? [];
    expect({ code: (failure as TRPCError).code, paths: issues.map((issue) => issue.path.join('.')) }).toEqual({
      code: 'BAD_REQUEST',
      paths: ['jobs.0.parameters'],
    });
    expect(await domain.models.Job.countDocuments()).toBe(0);
  });
});
