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
  try {
    await connection.asPromise();
  } catch (error) {
    // Not left behind with its monitor still checking: callers try again with a new one.
    await connection.close(true).catch(() => undefined);
    throw error;
  }
  watchServer(connection, options.heartbeatFrequencyMS ?? 1_000);
  return connection;
}

interface ServerWatch {
  heartbeatFrequencyMS: number;
  /** When the last heartbeat refused (ECONNREFUSED / ECONNRESET), since the last known server. */
  lastRefusalAt?: number;
  /** Since when the driver has not known the server (its description is Unknown). */
  unknownSince?: number;
}

const watches = new WeakMap<Connection, ServerWatch>();

/**
 * How long one refused heartbeat keeps saying "down". The driver checks every
 * `heartbeatFrequencyMS` (every 500 ms while requests wait), so during an outage a fresh refusal
 * arrives well within two intervals; one second more for a CPU-starved event loop.
 */
function refusalFreshForMs(watch: ServerWatch): number {
  return 2 * watch.heartbeatFrequencyMS + 1_000;
}

/**
 * True while the server refuses connections (its heartbeat got ECONNREFUSED or ECONNRESET
 * within the last two heartbeat intervals): it is down, so callers can answer "unavailable" at
 * once instead of waiting `serverSelectionTimeoutMS` per request. A server that is merely slow
 * (heartbeat timeouts under load) does not count: requests wait for it instead of being refused.
 *
 * A hint, not a state: it expires by itself. A refusal that is not followed by fresh ones (the
 * server is back but no successful heartbeat was reported, whatever the reason) stops
 * short-circuiting after two intervals, and the driver's own server selection decides again.
 * It also ends at once when the driver describes the server as known again.
 */
export function isServerRefusing(connection: Connection, now = Date.now()): boolean {
  const watch = watches.get(connection);
  if (watch?.lastRefusalAt === undefined) return false;
  return now - watch.lastRefusalAt < refusalFreshForMs(watch);
}

/**
 * How long the driver has not known the server (its description Unknown: every heartbeat and
 * every new connection failed since), in ms; 0 while it is known. The app reopens its client when
 * this lasts although the server answers a fresh connection (see apps/web database.ts).
 */
export function serverUnknownForMs(connection: Connection, now = Date.now()): number {
  const since = watches.get(connection)?.unknownSince;
  return since === undefined ? 0 : Math.max(0, now - since);
}

function watchServer(connection: Connection, heartbeatFrequencyMS: number): void {
  const watch: ServerWatch = { heartbeatFrequencyMS };
  watches.set(connection, watch);
  const client = connection.getClient();
  client.on('serverHeartbeatFailed', (event) => {
    if (isRefusal(event.failure)) watch.lastRefusalAt = Date.now();
  });
  client.on('serverHeartbeatSucceeded', () => {
    watch.lastRefusalAt = undefined;
  });
  client.on('serverDescriptionChanged', (event) => {
    if (event.newDescription.type === 'Unknown') {
      watch.unknownSince ??= Date.now();
    } else {
      watch.unknownSince = undefined;
      watch.lastRefusalAt = undefined;
    }
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
