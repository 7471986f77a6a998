import type { Connection } from 'mongoose';
import { connectMongoose, isServerRefusing, pingDatabase } from '@event-monitor/db';
import { serverEnv } from './env';
import { logger } from './logger';

/** Raised when the database cannot be reached; routes turn it into a 503. */
export class DatabaseUnavailableError extends Error {
  constructor(reason: string) {
    super(`Database unavailable: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

interface DatabaseState {
  connection?: Connection;
  connecting?: Promise<Connection>;
  lastReportedProblem?: string;
}

// Kept on globalThis so that dev-mode module reloads share one connection.
const state: DatabaseState = ((globalThis as { __eventMonitorDb?: DatabaseState }).__eventMonitorDb ??= {});

// Bounds a request while the server is unreachable but not (yet) known to refuse connections:
// slow, or just stopped and not yet seen by the once-a-second heartbeat (see getConnection).
const CONNECT_TIMEOUT_MS = 1_500;

function reportProblem(problem: string): void {
  // One line per distinct problem, not one per request: an outage must not flood the log.
  if (state.lastReportedProblem === problem) return;
  state.lastReportedProblem = problem;
  logger.error({ problem }, `database unavailable: ${problem}`);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'MongoParseError' || error.name === 'MongoAPIError') {
      return `MONGODB_URI is malformed (${error.message})`;
    }
    return error.message;
  }
  return String(error);
}

/** The shared Mongoose connection, opened on first use and re-opened after a failure. */
export async function getConnection(): Promise<Connection> {
  if (state.connection) {
    if (!isServerRefusing(state.connection)) {
      if (state.lastReportedProblem) {
        logger.info('database reachable again');
        state.lastReportedProblem = undefined;
      }
      return state.connection;
    }
    // The server refuses connections: it is down. The driver keeps checking every second by
    // itself; until it answers, say 503 at once rather than let every request wait.
    const problem = 'the database server refuses connections (down or restarting)';
    reportProblem(problem);
    throw new DatabaseUnavailableError(problem);
  }
  const { MONGODB_URI, MONGODB_DB } = serverEnv();
  if (!MONGODB_URI) {
    const problem = 'MONGODB_URI is not set (start the app with `npm start`, or set it to a MongoDB URI)';
    reportProblem(problem);
    throw new DatabaseUnavailableError(problem);
  }
  state.connecting ??= connectMongoose({
    uri: MONGODB_URI,
    dbName: MONGODB_DB,
    serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS,
  })
    .then((connection) => {
      state.connection = connection;
      if (state.lastReportedProblem) logger.info('database reachable again');
      state.lastReportedProblem = undefined;
      return connection;
    })
    .catch((error: unknown) => {
      const problem = describe(error);
      reportProblem(problem);
      throw new DatabaseUnavailableError(problem);
    })
    .finally(() => {
      state.connecting = undefined;
    });
  return state.connecting;
}

/** True when the database answers a ping within a bounded time; never throws, never hangs. */
export async function databaseIsUp(timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const check = getConnection().then((connection) => pingDatabase(connection, timeoutMs));
    const up = await Promise.race([check.catch(() => false), timeout]);
    if (!up && state.connection) reportProblem('the database did not answer a ping in time');
    else if (up && state.lastReportedProblem) {
      logger.info('database reachable again');
      state.lastReportedProblem = undefined;
    }
    return up;
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the shared connection (graceful shutdown, tests). */
export async function closeDatabase(): Promise<void> {
  const connection = state.connection ?? (await state.connecting?.catch(() => undefined));
  state.connection = undefined;
  await connection?.close();
}
