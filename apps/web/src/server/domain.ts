import { createDomainModels, ensureIndexes, type DomainDeps, type NotifyOptions } from '@event-monitor/domain';
import type { Connection } from 'mongoose';
import type { Database } from './database';
import type { Logger } from './logger';

/** The domain's dependencies on the shared connection; indexes are ensured once per connection. */
export function createDomainAccess(database: Database, logger: Logger, notify: Partial<NotifyOptions> = {}): () => Promise<DomainDeps> {
  const prepared = new WeakMap<Connection, Promise<DomainDeps>>();
  return async () => {
    const connection = await database.connection();
    let deps = prepared.get(connection);
    if (!deps) {
      const models = createDomainModels(connection);
      deps = ensureIndexes(models).then(() => ({
        models,
        // The change already happened; a lost audit record must at least reach the log.
        onAuditError: (err: unknown, event: unknown) => logger.error({ err, event }, 'audit event not recorded'),
        notify,
      }));
      deps.catch(() => prepared.delete(connection));
      prepared.set(connection, deps);
    }
    return deps;
  };
}
