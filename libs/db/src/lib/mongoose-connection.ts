import mongoose, { type Connection } from 'mongoose';

export interface ConnectOptions {
  uri: string;
  dbName: string;
  /** How long a query waits for a reachable server before it fails (no hanging requests). */
  serverSelectionTimeoutMS?: number;
  /** Emit the driver's command events (`commandStarted`, ...) on the client; tests record queries with them. */
  monitorCommands?: boolean;
  /** How often the driver checks the server; also how fast a restarted server is noticed. */
  heartbeatFrequencyMS?: number;
}

/**
 * Opens a Mongoose connection with bounded timeouts and command buffering off, so that a
 * database outage turns into a fast error instead of a request that hangs.
 */
export async function connectMongoose(options: ConnectOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
    // A restarted server is seen within about a second (the driver's default is 10 s) and a
    // stopped one too, even while no query runs (see `isServerRefusing`).
    heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 1_000,
    // Also the timeout of each heartbeat. A stopped server refuses at once whatever this is; a
    // merely slow one (CPU starved under load) must not be declared gone, or every request
    // would be refused with 503 until the next heartbeat.
    connectTimeoutMS: 10_000,
    socketTimeoutMS: 60_000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    ...(options.monitorCommands ? { monitorCommands: true } : {}),
  });
  await connection.asPromise();
  watchRefusals(connection);
  return connection;
}

const refusing = new WeakMap<Connection, { since?: number }>();

/**
 * True while the server refuses connections (its heartbeat got ECONNREFUSED or ECONNRESET):
 * it is down, so callers can answer "unavailable" at once instead of waiting
 * `serverSelectionTimeoutMS` per request. A server that is merely slow (heartbeat timeouts
 * under load) does not count: requests wait for it instead of being refused.
 */
export function isServerRefusing(connection: Connection): boolean {
  return refusing.get(connection)?.since !== undefined;
}

function watchRefusals(connection: Connection): void {
  const state: { since?: number } = {};
  refusing.set(connection, state);
  const client = connection.getClient();
  client.on('serverHeartbeatFailed', (event) => {
    if (isRefusal(event.failure)) state.since ??= Date.now();
  });
  client.on('serverHeartbeatSucceeded', () => {
    state.since = undefined;
  });
}

function isRefusal(error: unknown): boolean {
  // Not `instanceof Error`: Node's socket errors may come from another realm (see outage.ts).
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
    if (typeof message === 'string' && /ECONNREFUSED|ECONNRESET/.test(message)) return true;
    current = cause;
  }
  return false;
}

/** True when the server answers a ping within `timeoutMs`. Never throws. */
export async function pingDatabase(connection: Connection, timeoutMs = 2_000): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
