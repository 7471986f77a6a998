import { TRPCError } from '@trpc/server';
import type { EventMonitorAuth, Principal } from '@event-monitor/auth';
import { createDomainModels, ensureIndexes, sampleQueueDepth, type DomainDeps, type Role } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { createCaller } from '../root';
import { createContextInner } from '../trpc';

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

describe('metrics router through createCaller', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  const callerFor = (p: Principal | null) =>
    createCaller(
      createContextInner({
        getDomain: async () => domain,
        getAuth: async () => ({}) as EventMonitorAuth,
        principal: p,
      }),
    );
  const owner = principal('u-owner', 'operator');
  const other = principal('u-other', 'operator');
  const viewer = principal('u-viewer', 'viewer');

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
  });

  /** A batch of `n` jobs whose first `failed` fail with `code` and the rest complete, one minute ago. */
  async function finishedBatch(p: Principal, n: number, failed: number, code: string): Promise<string> {
    const { batch } = await callerFor(p).batch.create({ jobs: Array.from({ length: n }, (_, i) => job(`s${i}`)) });
    const jobs = await domain.models.Job.find({ batch_id: batch.batch_id }, { job_id: 1 }).sort({ _id: 1 }).lean();
    const done = new Date(Date.now() - 60_000);
    for (const [i, { job_id }] of jobs.entries()) {
      const status = i < failed ? 'failed' : 'completed';
      await domain.models.Job.collection.updateOne(
        { job_id },
        {
          $set: {
            status,
            completed_at: done,
            processing_started_at: new Date(done.getTime() - (i + 1) * 1000),
            ...(status === 'failed' ? { error: { code, message: 'x' } } : {}),
          },
        },
      );
    }
    return batch.batch_id;
  }

  it('refuses anonymous callers and tokens without the read scope; viewers may read', async () => {
    const anonymous = callerFor(null);
    expect(await codeOf(anonymous.metrics.throughput({ range: '1h' }))).toBe('UNAUTHORIZED');
    expect(await codeOf(anonymous.metrics.queueDepth({ range: '1h' }))).toBe('UNAUTHORIZED');
    const writeOnly = callerFor(principal('u-owner', 'operator', ['write']));
    expect(await codeOf(writeOnly.metrics.failures({ range: '1h' }))).toBe('FORBIDDEN');
    expect(await codeOf(callerFor(viewer).metrics.durations({ range: '24h' }))).toBe('OK');
  });

  it('answers each metric for the jobs the caller may read', async () => {
    const mine = await finishedBatch(owner, 4, 1, 'VideoMissing');
    await finishedBatch(other, 3, 3, 'OtherTeamsSecret');
    await sampleQueueDepth(domain);

    const caller = callerFor(owner);
    const throughput = await caller.metrics.throughput({ range: '1h' });
    expect(throughput.totals).toEqual({ completed: 3, failed: 1 });
    expect(throughput.buckets[0]?.start).toBeInstanceOf(Date);

    const failures = await caller.metrics.failures({ range: '1h' });
    expect(failures.codes).toEqual([{ code: 'VideoMissing', count: 1 }]);

    const durations = await caller.metrics.durations({ range: '1h' });
    expect(durations).toMatchObject({ sample_size: 3, p50_ms: 3000, p99_ms: 4000 });

    const progress = await caller.metrics.batchProgress({ limit: 5 });
    expect(progress.batches.map((b) => b.batch_id)).toEqual([mine]);
    expect(progress.batches[0]).not.toHaveProperty('access_control');

    const depth = await caller.metrics.queueDepth({ range: '24h' });
    expect(depth.latest).toMatchObject({ pending: 0, processing: 0 });
    expect(depth.points.length).toBeLessThanOrEqual(200);
  });

  it('rejects an unknown range or limit as BAD_REQUEST and defaults the range to 24h', async () => {
    const caller = callerFor(owner);
    expect(await codeOf(caller.metrics.throughput({ range: '1y' as never }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.metrics.batchProgress({ limit: 0 }))).toBe('BAD_REQUEST');
    expect((await caller.metrics.throughput({})).range).toBe('24h');
  });
});
