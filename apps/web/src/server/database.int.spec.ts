import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseUnavailableError, startEmbeddedMongo, type EmbeddedMongo } from '@event-monitor/db';
import type { Connection } from 'mongoose';
import pino from 'pino';
import { createDatabase, type Database } from './database';

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `connection()` plus a real read until both succeed; the ms it took, or undefined after `limitMs`. */
async function msUntilUsable(database: Database, limitMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    try {
      const connection = await database.connection();
      await connection.db?.collection('probe').findOne({});
      return Date.now() - started;
    } catch {
      await sleep(100);
    }
  }
  return undefined;
}

/**
 * Silences the driver's monitor of the one server, the way a monitor whose heartbeats stop (or
 * whose success is never reported) would: no heartbeat event reaches the client any more. Driver
 * internals (mongodb 7): the test fails loudly, not silently, if they move.
 */
function silenceMonitor(connection: Connection): void {
  const topology = (connection.getClient() as unknown as { topology?: { s?: { servers?: Map<string, { monitor?: { close(): void } }> } } })
    .topology;
  const servers = [...(topology?.s?.servers?.values() ?? [])];
  expect(servers.map((server) => typeof server.monitor?.close)).toEqual(['function']);
  servers[0]?.monitor?.close();
}

/** A heartbeat refusal as the driver reports it (the event the app's refusal hint listens to). */
function reportRefusal(connection: Connection): void {
  const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  connection.getClient().emit('serverHeartbeatFailed', { failure, awaited: false } as never);
}

describe('the app database after the server went away and came back', () => {
  let server: EmbeddedMongo | undefined;
  let database: Database | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await database?.close().catch(() => undefined);
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    database = undefined;
    server = undefined;
    dataDir = undefined;
  });

  it('is usable again within seconds of each restart (SIGTERM, same port and files), three times', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'em-database-restart-'));
    server = await startEmbeddedMongo({ dataDir });
    const port = server.port;
    database = createDatabase({ MONGODB_URI: server.uri, MONGODB_DB: 'restart' }, logger);
    await (await database.connection()).db?.collection('probe').insertOne({ before: true });

    const resumedMs: Array<number | undefined> = [];
    for (let round = 0; round < 3; round++) {
      await server.stop(); // SIGTERM, waits for the exit
      // Down long enough for heartbeats to be refused (the refusal hint is set).
      await sleep(2_500);
      await expect(database.connection()).rejects.toBeInstanceOf(DatabaseUnavailableError);
      server = await startEmbeddedMongo({ dataDir, port });
      resumedMs.push(await msUntilUsable(database, 15_000));
    }
    expect(resumedMs.map((ms) => ms !== undefined && ms < 5_000)).toEqual([true, true, true]);
    expect(await (await database.connection()).db?.collection('probe').countDocuments({ before: true })).toBe(1);
  }, 300_000);

  it('stops refusing when a refusal is never followed by fresh ones (no heartbeat reported)', async () => {
    server = await startEmbeddedMongo({});
    database = createDatabase({ MONGODB_URI: server.uri, MONGODB_DB: 'hint' }, logger);
    const connection = await database.connection();
    silenceMonitor(connection);
    reportRefusal(connection);
    // Fresh: the 503 comes at once, without waiting for the driver.
    await expect(database.connection()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    // The server never went away: after two heartbeat intervals (+1 s) the hint no longer holds.
    const ms = await msUntilUsable(database, 10_000);
    expect(ms).toBeDefined();
    expect(ms).toBeLessThan(4_500);
  }, 60_000);

  it('replaces a client that does not see the restarted server (its monitor is silent)', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'em-database-stuck-'));
    server = await startEmbeddedMongo({ dataDir });
    const port = server.port;
    database = createDatabase({ MONGODB_URI: server.uri, MONGODB_DB: 'stuck' }, logger);
    const first = await database.connection();
    await first.db?.collection('probe').insertOne({ before: true });

    await server.stop();
    // The driver's heartbeats are refused: it marks the server Unknown. Then its monitor goes
    // silent, so nothing will mark the server known again (or report a successful heartbeat).
    const refusedAt = Date.now();
    while (!(await database.connection().then(() => false, () => true)) && Date.now() - refusedAt < 10_000) await sleep(100);
    await expect(database.connection()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    silenceMonitor(first);
    await sleep(2_000);
    server = await startEmbeddedMongo({ dataDir, port });
    const upAt = Date.now();

    const ms = await msUntilUsable(database, 25_000);
    expect({ resumed: ms !== undefined, withinMs: Date.now() - upAt < 20_000 }).toEqual({ resumed: true, withinMs: true });
    const replaced = await database.connection();
    expect(replaced).not.toBe(first);
    expect(await replaced.db?.collection('probe').countDocuments({ before: true })).toBe(1);
  }, 180_000);
});
