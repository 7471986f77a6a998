import { createTRPCClient, httpBatchLink, httpLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@event-monitor/api';
import { isLongQueryInput, TRPC_MAX_URL_LENGTH } from '@event-monitor/contracts';

export interface EventMonitorClientOptions {
  /** The server, e.g. `http://localhost:3000` (a URL ending in `/api/trpc` is taken as is). */
  url: string;
  /** An API token (`em_...`), sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Another fetch (tests, proxies); the global fetch by default. */
  fetch?: typeof fetch;
}

export type EventMonitorClient = ReturnType<typeof createEventMonitorClient>;

/** Thrown (wrapped in a TRPCClientError) when the server cannot be reached or does not speak tRPC. */
export class ConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}

export function trpcEndpoint(url: string): string {
  const base = url.trim().replace(/\/+$/, '');
  return base.endsWith('/api/trpc') ? base : `${base}/api/trpc`;
}

/** The most telling part of a fetch failure: `ECONNREFUSED` rather than "fetch failed". */
function causeText(error: unknown): string {
  // Duck-typed: fetch errors may come from another realm (test sandboxes), where instanceof fails.
  const outer = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const reason = outer.cause?.code ?? outer.cause?.message ?? outer.message;
  return typeof reason === 'string' && reason !== '' ? reason : String(error);
}

/**
 * Wraps fetch so the two failures tRPC would report obscurely ("fetch failed", "Unexpected token <")
 * name the server and the reason instead.
 */
function connectionAwareFetch(endpoint: string, inner: typeof fetch): typeof fetch {
  const server = endpoint.replace(/\/api\/trpc$/, '');
  return async (input, init) => {
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      throw new ConnectionError(`Cannot reach the server at ${server} (${causeText(error)})`, {
        cause: error,
      });
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) {
      throw new ConnectionError(
        `Unexpected answer from ${server} (HTTP ${response.status}${type ? `, ${type.split(';')[0]}` : ''}); is this an Event Monitor server?`,
      );
    }
    return response;
  };
}

/** A typed client of every procedure of the API: `client.batch.list.query({ limit: 5 })`. */
export function createEventMonitorClient(options: EventMonitorClientOptions) {
  const endpoint = trpcEndpoint(options.url);
  const token = options.token?.trim();
  const linkOptions = {
    url: endpoint,
    transformer: superjson,
    headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
    fetch: connectionAwareFetch(endpoint, options.fetch ?? globalThis.fetch),
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // A query whose input does not fit a URL (e.g. a bulk preview of thousands of ids) goes as a POST.
        condition: (op) => op.type === 'query' && isLongQueryInput(op.input),
        true: httpLink({ ...linkOptions, methodOverride: 'POST' }),
        false: httpBatchLink({ ...linkOptions, maxURLLength: TRPC_MAX_URL_LENGTH }),
      }),
    ],
  });
}
