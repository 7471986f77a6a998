import { join } from 'node:path';
import { readDatabaseEnv, type DatabaseEnv } from './env';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded-mongo';
import { findWorkspaceRoot } from './workspace-root';

export const DEFAULT_DB_NAME = 'event_monitor';

export type DatabaseSource = 'uri' | 'testcontainers' | 'embedded-memory' | 'embedded-disk';

export interface ResolvedDatabase {
  source: DatabaseSource;
  uri: string;
  dbName: string;
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
  startEmbedded?: (opts: { dataDir?: string }) => Promise<EmbeddedMongo>;
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
    return { source: 'embedded-memory', uri: server.uri, dbName, stop: server.stop };
  }

  const dataDir = options.dataDir ?? env.EVENT_MONITOR_DATA_DIR ?? join(findWorkspaceRoot(), '.data');
  const server = await startEmbedded({ dataDir });
  return { source: 'embedded-disk', uri: server.uri, dbName, stop: server.stop };
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
