import type { EventMonitorAuth, Principal } from '@event-monitor/auth';
import type { ChangeFeed, DomainDeps } from '@event-monitor/domain';
import { createAuthAccess } from './auth';
import { createChangeFeedAccess } from './change-feed';
import { createDatabase, type Database } from './database';
import { createDomainAccess } from './domain';
import { createDoors, databaseUnavailablePage, doorOf, type Door } from './doors';
import { isDatabaseUnavailable } from '@event-monitor/db';
import { serverEnv, type ServerEnv } from './env';
import { createLogger, type Logger } from './logger';
import { startMaintenance, type Maintenance } from './maintenance';
import { notifyOptionsFromEnv, startNotificationSender, type NotificationSender } from './notify';
import { createMetrics, type Metrics } from './metrics';
import { startTracing, traceRequest } from './tracing';

/**
 * Everything one server process runs besides Next.js's rendering: configuration, the database
 * connection, auth, the domain, the change feed, metrics, maintenance and the HTTP doors under
 * /api. server.mjs creates it before Next.js starts and answers /api with it; the pages reach the
 * same object through page-host.ts (docs/decisions.md, "One host object").
 */
export interface Host {
  env: ServerEnv;
  logger: Logger;
  database: Database;
  auth(): Promise<EventMonitorAuth>;
  authenticate(request: Request): Promise<Principal | null>;
  domain(): Promise<DomainDeps>;
  changeFeed(): ChangeFeed;
  metrics: Metrics;
  /** The door a path belongs to (everything under /api), or undefined for Next.js. */
  doorOf(pathname: string): Door | undefined;
  /** Answers a request at its door; `url` is the request's URL, parsed once by the caller. */
  answer(door: Door, request: Request, url: URL): Promise<Response>;
  /**
   * Whether a page can be rendered: undefined when the database is reachable (or the failure is
   * not an outage), else the outage answer for the page (see databaseUnavailablePage).
   */
  pageOutage(accept: string | null | undefined): Promise<Response | undefined>;
  /** Marks this process as stopping: /api/health answers 503 "draining" from now on (SIGTERM). */
  beginDrain(): void;
  /** Starts the periodic maintenance sweep (once per process; only the lease holder sweeps; not in tests). */
  start(): void;
  /** Stops maintenance (giving its lease up) and the change feed, closes the connection. */
  close(): Promise<void>;
}

export function createHost(env: ServerEnv = serverEnv()): Host {
  const logger = createLogger(env);
  const tracing = startTracing(env, logger);
  const database = createDatabase(env, logger);
  const { auth, authenticate } = createAuthAccess(env, database);
  const domain = createDomainAccess(database, logger, notifyOptionsFromEnv(env));
  const feed = createChangeFeedAccess(domain, logger);
  const metrics = createMetrics({ getDomain: domain, changeFeedLagMs: () => feed.running()?.stats().lagMs });
  const doors = createDoors({
    env,
    logger,
    database,
    auth,
    authenticate,
    domain,
    changeFeed: feed.changeFeed,
    metrics,
    isDraining: () => draining,
  });
  let maintenance: Maintenance | undefined;
  let sender: NotificationSender | undefined;
  let warming: Promise<void> | undefined;
  let draining = false;

  return {
    env,
    logger,
    database,
    auth,
    authenticate,
    domain,
    changeFeed: feed.changeFeed,
    metrics,
    doorOf,
    answer: (door, request, url) => traceRequest(door, request, url, () => doors[door](request, url)),
    pageOutage: (accept) =>
      database.connection().then(
        () => undefined,
        (error: unknown) => (isDatabaseUnavailable(error) ? databaseUnavailablePage(accept) : undefined),
      ),
    beginDrain() {
      draining = true;
    },
    start() {
      // Ensure the indexes now, not inside the first request: on a database that already holds
      // many jobs (a restart, an import, a legacy database) building them takes seconds to
      // minutes, and the first caller would wait for all of it or time out. Requests that come
      // meanwhile wait on the same promise; if the database is down, the first request retries.
      if (!warming) {
        warming = domain().then(
          () => logger.info('indexes ensured'),
          (err: unknown) =>
            // An outage is already reported by the database (one line, no stack); anything else
            // is a defect and keeps its stack.
            isDatabaseUnavailable(err)
              ? logger.warn('indexes not ensured at start (database unavailable); the first request tries again')
              : logger.error({ err }, 'indexes not ensured at start; the first request tries again'),
        );
      }
      maintenance ??= startMaintenance({
        intervalSeconds: env.MAINTENANCE_INTERVAL_SECONDS,
        legacyTimeoutMinutes: env.LEGACY_PROCESSING_TIMEOUT_MINUTES,
        getDomain: domain,
        getDb: async () => {
          const connection = await database.connection();
          return connection.getClient().db(connection.db?.databaseName ?? env.MONGODB_DB);
        },
        metrics,
        logger,
      });
      sender ??= startNotificationSender({
        intervalMs: env.NOTIFY_SEND_INTERVAL_MS,
        getDomain: domain,
        logger,
        detects: () => maintenance?.holds() ?? false,
      });
    },
    async close() {
      // Gives the maintenance lease up, so another process sweeps from its next interval on.
      await maintenance?.stop();
      await sender?.stop();
      await feed.close();
      await database.close();
      await tracing.shutdown();
    },
  };
}
