import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { DomainError } from './errors';

/**
 * OpenTelemetry spans of the domain's calls (issue 20 item 7). The API alone records nothing: until
 * a tracer provider is registered (the server does when OTEL_EXPORTER_OTLP_ENDPOINT is set, see
 * apps/web/src/server/tracing.ts) each span is a no-op object and the call runs as it would
 * without it (docs/performance.md, "Tracing").
 */
const tracer = trace.getTracer('event-monitor.domain');

/**
 * Runs `fn` inside a span named `name` (a child of the request's span). A DomainError is an
 * answer (a 4xx), not a fault: its code is an attribute and the span stays OK; anything else marks
 * the span as an error with the exception recorded.
 */
export function traced<T>(name: string, fn: () => Promise<T>, attributes?: Attributes): Promise<T> {
  return tracer.startActiveSpan(name, attributes ? { attributes } : {}, async (span) => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof DomainError) span.setAttribute('event_monitor.error_code', error.code);
      else {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}
