export { readDatabaseEnv, type DatabaseEnv } from './lib/env';
export {
  startEmbeddedMongo,
  ensureEmbeddedMongoJar,
  EmbeddedMongoStartError,
  type EmbeddedMongo,
  type EmbeddedMongoOptions,
} from './lib/embedded-mongo';
export {
  resolveDatabase,
  containerRuntimeAnswers,
  DEFAULT_DB_NAME,
  describeDatabase,
  startFailureAdvice,
  type DatabaseSource,
  type ResolvedDatabase,
  type ResolveDatabaseOptions,
} from './lib/resolve-database';
export { connectMongoose, isServerRefusing, pingDatabase, serverUnknownForMs, type ConnectOptions } from './lib/mongoose-connection';
export {
  DATABASE_UNAVAILABLE,
  DATABASE_UNAVAILABLE_HEADERS,
  DatabaseUnavailableError,
  databaseUnavailableResponse,
  isDatabaseUnavailable,
  type DatabaseUnavailableBody,
} from './lib/outage';
export { isDuplicateKey } from './lib/duplicate-key';
export { findWorkspaceRoot } from './lib/workspace-root';
export {
  superviseEmbeddedMongo,
  DEFAULT_RESTART_DELAYS_MS,
  type RestartEvent,
  type SupervisedMongo,
  type SupervisedMongoOptions,
} from './lib/supervised-mongo';
export {
  backupDatabase,
  restoreDatabase,
  readBackupManifest,
  BACKUP_FORMAT,
  BACKUP_MANIFEST,
  type BackupCollection,
  type BackupManifest,
  type BackupOptions,
  type RestoreOptions,
  type RestoreResult,
} from './lib/backup';
export { readServerState, writeServerState, SERVER_STATE_FILE, type ServerState } from './lib/server-state';
export { LEASES_COLLECTION, readLease, releaseLease, takeLease, type LeaseState } from './lib/lease';
