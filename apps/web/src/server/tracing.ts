import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import { routePatternOf } from '@event-monitor/rest-adapter';
import type { Door } from './doors';
import type { ServerEnv } from './env';
import type { Logger } from './logger';

/**
 * OpenTelemetry traces (issue 20 item 7). With OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT)
 * set, a tracer provider is registered at start: every API request is a SERVER span (a child of the
 * caller's `traceparent` when it sends one: the Python SDK's worker spans), and the domain calls
 * under it (`worker.claimJob`, `job.list`, `batch.overview`, ...; libs/domain tracing.ts) are its
 * children, exported in batches over OTLP/HTTP. Unset, nothing is loaded: the SDK is imported only
 * then, and the API's spans are no-op objects (docs/performance.md, "Tracing").
 */
export interface Tracing {
  /** Sends what is still buffered and stops (server shutdown). */
  shutdown(): Promise<void>;
}

export function startTracing(env: ServerEnv, logger: Logger): Tracing {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED) return { shutdown: async () => undefined };
  const started = (async () => {
    const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
    // The exporter reads the endpoint variables itself (and appends /v1/traces to the base one).
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
    });
    // Also installs the W3C trace-context propagator and the async-hooks context manager.
    provider.register();
    logger.info({ endpoint }, 'OpenTelemetry traces on');
    return provider;
  })().catch((error: unknown) => {
    logger.error({ err: error }, 'OpenTelemetry traces could not start; running without them');
    return undefined;
  });
  return {
    shutdown: async () => {
      const provider = await started;
      await provider?.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'OpenTelemetry shutdown failed'));
    },
  };
}

const tracer = trace.getTracer('event-monitor.http');

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** The route as a low-cardinality name: the REST pattern, the tRPC procedures, or the door's prefix. */
function routeOf(door: Door, request: Request, url: URL): string {
  if (door === 'rest') return routePatternOf(request.method, url.pathname) ?? '/api/event-job/*';
  if (door === 'trpc') return `/api/trpc/${decodeURIComponent(url.pathname.slice('/api/trpc/'.length))}`;
  if (door === 'auth') return '/api/auth/*';
  return url.pathname;
}

/** Answers one API request inside a SERVER span (a no-op span while tracing is off). */
export function traceRequest(door: Door, request: Request, url: URL, answer: () => Promise<Response>): Promise<Response> {
  const route = routeOf(door, request, url);
  const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
  return tracer.startActiveSpan(
    `${request.method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': url.pathname } },
    parent,
    async (span) => {
      try {
        const response = await answer();
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
