import type { Db } from 'mongodb';
import { createDomainModels, ensureIndexes, type DomainDeps } from '@event-monitor/domain';
import { readLease } from '@event-monitor/db';
import { useTestDatabase } from '@event-monitor/testing';
import { createLogger } from './logger';
import { MAINTENANCE_LEASE, startMaintenance } from './maintenance';
import { readServerEnv } from './env';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Two schedulers on one database stand for two app processes: each gets the domain through its own
// getDomain, which the sweep asks for once per sweep it runs.
describe('the maintenance sweep across app processes', () => {
  const db = useTestDatabase();
  let domain: DomainDeps;
  let mongoDb: Db;
  const logger = createLogger(readServerEnv({ LOG_LEVEL: 'silent' }));
  const metrics = { countLeaseRecoveries: () => undefined };

  beforeAll(async () => {
    domain = { models: createDomainModels(db.current.connection) };
    await ensureIndexes(domain.models);
    mongoDb = db.current.connection.getClient().db(db.current.dbName);
  });

  function appProcess(holder: string) {
    const counted = { sweeps: 0 };
    const maintenance = startMaintenance({
      intervalSeconds: 1,
      legacyTimeoutMinutes: 120,
      getDomain: async () => {
        counted.sweeps += 1;
        return domain;
      },
      getDb: async () => mongoDb,
      holder,
      metrics,
      logger,
    });
    return { counted, maintenance };
  }

  it('exactly one process sweeps; the other takes over within one interval of the lease running out when the holder dies', async () => {
    const a = appProcess('process-a');
    await sleep(150); // a asks first
    const b = appProcess('process-b');
    await sleep(3_600);
    expect(a.counted.sweeps).toBeGreaterThanOrEqual(1);
    expect(b.counted.sweeps).toBe(0);
    expect(await readLease(mongoDb, MAINTENANCE_LEASE)).toMatchObject({ holder: 'process-a' });

    // a dies (a SIGKILL: no release); its lease runs out and b takes it over.
    const lease = await readLease(mongoDb, MAINTENANCE_LEASE);
    a.maintenance.abandon();
    const diedAt = Date.now();
    while (b.counted.sweeps === 0 && Date.now() - diedAt < 10_000) await sleep(50);
    const takenAfter = Date.now() - (lease?.expiresAt.getTime() ?? 0);
    expect(b.counted.sweeps).toBe(1);
    // One interval (1 s) after the lease ran out, plus what timers lag on a loaded machine.
    expect(takenAfter).toBeLessThanOrEqual(1_000 + 1_000);
    expect(await readLease(mongoDb, MAINTENANCE_LEASE)).toMatchObject({ holder: 'process-b' });

    // b stops cleanly (SIGTERM): it gives the lease up, and a new process takes it at its first try.
    await b.maintenance.stop();
    const c = appProcess('process-c');
    const startedAt = Date.now();
    while (c.counted.sweeps === 0 && Date.now() - startedAt < 10_000) await sleep(50);
    // Its first try (one interval) takes the released lease.
    expect(Date.now() - startedAt).toBeLessThanOrEqual(1_000 + 1_000);
    await c.maintenance.stop();
    expect(await readLease(mongoDb, MAINTENANCE_LEASE)).toBeNull();
  }, 30_000);
});
