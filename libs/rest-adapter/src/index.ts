// The one public entry of @event-monitor/rest-adapter: the REST door for workers and scripts.
export {
  createRestHandler,
  routePatternOf,
  type RestAdapterOptions,
  type RestHandler,
} from './lib/rest-handler';
export { openApiDocument, ROUTES } from './lib/routes';
export type { OpenApiDocument } from './lib/openapi';
export { API_PREFIX, type RouteDef, type HttpMethod, type RouteTag, type WorkerOutcome } from './lib/route';
export { DEFAULT_MAX_BODY_BYTES, readBodyBytes } from './lib/body';
export { DOMAIN_STATUS, HttpErrorCode, type ErrorBody, type ErrorCode, type Logger } from './lib/http-errors';
export { MAX_WAIT_SECONDS } from './lib/worker.routes';
