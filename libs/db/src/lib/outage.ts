/**
 * Errors that mean "the database cannot be reached right now" (server down, restarting, network
 * gone, a replica set without a primary), as opposed to a bad query. The doors answer these with
 * 503 so that clients retry instead of treating them as bugs.
 */
const OUTAGE_ERROR_NAMES = new Set([
  'DatabaseUnavailableError', // the app's own: no connection could be opened
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
    const { name, code, cause } = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof name === 'string' && OUTAGE_ERROR_NAMES.has(name)) return true;
    if (name === 'MongoServerError' && typeof code === 'number' && OUTAGE_SERVER_CODES.has(code)) return true;
    if (typeof code === 'string' && OUTAGE_SOCKET_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}
