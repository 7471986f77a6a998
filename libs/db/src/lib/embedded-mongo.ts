/**
 * Starts the embedded MongoDB-compatible server (tools/embedded-mongo, a Java fat jar built on
 * mongo-java-server) as a child process: in memory, or on disk with `dataDir`.
 *
 * The child dies with this process: it runs with `--exit-on-stdin-eof` and a stdin pipe that we
 * keep open, so when this process goes away (even by SIGKILL) the pipe closes and the server
 * shuts down cleanly. On a normal exit we also send it SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';

export interface EmbeddedMongoOptions {
  /** Keep data in `<dataDir>/event-monitor.rocksdb` (created if missing). Absent = in memory. */
  dataDir?: string;
  /** TCP port; default 0 = any free port (see `EmbeddedMongo.port`). */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** How long to wait for READY and the first ping; default 30 s (a bench on a large data file waits longer). */
  readyTimeoutMs?: number;
}

export interface EmbeddedMongo {
  /** e.g. `mongodb://127.0.0.1:40123/` */
  uri: string;
  port: number;
  /** The Java process (fault tests kill it with SIGKILL to simulate a crash). */
  pid: number;
  /** The absolute data directory, or undefined in memory. */
  dataDir?: string;
  /** Settles when the Java process has exited, for whatever reason (a supervisor watches it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (and stdin EOF), wait for a clean exit (data flushed), SIGKILL after 10 s. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The server exited before it was ready. `exitCode` 3 is the launcher's "cannot open the data
 * store" (damaged, locked by another process, written by a newer version), 2 its "cannot start"
 * (bad arguments, a port in use); either comes with its one-line reason in `reason`.
 */
export class EmbeddedMongoStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'EmbeddedMongoStartError';
  }
}

const JAR_RELATIVE_PATH = join(
  'tools',
  'embedded-mongo',
  'target',
  'embedded-mongo.jar',
);
const READY_PATTERN = /^EMBEDDED_MONGO_READY port=(\d+)$/m;
const READY_TIMEOUT_MS = 30_000;
/**
 * On a data directory the launcher rebuilds its in-memory indexes from every stored document before
 * it answers. Measured (OpenMeasurement, tools/embedded-mongo): 25 s of CPU for 100,000 jobs with the
 * app's 17 job indexes, so a large store takes minutes; a slow start is not a failure.
 */
const DATA_DIR_READY_TIMEOUT_MS = 900_000;
const STOP_TIMEOUT_MS = 10_000;
const BUILD_LOCK_WAIT_MS = 10 * 60_000;
const BUILD_LOCK_STALE_MS = 10 * 60_000;
const STDERR_KEEP_CHARS = 8_000;
const NO_REAL_MONGO_HINT = '(or set MONGODB_URI to use a real MongoDB)';

export async function startEmbeddedMongo(
  opts: EmbeddedMongoOptions = {},
): Promise<EmbeddedMongo> {
  const java = findJava();
  if (!java) {
    throw new Error(
      `Java 17+ is required for the embedded database: 'java' was not found on PATH ${NO_REAL_MONGO_HINT}`,
    );
  }
  const jar = await ensureEmbeddedMongoJar();

  const host = opts.host ?? '127.0.0.1';
  const args = [
    // G1, not the serial collector: with hundreds of thousands of jobs held in the heap (memory
    // mode) or indexed (data dir), a serial full collection stopped the server for longer than the
    // driver's 10 s heartbeat timeout (docs/decisions.md, "The embedded server's collector").
    '-XX:+UseG1GC',
    // In memory every document and index entry is a Java object: the JVM's default heap (a quarter
    // of the RAM) filled up between 340,000 and 580,000 jobs and the server stopped answering
    // (docs/performance.md). Three quarters, as for any in-memory database. A data directory keeps
    // documents and indexes in RocksDB, outside the heap: the default is enough there.
    ...(opts.dataDir ? [] : ['-XX:MaxRAMPercentage=75']),
    '-jar',
    jar,
    '--host',
    host,
    '--port',
    String(opts.port ?? 0),
    '--exit-on-stdin-eof',
  ];
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (dataDir) args.push('--data-dir', dataDir);

  const child = spawn(java, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // Keep stdin open for the server's whole life: its EOF tells the server that we are gone.
  child.stdin?.on('error', () => undefined); // EPIPE if the child died first
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    if (!isRunning(child)) done({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => done({ code, signal }));
  });
  const killOnExit = (): void => {
    if (isRunning(child)) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);

  let port: number;
  try {
    port = await waitForReady(child, opts.readyTimeoutMs ?? (opts.dataDir ? DATA_DIR_READY_TIMEOUT_MS : READY_TIMEOUT_MS));
  } catch (error) {
    process.off('exit', killOnExit);
    if (isRunning(child)) child.kill('SIGKILL');
    throw error;
  }

  const uriHost =
    host === '0.0.0.0' || host === '::'
      ? '127.0.0.1'
      : host.includes(':')
        ? `[${host}]`
        : host;
  const uri = `mongodb://${uriHost}:${port}/`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await stopChild(child);
      } finally {
        process.off('exit', killOnExit);
      }
    })();
    return stopping;
  };

  try {
    await waitForPing(uri, child, opts.readyTimeoutMs ?? (opts.dataDir ? DATA_DIR_READY_TIMEOUT_MS : READY_TIMEOUT_MS));
  } catch (error) {
    await stop();
    throw error;
  }

  // Do not keep the parent's event loop alive just for the server: when nothing else is
  // left, this process exits and the server follows (stdin EOF / 'exit' handler).
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    unrefStream(stream);

  return { uri, port, pid: child.pid ?? 0, dataDir, exited, stop };
}

