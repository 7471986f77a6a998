/**
 * Errors that mean "the database cannot be reached right now" (server down, restarting, network
 * gone, a replica set without a primary), as opposed to a bad query. Every door answers these with
 * the one outage answer below (503, Retry-After) so that clients retry instead of treating them
 * as bugs.
 */

/** The app's own outage: no connection could be opened, or a probe got no answer in time. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  readonly code = 'DATABASE_UNAVAILABLE';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Database unavailable: ${reason}`, options);
  }
}

/** The one answer every door gives while the database is away (the cause goes to the log only). */
export const DATABASE_UNAVAILABLE = {
  httpStatus: 503,
  code: 'DATABASE_UNAVAILABLE',
  message: 'The database is not reachable right now; try again shortly',
  retryAfterSeconds: 5,
} as const;

/** The outage answer's body: the REST door's `{status, code, message}` error envelope. */
export interface DatabaseUnavailableBody {
  status: 'error';
  code: typeof DATABASE_UNAVAILABLE.code;
  message: string;
}

/** The outage answer's headers (a client waits this long before trying again). */
export const DATABASE_UNAVAILABLE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'retry-after': String(DATABASE_UNAVAILABLE.retryAfterSeconds),
  'cache-control': 'no-store',
};

/** The outage answer as a fetch Response; `extra` adds fields a door documents (health: db, version). */
export function databaseUnavailableResponse(extra: Record<string, unknown> = {}): Response {
  const body: DatabaseUnavailableBody = {
    status: 'error',
    code: DATABASE_UNAVAILABLE.code,
    message: DATABASE_UNAVAILABLE.message,
  };
  return new Response(JSON.stringify({ ...body, ...extra }), {
    status: DATABASE_UNAVAILABLE.httpStatus,
    headers: DATABASE_UNAVAILABLE_HEADERS,
  });
}

const OUTAGE_ERROR_NAMES = new Set([
  // By name as well as by class: the Next.js bundle of the pages holds its own copy of this module.
  'DatabaseUnavailableError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
]);

/**
 * System error codes of a socket the server closed under the driver: a write racing the close
 * surfaces as a plain `Error` with code EPIPE ("This socket has been ended by the other party"),
 * not wrapped in a MongoNetworkError. The doors' only outgoing sockets are the database's.
 */
const OUTAGE_SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

/** Server codes of a node that is shutting down or not (any more) primary. */
const OUTAGE_SERVER_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

export function isDatabaseUnavailable(error: unknown): boolean {
  // Libraries above the driver (better-auth, tRPC) wrap it: look a few causes deep. Not
  // `instanceof Error`: Node's own socket errors (EPIPE) come from another realm under Jest's vm
  // (and would from a worker thread), and failed that check about every second run.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const { name, code, cause } = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof name === 'string' && OUTAGE_ERROR_NAMES.has(name)) return true;
    if (name === 'MongoServerError' && typeof code === 'number' && OUTAGE_SERVER_CODES.has(code)) return true;
    if (typeof code === 'string' && OUTAGE_SOCKET_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}
