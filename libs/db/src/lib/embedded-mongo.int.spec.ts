import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Schema, type Connection } from 'mongoose';
import { connectMongoose, isServerRefusing, pingDatabase } from './mongoose-connection';
import { isDatabaseUnavailable } from './outage';
import { isDuplicateKey } from './duplicate-key';
import { startEmbeddedMongo } from './embedded-mongo';

// libs/testing builds on this lib, so these tests open their connection themselves.
function useRunDatabase(): { current: { connection: Connection } } {
  const handle = {} as { current: { connection: Connection } };
  beforeAll(async () => {
    const uri = process.env['EVENT_MONITOR_TEST_MONGODB_URI'];
    if (!uri) throw new Error('EVENT_MONITOR_TEST_MONGODB_URI is not set: the jest global setup did not run');
    handle.current = { connection: await connectMongoose({ uri, dbName: `t_db_${Date.now()}` }) };
  });
  afterAll(async () => {
    await handle.current.connection.dropDatabase();
    await handle.current.connection.close();
  });
  return handle;
}

describe('the run database (embedded server unless MONGODB_URI is set)', () => {
  const db = useRunDatabase();

  it('connects with Mongoose, writes and reads back', async () => {
    const Note = db.current.connection.model('Note', new Schema({ text: String, n: Number }));
    await Note.insertMany([
      { text: 'a', n: 1 },
      { text: 'b', n: 2 },
    ]);
    const found = await Note.find().sort({ n: -1 }).lean();
    expect(found.map((d) => d.text)).toEqual(['b', 'a']);
    expect(await pingDatabase(db.current.connection)).toBe(true);
  });

  it('reports a unique index violation as code 11000, which isDuplicateKey recognises', async () => {
    const Item = db.current.connection.model('Item', new Schema({ key: { type: String, unique: true } }));
    await Item.createIndexes();
    await Item.create({ key: 'k1' });
    const error: unknown = await Item.create({ key: 'k1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000 });
    expect(isDuplicateKey(error)).toBe(true);
    expect(isDuplicateKey(await pingDatabase(db.current.connection))).toBe(false);
  });
});

describe('startEmbeddedMongo with a data directory', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'em-data-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps acknowledged writes across a stop and a restart', async () => {
    const first = await startEmbeddedMongo({ dataDir });
    const writer = await connectMongoose({ uri: first.uri, dbName: 'durable' });
    const docs = Array.from({ length: 500 }, (_, i) => ({ i, label: `doc-${i}` }));
    await writer.collection('things').insertMany(docs);
    await writer.collection('things').updateOne({ i: 7 }, { $set: { label: 'changed' } });
    await writer.close();
    await first.stop();

    const second = await startEmbeddedMongo({ dataDir });
    try {
      const reader = await connectMongoose({ uri: second.uri, dbName: 'durable' });
      expect(await reader.collection('things').countDocuments()).toBe(500);
      expect(await reader.collection('things').findOne({ i: 7 })).toMatchObject({ label: 'changed' });
      await reader.close();
    } finally {
      await second.stop();
    }
  });
});

describe('pingDatabase', () => {
  it('answers false, without hanging, when the server is gone', async () => {
    const server = await startEmbeddedMongo({});
    const connection = await connectMongoose({ uri: server.uri, dbName: 'gone', serverSelectionTimeoutMS: 500 });
    await server.stop();
    const started = Date.now();
    expect(await pingDatabase(connection, 1_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    await connection.close();
  });
});

describe('isServerRefusing', () => {
  it('turns true soon after the server is killed and false again soon after it restarts on the same port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'em-outage-'));
    let server = await startEmbeddedMongo({ dataDir });
    const port = server.port;
    const connection = await connectMongoose({ uri: server.uri, dbName: 'outage', serverSelectionTimeoutMS: 1_000 });
    try {
      expect(isServerRefusing(connection)).toBe(false);
      process.kill(server.pid, 'SIGKILL');
      await server.stop();
      const killed = Date.now();
      while (!isServerRefusing(connection) && Date.now() - killed < 10_000) await new Promise((r) => setTimeout(r, 50));
      // The 1 s heartbeat notices the outage without any query running.
      expect(isServerRefusing(connection)).toBe(true);
      expect(Date.now() - killed).toBeLessThan(5_000);
      const failure = await connection.collection('probe').findOne({}).catch((error: unknown) => error);
      expect(isDatabaseUnavailable(failure)).toBe(true);

      server = await startEmbeddedMongo({ dataDir, port });
      const restarted = Date.now();
      while (isServerRefusing(connection) && Date.now() - restarted < 10_000) await new Promise((r) => setTimeout(r, 50));
      expect(isServerRefusing(connection)).toBe(false);
      expect(Date.now() - restarted).toBeLessThan(5_000);
      expect(await pingDatabase(connection)).toBe(true);
    } finally {
      await connection.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
