import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedMongoStartError, startEmbeddedMongo } from './embedded-mongo';
import { connectMongoose } from './mongoose-connection';
import { superviseEmbeddedMongo, type RestartEvent } from './supervised-mongo';

// Unref'd: a timer still pending when a test ends must not hold Jest open.
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms).unref());

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every file under `dir` (recursively, by relative path). */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const path = join(prefix, name);
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/** The data files' contents (RocksDB's own diagnostic LOG, rotated at every open, is not data). */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(dir).filter((path) => !/(^|\/)LOG(\.old\.\d+)?$/.test(path)).map((path) => [path, createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')]),
  );
}

describe('superviseEmbeddedMongo', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'em-supervised-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('restarts a SIGKILLed server on the same port and data; the open Mongoose connection writes and reads again', async () => {
    const restarts: RestartEvent[] = [];
    const lines: string[] = [];
    const server = await superviseEmbeddedMongo({ dataDir, log: (line) => lines.push(line), onRestart: (e) => restarts.push(e) });
    const connection = await connectMongoose({ uri: server.uri, dbName: 'supervised', serverSelectionTimeoutMS: 2_000 });
    try {
      const things = connection.collection('things');
      await things.insertMany(Array.from({ length: 100 }, (_, i) => ({ i })));
      // Older than any loss window a crash may have: this write must survive the SIGKILL.
      await sleep(1_500);
      const firstPid = server.pid;
      process.kill(firstPid, 'SIGKILL');
      await until(() => (isAlive(firstPid) ? undefined : true), 10_000);

      // No manual step: the supervisor starts it again, the driver's heartbeat finds it.
      await until(() => (server.restarts === 1 ? true : undefined), 30_000);
      expect(server.pid).not.toBe(firstPid);
      expect(isAlive(server.pid)).toBe(true);
      const written = await until(async () => {
        try {
          await things.insertOne({ i: 100, after: 'restart' });
          return true;
        } catch {
          return undefined; // the driver has not seen the server again yet
        }
      }, 15_000);
      expect(written).toBe(true);
      expect(await things.countDocuments()).toBe(101);
      expect(await things.findOne({ i: 100 })).toMatchObject({ after: 'restart' });
      expect(restarts).toEqual([expect.objectContaining({ exit: 'signal SIGKILL', attempts: 1 })]);
      expect(lines.join('\n')).toMatch(new RegExp(`exited unexpectedly \\(signal SIGKILL\\); restarting it on port ${server.port}`));
    } finally {
      await connection.close();
      await server.stop();
    }
  }, 90_000);

  it('gives up with the launcher\'s reason when every restart fails, instead of trying forever', async () => {
    const lines: string[] = [];
    const server = await superviseEmbeddedMongo({ dataDir, restartDelaysMs: [300, 100, 100], log: (line) => lines.push(line) });
    let blocker: Server | undefined;
    try {
      const pid = server.pid;
      process.kill(pid, 'SIGKILL');
      await until(() => (isAlive(pid) ? undefined : true), 10_000);
      // Something else takes the port while the server is down: every restart fails with exit 2.
      blocker = createServer();
      await new Promise<void>((done, fail) => {
        blocker?.once('error', fail);
        blocker?.listen(server.port, '127.0.0.1', () => done());
      });
      const error = await Promise.race([server.gaveUp, sleep(30_000).then(() => undefined)]);
      expect(error?.message).toMatch(/could not be restarted after 3 attempts: .*already in use/);
      expect(lines.filter((line) => line.startsWith('restart attempt'))).toHaveLength(3);
      expect(server.restarts).toBe(0);
      // Given up means given up: no further attempt comes later.
      await sleep(1_000);
      expect(lines.filter((line) => line.startsWith('restart attempt'))).toHaveLength(3);
    } finally {
      await new Promise((done) => (blocker ? blocker.close(done) : done(undefined)));
      await server.stop();
    }
  }, 60_000);

  it('never starts an empty database over a data store it cannot open: start fails with exit 3 and the reason, the files stay', async () => {
    const first = await startEmbeddedMongo({ dataDir });
    await first.stop();
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) writeFileSync(join(dataDir, path), Buffer.alloc(4096, 0x5a));
    const before = fingerprint(dataDir);

    const attempt = superviseEmbeddedMongo({ dataDir, log: () => undefined });
    await expect(attempt).rejects.toBeInstanceOf(EmbeddedMongoStartError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 3, reason: expect.stringMatching(/\S/) });
    expect(fingerprint(dataDir)).toEqual(before);
  }, 60_000);
});
