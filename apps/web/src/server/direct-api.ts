import { handleRestRequest, handleTrpcRequest } from './api-routes';

/**
 * What server.mjs needs to answer the API itself: which paths are ours and the handler. Next.js
 * bundles this code (TypeScript, the libs); instrumentation.ts publishes it on start under a
 * global symbol, the one thing server.mjs (plain JavaScript, not bundled) can reach.
 */
export interface DirectApi {
  /** True for a path this handler answers (`/api/event-job...`, `/api/trpc/...`). */
  handles(pathname: string): boolean;
  fetch(request: Request): Promise<Response>;
}

export const DIRECT_API = Symbol.for('event-monitor.direct-api');

const REST = '/api/event-job';
const TRPC = '/api/trpc/';

function isRest(pathname: string): boolean {
  return pathname === REST || pathname.startsWith(`${REST}/`);
}

const directApi: DirectApi = {
  handles: (pathname) => isRest(pathname) || pathname.startsWith(TRPC),
  fetch: (request) => {
    const { pathname } = new URL(request.url);
    return isRest(pathname) ? handleRestRequest(request) : handleTrpcRequest(request);
  },
};

export function publishDirectApi(): void {
  (globalThis as { [DIRECT_API]?: DirectApi })[DIRECT_API] = directApi;
}
