import type { Connection } from 'mongoose';
import {
  connectMongoose,
  DatabaseUnavailableError,
  isServerRefusing,
  pingDatabase,
  serverUnknownForMs,
} from '@event-monitor/db';
import type { ServerEnv } from './env';
import type { Logger } from './logger';

/** The process's one Mongoose connection, opened on first use and re-opened after a failure. */
export interface Database {
  /** The connection, or DatabaseUnavailableError (every door answers it with the outage answer). */
  connection(): Promise<Connection>;
  /** True when the database answers a ping within a bounded time; never throws, never hangs. */
  isUp(timeoutMs?: number): Promise<boolean>;
  /** True while the last attempt found the database away (pages answer 503 without waiting). */
  isKnownDown(): boolean;
  close(): Promise<void>;
}

// Bounds a request while the server is unreachable but not (yet) known to refuse connections:
// slow, or just stopped and not yet seen by the once-a-second heartbeat (see connection()).
const CONNECT_TIMEOUT_MS = 1_500;

// A client whose driver has not seen the server for this long tries a new client beside it (at
// most one attempt at a time, one per REOPEN_RETRY_MS). A healthy driver sees a restarted server
// within a heartbeat (1 s); one that does not within 10 s is stuck, and without this the app
// would answer 503 until it is restarted (docs/decisions.md, "A client that never sees the
// database again").
const REOPEN_AFTER_MS = 10_000;
const REOPEN_RETRY_MS = 2_000;
// When the new client connects, the old one gets this long to see the server by itself (a healthy
// driver does within a heartbeat): no needless replacement at the end of every long outage.
const REOPEN_GRACE_MS = 2_000;
// Requests that still hold the replaced client finish on it (or fail as outage answers).
const REPLACED_CLOSE_AFTER_MS = 30_000;

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'MongoParseError' || error.name === 'MongoAPIError') {
      return `MONGODB_URI is malformed (${error.message})`;
    }
    return error.message;
  }
  return String(error);
}

export function createDatabase(env: Pick<ServerEnv, 'MONGODB_URI' | 'MONGODB_DB'>, logger: Logger): Database {
  let open: Connection | undefined;
  let connecting: Promise<Connection> | undefined;
  let lastReportedProblem: string | undefined;
  let reopening: Promise<void> | undefined;
  let lastReopenAt = 0;

  function reportProblem(problem: string): void {
    // One line per distinct problem, not one per request: an outage must not flood the log.
    if (lastReportedProblem === problem) return;
    lastReportedProblem = problem;
    logger.error({ problem }, `database unavailable: ${problem}`);
  }

  function reportRecovery(): void {
    if (!lastReportedProblem) return;
    logger.info('database reachable again');
    lastReportedProblem = undefined;
  }

  function openClient(): Promise<Connection> {
    return connectMongoose({
      uri: env.MONGODB_URI as string,
      dbName: env.MONGODB_DB,
      serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS,
    });
  }

  /**
   * The driver of `stale` has not known the server for REOPEN_AFTER_MS: open a new client. If it
   * connects, the server is up and `stale` failed to notice (a heartbeat that never succeeds or is
   * never reported): the new client replaces it. If it does not, the server is really away.
   */
  function reopenIfStale(stale: Connection): void {
    if (reopening || Date.now() - lastReopenAt < REOPEN_RETRY_MS) return;
    lastReopenAt = Date.now();
    reopening = openClient()
      .then(async (fresh) => {
        await new Promise((resolve) => setTimeout(resolve, REOPEN_GRACE_MS));
        if (open !== stale || serverUnknownForMs(stale) < REOPEN_AFTER_MS) {
          // Closed meanwhile, or the old client saw the server again by itself.
          await fresh.close();
          return;
        }
        open = fresh;
        logger.warn(
          { unknownForMs: serverUnknownForMs(stale) },
          'database client did not see the server again; replaced it with a new one',
        );
        setTimeout(() => void stale.close().catch(() => undefined), REPLACED_CLOSE_AFTER_MS).unref();
      })
      .catch(() => undefined) // still away: the next request after REOPEN_RETRY_MS tries again
      .finally(() => {
        reopening = undefined;
      });
  }

  async function connection(): Promise<Connection> {
    if (open) {
      if (serverUnknownForMs(open) >= REOPEN_AFTER_MS) reopenIfStale(open);
      if (!isServerRefusing(open)) {
        if (serverUnknownForMs(open) === 0) reportRecovery();
        return open;
      }
      // The server refuses connections: it is down. The driver keeps checking every second by
      // itself; until it answers, say 503 at once rather than let every request wait.
      const problem = 'the database server refuses connections (down or restarting)';
      reportProblem(problem);
      throw new DatabaseUnavailableError(problem);
    }
    if (!env.MONGODB_URI) {
      const problem = 'MONGODB_URI is not set (start the app with `npm start`, or set it to a MongoDB URI)';
      reportProblem(problem);
      throw new DatabaseUnavailableError(problem);
    }
    connecting ??= openClient()
      .then((opened) => {
        open = opened;
        reportRecovery();
        return opened;
      })
      .catch((error: unknown) => {
        const problem = describe(error);
        reportProblem(problem);
        throw new DatabaseUnavailableError(problem, { cause: error });
      })
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  }

  return {
    connection,
    async isUp(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        const check = connection().then((opened) => pingDatabase(opened, timeoutMs));
        const up = await Promise.race([check.catch(() => false), timeout]);
        if (!up && open) reportProblem('the database did not answer a ping in time');
        else if (up) reportRecovery();
        return up;
      } finally {
        clearTimeout(timer);
      }
    },
    isKnownDown: () => lastReportedProblem !== undefined || (open !== undefined && isServerRefusing(open)),
    async close() {
      await reopening;
      const closing = open ?? (await connecting?.catch(() => undefined));
      open = undefined;
      await closing?.close();
    },
  };
}
