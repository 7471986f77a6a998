/**
 * Prometheus metrics of this server process (prom-client, a registry of our own).
 *
 * Request durations are labelled with the route PATTERN (`/api/event-job/worker/jobs/{jobId}/complete`)
 * or the tRPC procedure path, never with ids from the URL, so the number of series stays bounded.
 * Job outcomes are counted from the REST worker protocol's answers; queue depth and change-feed
 * lag are read when Prometheus scrapes.
 */
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { routePatternOf, type WorkerOutcome } from '@event-monitor/rest-adapter';
import { appRouter } from '@event-monitor/api';
import type { DomainDeps } from '@event-monitor/domain';
import type { Principal } from '@event-monitor/auth';

export type Door = 'rest' | 'trpc';

export interface RequestSample {
  door: Door;
  /** Route pattern or procedure path. */
  route: string;
  method: string;
  status: number;
  durationMs: number;
}

export interface MetricsSources {
  /** The domain for the queue-depth aggregation; may throw while the database is down. */
  getDomain: () => Promise<DomainDeps>;
  /** Change-feed lag in ms, or undefined while no feed runs. */
  changeFeedLagMs: () => number | undefined;
}

const QUEUE_DEPTH_CACHE_MS = 5_000;
const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

export interface Metrics {
  registry: Registry;
  observeRequest(sample: RequestSample): void;
  /** Counts what a worker call did (the REST adapter tells, see rest.ts). */
  countWorkerOutcome(outcome: WorkerOutcome): void;
  countLeaseRecoveries(count: number): void;
}

/** A registry with every metric of ours and Node's default ones. */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time until the response starts, by door, route pattern or procedure, method and status',
    labelNames: ['door', 'route', 'method', 'status'] as const,
    // Claims long-poll up to 30 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const claims = new Counter({
    name: 'event_monitor_job_claims_total',
    help: 'Jobs handed to workers (claims that returned a job)',
    registers: [registry],
  });
  const completions = new Counter({
    name: 'event_monitor_job_completions_total',
    help: 'Jobs completed by workers',
    registers: [registry],
  });
  const failures = new Counter({
    name: 'event_monitor_job_failures_total',
    help: 'Failures reported by workers; outcome "retried" went back to pending, "failed" is final',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const recoveries = new Counter({
    name: 'event_monitor_lease_recoveries_total',
    help: 'Jobs of dead workers (expired leases) taken back by the maintenance sweep',
    registers: [registry],
  });

  let depth: { at: number; counts: Map<string, number> } | undefined;
  new Gauge({
    name: 'event_monitor_queue_depth',
    help: 'Jobs by status (one aggregation, cached up to 5 s)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      if (!depth || Date.now() - depth.at > QUEUE_DEPTH_CACHE_MS) {
        try {
          const { models } = await sources.getDomain();
          const rows = await models.Job.aggregate<{ _id: string; n: number }>([
            { $group: { _id: '$status', n: { $sum: 1 } } },
          ]);
          depth = { at: Date.now(), counts: new Map(rows.map((row) => [String(row._id), row.n])) };
        } catch {
          // Database down: keep the last numbers (none on a fresh process) rather than fail the scrape.
        }
      }
      this.reset();
      if (!depth) return;
      for (const status of JOB_STATUSES) this.set({ status }, depth.counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'event_monitor_change_feed_lag_seconds',
    help: 'How far the live-update feed may be behind the database (0 while no client listens)',
    registers: [registry],
    collect() {
      this.set((sources.changeFeedLagMs() ?? 0) / 1000);
    },
  });

  return {
    registry,
    observeRequest({ door, route, method, status, durationMs }) {
      duration.observe(
        { door, route, method: method.toUpperCase(), status: String(status) },
        durationMs / 1000,
      );
    },
    countWorkerOutcome(outcome) {
      if (outcome === 'claimed') claims.inc();
      else if (outcome === 'completed') completions.inc();
      else failures.inc({ outcome: outcome === 'retried' ? 'retried' : 'failed' });
    },
    countLeaseRecoveries(count) {
      if (count > 0) recoveries.inc(count);
    },
  };
}

// ---- route patterns ----------------------------------------------------------------------

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The REST route pattern a request matches (the adapter's own table and matcher), or `unmatched`. */
export function restRouteOf(method: string, pathname: string): string {
  return routePatternOf(method, pathname) ?? 'unmatched';
}

let knownProcedures: ReadonlySet<string> | undefined;

/** The procedure paths of the app's router (the only label values a tRPC request can have). */
export function appProcedures(): ReadonlySet<string> {
  knownProcedures ??= new Set(Object.keys(appRouter._def.procedures));
  return knownProcedures;
}

/**
 * The procedure paths of a tRPC request URL (`/api/trpc/a.b,c.d?batch=1`), each checked against
 * the known procedures (anything else is `unknown`, so a client cannot invent label values).
 */
export function trpcProceduresOf(pathname: string, known: ReadonlySet<string>): string[] {
  const raw = pathname.replace(/^\/api\/trpc\/?/, '');
  const paths = raw === '' ? [] : safeDecode(raw).split(',');
  const labels = [...new Set(paths.map((path) => (known.has(path) ? path : 'unknown')))];
  return labels.length > 0 ? labels : ['unknown'];
}

// ---- access ------------------------------------------------------------------------------

export type MetricsAccess = 'ok' | 'unauthenticated' | 'forbidden';

/**
 * With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it, an admin
 * signed in or using an API token with the `read` scope.
 */
export async function metricsAccess(
  request: Request,
  options: {
    metricsToken: string | undefined;
    authenticate: (request: Request) => Promise<Principal | null>;
  },
): Promise<MetricsAccess> {
  if (options.metricsToken) {
    const sent = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim() ?? '';
    return sameSecret(sent, options.metricsToken) ? 'ok' : 'unauthenticated';
  }
  const principal = await options.authenticate(request);
  if (!principal) return 'unauthenticated';
  return principal.actor.role === 'admin' && principal.scopes.includes('read') ? 'ok' : 'forbidden';
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
