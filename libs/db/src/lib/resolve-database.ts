import { join, resolve } from 'node:path';
import { readDatabaseEnv, type DatabaseEnv } from './env';
import { EmbeddedMongoStartError, startEmbeddedMongo, type EmbeddedMongo } from './embedded-mongo';
import { superviseEmbeddedMongo, type SupervisedMongoOptions } from './supervised-mongo';
import { findWorkspaceRoot } from './workspace-root';

export const DEFAULT_DB_NAME = 'event_monitor';

export type DatabaseSource = 'uri' | 'testcontainers' | 'embedded-memory' | 'embedded-disk';

export interface ResolvedDatabase {
  source: DatabaseSource;
  uri: string;
  dbName: string;
  /** The embedded server's port, when the resolver started one. */
  port?: number;
  /** The embedded server's absolute data directory (`embedded-disk` only). */
  dataDir?: string;
  /** Stops what the resolver started; a no-op for an external MONGODB_URI. */
  stop(): Promise<void>;
}

interface StartedServer {
  uri: string;
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  /** `test` may use a container or an in-memory server; `app` keeps data on disk. */
  purpose: 'test' | 'app';
  env?: DatabaseEnv;
  /** Where `app` keeps its data; defaults to `<workspace>/.data` (or EVENT_MONITOR_DATA_DIR). */
  dataDir?: string;
  /** Seams for tests: the real implementations are the defaults. */
  containerRuntimeAvailable?: () => Promise<boolean>;
  startContainer?: () => Promise<StartedServer>;
  startEmbedded?: (opts: { dataDir?: string; port?: number }) => Promise<EmbeddedMongo>;
  /**
   * `app` only: restart the embedded server on the same port and data when it dies (npm start).
   * The callbacks say what happened; `onGiveUp` is called when restarting failed for good.
   */
  supervise?: Pick<SupervisedMongoOptions, 'log' | 'onGiveUp' | 'onRestart' | 'restartDelaysMs'>;
}

const CONTAINER_RUNTIME_CHECK_MS = 5_000;

/**
 * The one place that decides which database the app, the tests and the tools use:
 * MONGODB_URI when set; otherwise (tests) a Testcontainers MongoDB when a container
 * runtime really answers, else the embedded server in memory; (app) the embedded
 * server with its data on disk.
 */
export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<ResolvedDatabase> {
  const env = options.env ?? readDatabaseEnv();
  const dbName = env.MONGODB_DB ?? DEFAULT_DB_NAME;

  if (env.MONGODB_URI) {
    return { source: 'uri', uri: env.MONGODB_URI, dbName, stop: async () => undefined };
  }

  const startEmbedded = options.startEmbedded ?? startEmbeddedMongo;

  if (options.purpose === 'test') {
    const runtimeAvailable = options.containerRuntimeAvailable ?? containerRuntimeAnswers;
    if (await runtimeAvailable()) {
      const container = await (options.startContainer ?? startMongoContainer)();
      return { source: 'testcontainers', uri: container.uri, dbName, stop: container.stop };
    }
    const server = await startEmbedded({});
    return { source: 'embedded-memory', uri: server.uri, dbName, port: server.port, stop: server.stop };
  }

  const dataDir = resolve(options.dataDir ?? env.EVENT_MONITOR_DATA_DIR ?? join(findWorkspaceRoot(), '.data'));
  try {
    const server = options.supervise
      ? await superviseEmbeddedMongo({ ...options.supervise, dataDir, start: startEmbedded })
      : await startEmbedded({ dataDir });
    return { source: 'embedded-disk', uri: server.uri, dbName, port: server.port, dataDir, stop: server.stop };
  } catch (error) {
    if (error instanceof EmbeddedMongoStartError && (error.exitCode === 2 || error.exitCode === 3)) {
      throw new Error(startFailureAdvice(dataDir, error.reason), { cause: error });
    }
    throw error;
  }
}

/**
 * What `npm start` prints when the launcher refuses to start on the data directory: its reason,
 * and what the user can do. Nothing is moved or deleted for them.
 */
export function startFailureAdvice(dataDir: string, reason: string): string {
  return [
    `the embedded database could not start on its data in ${dataDir}:`,
    `  ${reason || '(no reason given)'}`,
    'Nothing was changed in that directory. What to do:',
    '  - another Event Monitor may still be running on the same data: stop it and start again;',
    `  - if the data file is damaged, keep a copy of ${dataDir}, then restore your last backup into an`,
    `    empty directory: EVENT_MONITOR_DATA_DIR=<new dir> npm run db:restore -- <backup dir>, and start`,
    '    with that EVENT_MONITOR_DATA_DIR;',
    '  - or start with an empty database elsewhere: EVENT_MONITOR_DATA_DIR=<new dir> npm start.',
  ].join('\n');
}

/** One line for the start-up log: which database, where. */
export function describeDatabase(database: ResolvedDatabase): string {
  switch (database.source) {
    case 'uri':
      return `using the MongoDB at MONGODB_URI (database "${database.dbName}")`;
    case 'embedded-disk':
      return `embedded database on port ${database.port}, data in ${database.dataDir} (database "${database.dbName}")`;
    default:
      return `${database.source} database at ${database.uri} (database "${database.dbName}")`;
  }
}

/** Asks Testcontainers' runtime client; a docker CLI on PATH alone proves nothing. */
export async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), CONTAINER_RUNTIME_CHECK_MS).unref(),
    );
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return true;
  } catch {
    return false;
  }
}

async function startMongoContainer(): Promise<StartedServer> {
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer('mongo:7.0').start();
  return {
    uri: `${container.getConnectionString()}/?directConnection=true`,
    stop: async () => {
      await container.stop();
    },
  };
}