/**
 * Path of tools/embedded-mongo/target/embedded-mongo.jar, built with Maven first when it is
 * missing or older than the sources. Builds are serialised across processes with a lock file.
 */
export async function ensureEmbeddedMongoJar(): Promise<string> {
  const root = findWorkspaceRootForJar();
  const jar = join(root, JAR_RELATIVE_PATH);
  const projectDir = join(root, 'tools', 'embedded-mongo');
  const lockFile = join(projectDir, 'target', '.embedded-mongo-build.lock');

  // A build in progress writes an incomplete jar first, so a fresh jar only counts when no
  // build holds the lock (checked after freshness, see below).
  if (isJarFresh(jar, projectDir) && !(await isLockHeld(lockFile))) return jar;

  const mvn = findOnPath('mvn');
  if (!mvn) {
    if (existsSync(jar) && !(await isLockHeld(lockFile))) return jar; // stale, but usable
    throw new Error(
      `Maven 3.8+ is required to build the embedded database (${JAR_RELATIVE_PATH} is missing ` +
        `in ${root}): 'mvn' was not found on PATH ${NO_REAL_MONGO_HINT}`,
    );
  }

  await withLock(lockFile, async () => {
    if (isJarFresh(jar, projectDir)) return; // another process built it while we waited
    await runMaven(mvn, join(projectDir, 'pom.xml'), root);
    if (!existsSync(jar))
      throw new Error(`Maven finished but ${jar} was not created`);
  });
  return jar;
}

// ---------------------------------------------------------------------------------------------
// child process

