import mongoose, { type Connection } from 'mongoose';

export interface ConnectOptions {
  uri: string;
  dbName: string;
  /** How long a query waits for a reachable server before it fails (no hanging requests). */
  serverSelectionTimeoutMS?: number;
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
    // stopped one too, even while no query runs (see `isConnected`).
    heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 1_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 60_000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  });
  await connection.asPromise();
  return connection;
}

/**
 * False while the driver knows the server is unreachable (a failed heartbeat or query); callers
 * can answer "unavailable" at once instead of waiting `serverSelectionTimeoutMS` per request.
 */
export function isConnected(connection: Connection): boolean {
  return connection.readyState === mongoose.ConnectionStates.connected;
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
