import { createDomainModels, ensureIndexes, type DomainDeps } from '@event-monitor/domain';
import type { Connection } from 'mongoose';
import { getConnection } from './database';

const prepared = new WeakMap<Connection, Promise<DomainDeps>>();

/** The domain's dependencies on the shared connection; indexes are ensured once per connection. */
export async function getDomain(): Promise<DomainDeps> {
  const connection = await getConnection();
  let deps = prepared.get(connection);
  if (!deps) {
    const models = createDomainModels(connection);
    deps = ensureIndexes(models).then(() => ({ models }));
    deps.catch(() => prepared.delete(connection));
    prepared.set(connection, deps);
  }
  return deps;
}
