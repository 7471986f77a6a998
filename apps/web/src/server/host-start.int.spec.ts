import { useTestDatabase } from '@event-monitor/testing';
import { JOBS_COLLECTION } from '@event-monitor/domain';
import { readServerEnv } from './env';
import { createHost } from './host';

// The claim's index (libs/domain indexes.ts), named by MongoDB from its keys.
const CLAIM_INDEX = 'status_1_priority_-1_created_at_1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The indexes are built when the process starts, before any request: a database that already holds
// many jobs would otherwise build them inside the first request (seen in the bulk bench: a 30 s
// first answer at 20,000 jobs, a 503 at 100,000).
describe('host start', () => {
  const db = useTestDatabase();

  it('ensures the indexes without waiting for a request', async () => {
    const host = createHost(
      readServerEnv({
        MONGODB_URI: db.current.uri,
        MONGODB_DB: db.current.dbName,
        BETTER_AUTH_SECRET: 'host-start-secret-host-start-secret-12',
        APP_URL: 'http://127.0.0.1:3999',
        LOG_LEVEL: 'silent',
        MAINTENANCE_INTERVAL_SECONDS: '0',
        NODE_ENV: 'test',
      }),
    );
    const jobs = db.current.connection.getClient().db(db.current.dbName).collection(JOBS_COLLECTION);
    const names = async () => (await jobs.indexes().catch(() => [])).map((index) => index.name);
    try {
      expect(await names()).not.toContain(CLAIM_INDEX);
      host.start();
      const deadline = Date.now() + 20_000;
      while (!(await names()).includes(CLAIM_INDEX) && Date.now() < deadline) await sleep(100);
      expect(await names()).toContain(CLAIM_INDEX);
    } finally {
      await host.close();
    }
  });
});
