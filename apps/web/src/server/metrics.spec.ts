import type { Principal } from '@event-monitor/auth';
import type { DomainDeps } from '@event-monitor/domain';
import { createMetrics, metricsAccess, restRouteOf, trpcProceduresOf } from './metrics';

function fakeDomain(rows: Array<{ _id: string; n: number }>) {
  let calls = 0;
  const deps = { models: { Job: { aggregate: async () => (calls++, rows) } } } as unknown as DomainDeps;
  return { getDomain: async () => deps, calls: () => calls };
}

describe('metrics', () => {
  it('labels REST requests with the route pattern, never the ids in the URL', () => {
    expect(restRouteOf('POST', '/api/event-job/worker/jobs/job-1234/complete')).toBe('/api/event-job/worker/jobs/{jobId}/complete');
    expect(restRouteOf('GET', '/api/event-job/batches/batch-42')).toBe('/api/event-job/batches/{batchId}');
    // Literal routes win over the parameter pattern that would also match them (the adapter's order).
    expect(restRouteOf('GET', '/api/event-job/batches/stats')).toBe('/api/event-job/batches/stats');
    expect(restRouteOf('GET', '/api/event-job/files/a/b/c.md')).toBe('/api/event-job/files/{...path}');
    expect(restRouteOf('GET', '/api/event-job/no/such/thing/here')).toBe('unmatched');
    expect(restRouteOf('PATCH', '/api/event-job/batches/batch-42')).toBe('unmatched');
  });

  it('labels tRPC requests with known procedure paths only', () => {
    const known = new Set(['batch.list', 'job.get']);
    expect(trpcProceduresOf('/api/trpc/batch.list', known)).toEqual(['batch.list']);
    expect(trpcProceduresOf('/api/trpc/batch.list,job.get,batch.list', known)).toEqual(['batch.list', 'job.get']);
    expect(trpcProceduresOf('/api/trpc/job-123.evil', known)).toEqual(['unknown']);
  });

  it('counts a request and the job outcomes, and the text output has every metric and no raw id', async () => {
    const domain = fakeDomain([
      { _id: 'pending', n: 7 },
      { _id: 'processing', n: 2 },
    ]);
    const metrics = createMetrics({ getDomain: domain.getDomain, changeFeedLagMs: () => 1500 });
    const url = '/api/event-job/worker/jobs/job-secret-id/complete';
    const route = restRouteOf('POST', url);
    metrics.observeRequest({ door: 'rest', route, method: 'post', status: 200, durationMs: 12 });
    // What the REST adapter reports (onWorkerOutcome): only calls that did something.
    metrics.countWorkerOutcome('completed');
    metrics.countWorkerOutcome('claimed');
    metrics.countWorkerOutcome('retried');
    metrics.countWorkerOutcome('failed');
    metrics.countLeaseRecoveries(3);

    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_count{door="rest",route="/api/event-job/worker/jobs/{jobId}/complete",method="POST",status="200"} 1',
    );
    expect(text).toMatch(/^event_monitor_job_claims_total 1$/m);
    expect(text).toMatch(/^event_monitor_job_completions_total 1$/m);
    expect(text).toMatch(/^event_monitor_job_failures_total\{outcome="retried"\} 1$/m);
    expect(text).toMatch(/^event_monitor_job_failures_total\{outcome="failed"\} 1$/m);
    expect(text).toMatch(/^event_monitor_lease_recoveries_total 3$/m);
    expect(text).toMatch(/^event_monitor_queue_depth\{status="pending"\} 7$/m);
    expect(text).toMatch(/^event_monitor_queue_depth\{status="failed"\} 0$/m);
    expect(text).toMatch(/^event_monitor_change_feed_lag_seconds 1.5$/m);
    expect(text).toContain('process_cpu_user_seconds_total'); // default Node metrics
    expect(text).not.toContain('job-secret-id');
    expect(text).not.toContain('job-x');

    // The queue depth aggregation is cached between scrapes.
    await metrics.registry.metrics();
    expect(domain.calls()).toBe(1);
  });

  it('a scrape still answers while the database is down', async () => {
    const metrics = createMetrics({
      getDomain: async () => {
        throw new Error('down');
      },
      changeFeedLagMs: () => undefined,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('event_monitor_change_feed_lag_seconds 0');
    expect(text).not.toMatch(/^event_monitor_queue_depth\{/m);
  });

  it('lets in the METRICS_TOKEN, or without it an admin with the read scope', async () => {
    const request = (authorization?: string) =>
      new Request('http://x/api/metrics', { headers: authorization ? { authorization } : {} });
    const as = (p: Principal | null) => async () => p;
    const token = 'm'.repeat(32);
    const withToken = { metricsToken: token, authenticate: as(null) };
    expect(await metricsAccess(request(`Bearer ${token}`), withToken)).toBe('ok');
    expect(await metricsAccess(request('Bearer wrong'), withToken)).toBe('unauthenticated');
    expect(await metricsAccess(request(), withToken)).toBe('unauthenticated');

    const admin: Principal = { actor: { userId: 'a', role: 'admin' }, via: 'token', scopes: ['read'] };
    const operator: Principal = { actor: { userId: 'o', role: 'operator' }, via: 'token', scopes: ['read', 'write'] };
    const workerOnly: Principal = { ...admin, scopes: ['worker'] };
    expect(await metricsAccess(request('Bearer t'), { metricsToken: undefined, authenticate: as(admin) })).toBe('ok');
    expect(await metricsAccess(request('Bearer t'), { metricsToken: undefined, authenticate: as(operator) })).toBe('forbidden');
    expect(await metricsAccess(request('Bearer t'), { metricsToken: undefined, authenticate: as(workerOnly) })).toBe('forbidden');
    expect(await metricsAccess(request(), { metricsToken: undefined, authenticate: as(null) })).toBe('unauthenticated');
  });
});
