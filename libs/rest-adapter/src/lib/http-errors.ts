import { databaseUnavailableResponse, isDatabaseUnavailable } from '@event-monitor/db';
import { isDomainError, type DomainErrorCode } from '@event-monitor/domain';

/** Codes the REST door adds to the domain's own (protocol problems the domain never sees). */
export const HttpErrorCode = {
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  MALFORMED_JSON: 'MALFORMED_JSON',
  BAD_REQUEST: 'BAD_REQUEST',
  RANGE_NOT_SATISFIABLE: 'RANGE_NOT_SATISFIABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type HttpErrorCode = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

export type ErrorCode = DomainErrorCode | HttpErrorCode;

/** A protocol-level failure raised inside the adapter; carries its own status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(status: number, code: ErrorCode, message: string, extra: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    if (extra.details !== undefined) this.details = extra.details;
    if (extra.headers) this.headers = extra.headers;
  }
}

/**
 * The one table from domain codes to HTTP statuses. LIMIT_EXCEEDED is 422: the request was
 * well-formed and within the byte limit, but asks for more than a domain limit allows
 * (413 is kept for bodies over `maxBodyBytes`).
 */
export const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  LIMIT_EXCEEDED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
};

export interface ErrorBody {
  status: 'error';
  message: string;
  code: ErrorCode;
  details?: unknown;
}

export interface Logger {
  error(obj: unknown, msg?: string): void;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  // JSON.stringify turns Dates into ISO strings, which is the wire format of every date.
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function successResponse(data: unknown, status = 200, message?: string): Response {
  return jsonResponse(message === undefined ? { status: 'success', data } : { status: 'success', data, message }, status);
}

function errorResponse(status: number, body: ErrorBody, headers?: Record<string, string>): Response {
  return jsonResponse(body, status, headers);
}

/**
 * Maps anything thrown while answering a request to the error envelope, in one place.
 * Unknown errors are logged and answered 500 without internals.
 */
export function toErrorResponse(err: unknown, logger: Logger | undefined): Response {
  if (err instanceof HttpError) {
    const body: ErrorBody = { status: 'error', message: err.message, code: err.code };
    if (err.details !== undefined) body.details = err.details;
    return errorResponse(err.status, body, err.headers);
  }
  if (isDomainError(err)) {
    const body: ErrorBody = { status: 'error', message: err.message, code: err.code };
    if (err.details !== undefined) body.details = err.details;
    return errorResponse(DOMAIN_STATUS[err.code] ?? 500, body);
  }
  // Thrown by the app's authenticate() (auth lib) when a token or sign-in is used too often.
  if (err instanceof Error && err.name === 'RateLimitedError') {
    return errorResponse(429, { status: 'error', code: HttpErrorCode.RATE_LIMITED, message: err.message }, { 'retry-after': '1' });
  }
  if (err instanceof Error && err.name === 'CrossSiteRequestError') {
    return errorResponse(403, { status: 'error', code: 'FORBIDDEN', message: err.message });
  }
  // The app's DatabaseUnavailableError, or a driver error of a server that went away mid-request.
  if (isDatabaseUnavailable(err)) {
    // The cause may name hosts or a malformed URI: it goes to the log, not to the client.
    logger?.error({ err }, 'rest-adapter: database unavailable');
    return databaseUnavailableResponse();
  }
  logger?.error({ err }, 'rest-adapter: unhandled error');
  return errorResponse(500, { status: 'error', code: HttpErrorCode.INTERNAL, message: 'Internal server error' });
}
