import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import {
  createApiToken,
  createAuth,
  createUser,
  ensureFirstAdmin,
  type EventMonitorAuth,
  type TokenScope,
} from '@event-monitor/auth';
import type { Role } from '@event-monitor/domain';
import {
  connectMongoose,
  findWorkspaceRoot,
  startEmbeddedMongo,
  type EmbeddedMongo,
} from '@event-monitor/db';
import { TEST_URI_VARIABLE, uniqueDbName } from '@event-monitor/testing';

export interface LiveServer {
  url: string;
  uri: string;
  dbName: string;
  admin: { email: string; password: string };
  connection: Connection;
  auth: EventMonitorAuth;
  /** A user with a password (to sign in through the browser or HTTP). */
  createUser(role: Role, email?: string): Promise<{ id: string; email: string; password: string }>;
  /** An API token for a new user of `role` with `scopes`. */
  createToken(scopes: TokenScope[], role?: Role): Promise<string>;
  /** Process id of the running Next.js server (a new one after `restart()`; benchmarks sample its memory). */
  readonly pid: number;
  /** Stops the Next.js server only (database and helper connection stay), as a crash or a deploy would. */
  kill(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the Next.js server again on the same URL (killing it first with SIGTERM if it runs). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface LiveServerOptions {
  env?: Record<string, string>;
  /** Forwarded to the server's stdout/stderr when true (debugging). */
  verbose?: boolean;
  /** Receives everything the server writes to stdout and stderr (e.g. to assert what it logs). */
  onOutput?: (chunk: string) => void;
  /** A database server to use; default the run's test server, else an embedded one started here. */
  uri?: string;
  /** Database name; default a unique one, dropped on `stop()` (a given name is left alone). */
  dbName?: string;
  /** Fixed port; default a free one. */
  port?: number;
  /** BETTER_AUTH_SECRET; default a random one. */
  secret?: string;
  /**
   * Node.js flags for the server process (e.g. `--cpu-prof`, which NODE_OPTIONS refuses); default
   * the space-separated `LIVE_SERVER_NODE_ARGS` environment variable, so benchmarks can be profiled.
   */
  nodeArgs?: string[];
  /** How long a start or restart may take to answer /api/health (default 60 s; a loaded machine may need more). */
  readyTimeoutMs?: number;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Builds the web app unless a build exists (npm test builds it once before the suites). */
export function ensureWebBuild(root = findWorkspaceRoot()): void {
  const distDir = process.env['EVENT_MONITOR_NEXT_DIST_DIR'] || '.next';
  if (existsSync(join(root, 'apps/web', distDir, 'BUILD_ID'))) return;
  const build = spawnSync('npx', ['nx', 'run', '@event-monitor/web:build', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) throw new Error('The web app did not build');
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The web server exited early:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The web server did not become healthy in time:\n${output()}`);
}

/**
 * The real product on a free port: production Next.js build, real auth, a database of its own
 * (on the run's test server when there is one, else an embedded server started here).
 */
export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const root = findWorkspaceRoot();
  ensureWebBuild(root);

  let embedded: EmbeddedMongo | undefined;
  let uri = options.uri ?? process.env[TEST_URI_VARIABLE];
  if (!uri) {
    embedded = await startEmbeddedMongo({});
    uri = embedded.uri;
  }
  const dbName = options.dbName ?? uniqueDbName('live');
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const admin = { email: 'admin@test.local', password: randomBytes(12).toString('base64url') };

  const connection = await connectMongoose({ uri, dbName });
  const auth = createAuth({
    db: connection.getClient().db(dbName),
    secret,
    baseURL: url,
    secureCookies: false,
    quiet: true,
  });
  await ensureFirstAdmin(auth, admin);

  const nodeArgs = options.nodeArgs ?? (process.env['LIVE_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  let output = '';
  const spawnServer = (): ChildProcess => {
    const server = spawn(
      process.execPath,
      [...nodeArgs, join(root, 'apps/web/server.mjs'), '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: join(root, 'apps/web'),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          MONGODB_URI: uri,
          MONGODB_DB: dbName,
          BETTER_AUTH_SECRET: secret,
          APP_URL: url,
          PORT: String(port),
          LOG_LEVEL: 'warn',
          NEXT_TELEMETRY_DISABLED: '1',
          ...options.env,
        },
      },
    );
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (options.verbose) process.stderr.write(chunk);
      options.onOutput?.(chunk.toString());
    };
    server.stdout?.on('data', collect);
    server.stderr?.on('data', collect);
    return server;
  };
  let child = spawnServer();
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  /** Signals the server and waits for it to exit (SIGKILL after 5 s). */
  const kill = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const restart = async () => {
    await kill('SIGTERM');
    child = spawnServer();
    await waitForHealth(url, child, () => output, options.readyTimeoutMs);
  };

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await kill('SIGTERM');
    if (!options.dbName) await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await embedded?.stop();
  };

  try {
    await waitForHealth(url, child, () => output, options.readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }

  let users = 0;
  const newUser = async (role: Role, email?: string) => {
    users += 1;
    const password = randomBytes(12).toString('base64url');
    const address = email ?? `${role}-${users}-${randomBytes(3).toString('hex')}@test.local`;
    const user = await createUser(auth, { email: address, name: `${role} ${users}`, password, role });
    return { id: user.id, email: address, password };
  };

  return {
    url,
    uri,
    dbName,
    admin,
    connection,
    auth,
    createUser: newUser,
    createToken: async (scopes, role = 'operator') => {
      const user = await newUser(role);
      return (await createApiToken(auth, { userId: user.id, name: `test-${role}`, scopes })).token;
    },
    get pid() {
      return child.pid ?? 0;
    },
    kill,
    restart,
    stop,
  };
}
