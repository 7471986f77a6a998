import { join, resolve } from 'node:path';
import { EmbeddedMongoStartError } from './embedded-mongo';
import { describeDatabase, resolveDatabase } from './resolve-database';

const fakeServer = (uri: string, port = 1) => {
  const stop = jest.fn(async () => undefined);
  return { uri, port, pid: 0, stop, exited: new Promise<never>(() => undefined) };
};

describe('resolveDatabase', () => {
  it('uses MONGODB_URI and MONGODB_DB first, starting nothing', async () => {
    const containerRuntimeAvailable = jest.fn(async () => true);
    const startEmbedded = jest.fn();
    const db = await resolveDatabase({
      purpose: 'test',
      env: { MONGODB_URI: 'mongodb://db.example:27017', MONGODB_DB: 'prod' },
      containerRuntimeAvailable,
      startEmbedded,
    });
    expect(db).toMatchObject({ source: 'uri', uri: 'mongodb://db.example:27017', dbName: 'prod' });
    expect(containerRuntimeAvailable).not.toHaveBeenCalled();
    expect(startEmbedded).not.toHaveBeenCalled();
  });

  it('in tests, uses a Testcontainers MongoDB when a container runtime answers', async () => {
    const container = fakeServer('mongodb://127.0.0.1:32768/?directConnection=true');
    const startEmbedded = jest.fn();
    const db = await resolveDatabase({
      purpose: 'test',
      env: {},
      containerRuntimeAvailable: async () => true,
      startContainer: async () => container,
      startEmbedded,
    });
    expect(db).toMatchObject({ source: 'testcontainers', uri: container.uri, dbName: 'event_monitor' });
    expect(startEmbedded).not.toHaveBeenCalled();
    await db.stop();
    expect(container.stop).toHaveBeenCalledTimes(1);
  });

  it('in tests, falls back to the embedded server in memory when no runtime answers', async () => {
    const embedded = fakeServer('mongodb://127.0.0.1:40000/');
    const startEmbedded = jest.fn(async () => embedded);
    const startContainer = jest.fn();
    const db = await resolveDatabase({
      purpose: 'test',
      env: {},
      containerRuntimeAvailable: async () => false,
      startContainer,
      startEmbedded,
    });
    expect(db.source).toBe('embedded-memory');
    expect(startEmbedded).toHaveBeenCalledWith({});
    expect(startContainer).not.toHaveBeenCalled();
  });

  it('for the app, starts the embedded server with its data on disk and never asks for containers', async () => {
    const startEmbedded = jest.fn(async () => fakeServer('mongodb://127.0.0.1:40001/'));
    const containerRuntimeAvailable = jest.fn(async () => true);
    const db = await resolveDatabase({
      purpose: 'app',
      env: {},
      dataDir: '/var/lib/event-monitor',
      containerRuntimeAvailable,
      startEmbedded,
    });
    expect(db.source).toBe('embedded-disk');
    expect(startEmbedded).toHaveBeenCalledWith({ dataDir: '/var/lib/event-monitor' });
    expect(containerRuntimeAvailable).not.toHaveBeenCalled();
  });

  it('for the app, reports the real absolute data directory of EVENT_MONITOR_DATA_DIR and the port', async () => {
    const startEmbedded = jest.fn(async () => fakeServer('mongodb://127.0.0.1:40002/', 40002));
    const db = await resolveDatabase({ purpose: 'app', env: { EVENT_MONITOR_DATA_DIR: 'var/em-data' }, startEmbedded });
    const absolute = resolve('var/em-data');
    expect(startEmbedded).toHaveBeenCalledWith({ dataDir: absolute });
    expect(db).toMatchObject({ port: 40002, dataDir: absolute });
    const line = describeDatabase(db);
    expect(line).toContain(`data in ${absolute} `);
    expect(line).toContain('port 40002');
    expect(line).not.toContain(join(process.cwd(), '.data'));
  });

  it('for the app, a launcher that cannot open the data stops with its reason and what to do', async () => {
    const reason = 'cannot open /x/event-monitor.mv: MVStoreException: Chunk 171 not found';
    const startEmbedded = jest.fn(async () => {
      throw new EmbeddedMongoStartError(`embedded MongoDB exited with code 2 before it was ready:\n${reason}`, 2, reason);
    });
    const attempt = resolveDatabase({ purpose: 'app', env: {}, dataDir: '/srv/em', startEmbedded });
    await expect(attempt).rejects.toThrow(reason);
    await expect(attempt).rejects.toThrow(/Nothing was changed in that directory[\s\S]*db:restore/);
  });
});