function waitForReady(child: ChildProcess, readyTimeoutMs: number): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      finish(
        new Error(
          `embedded MongoDB did not start within ${readyTimeoutMs / 1000} s${stderrText(stderr)}`,
        ),
      );
    }, readyTimeoutMs);

    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString();
      const match = READY_PATTERN.exec(stdout);
      if (match) finish(undefined, Number(match[1]));
    };
    const onStderr = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP_CHARS);
    };
    const onExit = (
      code: number | null,
      signal: NodeJS.Signals | null,
    ): void => {
      // give the last stderr bytes a moment to arrive (exit can be emitted before stdio closes)
      setTimeout(() => {
        const how = code !== null ? `with code ${code}` : `by signal ${signal}`;
        finish(
          new EmbeddedMongoStartError(
            `embedded MongoDB exited ${how} before it was ready${stderrText(stderr)}`,
            code,
            lastLine(stderr),
          ),
        );
      }, 50);
    };
    const onError = (error: Error): void => {
      finish(
        new Error(
          `could not start 'java' for the embedded database: ${error.message} ${NO_REAL_MONGO_HINT}`,
        ),
      );
    };

    function finish(error: Error | undefined, port?: number): void {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error || port === undefined) {
        child.stderr?.off('data', onStderr);
        reject(error ?? new Error('embedded MongoDB did not report its port'));
        return;
      }
      // After READY: keep draining both pipes (a full pipe would block the server) and pass
      // the server's warnings on.
      child.stderr?.off('data', onStderr);
      child.stderr?.on('data', (chunk: Buffer) =>
        process.stderr.write(prefixLines(chunk.toString())),
      );
      child.stdout?.resume();
      resolvePort(port);
    }

    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function waitForPing(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && isRunning(child)) {
    const client = new MongoClient(uri, {
      serverSelectionTimeoutMS: 2_000,
      connectTimeoutMS: 2_000,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`embedded MongoDB at ${uri} did not answer a ping${reason}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // Closing stdin as well is not needed for correctness (SIGTERM alone shuts down cleanly) but
  // saves ~300 ms: on exit, HotSpot waits up to 300 ms for threads blocked in native code, such
  // as the server's stdin reader; with stdin at EOF that thread has already left its read.
  child.stdin?.end();
  child.kill('SIGTERM');
  if (await within(exited, STOP_TIMEOUT_MS)) return;
  child.kill('SIGKILL');
  await within(exited, STOP_TIMEOUT_MS);
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function unrefStream(stream: unknown): void {
  const candidate = stream as { unref?: unknown } | null;
  if (candidate && typeof candidate.unref === 'function')
    (candidate as { unref(): void }).unref();
}

function stderrText(stderr: string): string {
  const text = stderr.trim();
  return text ? `:\n${text}` : ' (no output on stderr)';
}

/** The launcher's reason: its last non-empty stderr line (a stack trace, if any, comes before). */
function lastLine(stderr: string): string {
  return (
    stderr
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

function prefixLines(text: string): string {
  return text.replace(/^(?=.)/gm, '[embedded-mongo] ');
}

// ---------------------------------------------------------------------------------------------
// jar build

function isJarFresh(jar: string, projectDir: string): boolean {
  if (!existsSync(jar)) return false;
  const jarTime = statSync(jar).mtimeMs;
  return (
    newestMtime([join(projectDir, 'pom.xml'), join(projectDir, 'src')]) <=
    jarTime
  );
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const info = statSync(path);
    if (info.isDirectory()) {
      const children = readdirSync(path).map((name) => join(path, name));
      newest = Math.max(newest, newestMtime(children));
    } else {
      newest = Math.max(newest, info.mtimeMs);
    }
  }
  return newest;
}

function runMaven(mvn: string, pom: string, cwd: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    const args = ['-q', '-B', '-f', pom, 'package', '-DskipTests'];
    // mvn is a .cmd script on Windows, which needs a shell (and quoted paths)
    const windows = process.platform === 'win32';
    const quote = (s: string): string =>
      windows && /\s/.test(s) ? `"${s}"` : s;
    const child = spawn(quote(mvn), args.map(quote), {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: windows,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-STDERR_KEEP_CHARS);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) =>
      fail(new Error(`could not run Maven (${mvn}): ${error.message}`)),
    );
    child.once('close', (code) => {
      if (code === 0) done();
      else
        fail(
          new Error(
            `building the embedded database failed (mvn ${args.join(' ')}, exit code ${code}):\n${output.trim()}`,
          ),
        );
    });
  });
}

interface LockInfo {
  pid: number;
  host: string;
}

async function withLock(
  lockFile: string,
  body: () => Promise<void>,
): Promise<void> {
  await mkdir(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + BUILD_LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      const info: LockInfo = { pid: process.pid, host: hostname() };
      await handle.writeFile(JSON.stringify(info));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await isLockHeld(lockFile))) {
        await unlink(lockFile).catch(() => undefined); // stale: its owner is gone
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for another process to build the embedded database (lock ${lockFile})`,
        );
      }
      await sleep(250);
    }
  }
  try {
    await body();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}

/** True when the lock file exists and its owner still seems to be working. */
async function isLockHeld(lockFile: string): Promise<boolean> {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([
      readFile(lockFile, 'utf8'),
      stat(lockFile).then((s) => Date.now() - s.mtimeMs),
    ]);
  } catch {
    return false; // no lock
  }
  if (ageMs > BUILD_LOCK_STALE_MS) return false;
  let info: Partial<LockInfo>;
  try {
    info = JSON.parse(text) as Partial<LockInfo>;
  } catch {
    return ageMs < 5_000; // being written right now, or garbage
  }
  if (info.host !== hostname() || typeof info.pid !== 'number') return true; // cannot check: trust age
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------------
// environment

function findWorkspaceRootForJar(): string {
  const starts = [
    typeof __dirname === 'string' ? __dirname : undefined,
    process.cwd(),
  ];
  for (const start of starts) {
    if (!start) continue;
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'nx.json'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `could not find the workspace root (a directory with nx.json) above ${starts.filter(Boolean).join(' or ')}; ` +
      `it holds ${JAR_RELATIVE_PATH}`,
  );
}

function findJava(): string | undefined {
  const onPath = findOnPath('java');
  if (onPath) return onPath;
  const javaHome = process.env['JAVA_HOME'];
  return javaHome ? findIn(join(javaHome, 'bin'), 'java') : undefined;
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const found = findIn(dir, command);
    if (found) return found;
  }
  return undefined;
}

function findIn(dir: string, command: string): string | undefined {
  const extensions =
    process.platform === 'win32'
      ? (process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';')
      : [''];
  for (const extension of extensions) {
    const candidate = join(dir, command + extension);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Resolves true when `promise` settles within `ms`, false on timeout. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
