// What serve.ts (npm start / dev), demo.ts (npm run demo) and run-pytest.ts share: console lines,
// the port checks, the health wait, the auth secret kept in .data/, and the Python venv of the SDK.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createAuth, ensureFirstAdmin, type EventMonitorAuth } from '@event-monitor/auth';
import { connectMongoose, type ResolvedDatabase } from '@event-monitor/db';

export const root = join(__dirname, '..', '..');
export const webRoot = join(root, 'apps', 'web');
export const sdkRoot = join(root, 'libs', 'worker-sdk-python');

export function log(message: string): void {
  console.log(`[event-monitor] ${message}`);
}

export function fail(message: string): never {
  console.error(`[event-monitor] ${message}`);
  process.exit(1);
}

export function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`PORT must be a whole number from 1 to 65535 (got "${raw}").`);
  }
  return port;
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const probe = createServer();
    probe.once('error', () => resolvePromise(false));
    probe.once('listening', () => probe.close(() => resolvePromise(true)));
    probe.listen(port);
  });
}

/**
 * Polls `url` until it answers with an accepted status (2xx unless `accept` says otherwise), the
 * child exits, or the time is up.
 */
export async function waitForHealth(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  accept: (status: number) => boolean = (status) => status >= 200 && status < 300,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      if (accept(response.status)) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

/** Where `npm start` keeps its data: EVENT_MONITOR_DATA_DIR or .data/. */
export function dataDir(): string {
  return resolve(process.env['EVENT_MONITOR_DATA_DIR'] ?? join(root, '.data'));
}

/** BETTER_AUTH_SECRET from the environment, else one kept in the data folder so sessions survive restarts. */
export function authSecret(): string {
  const given = process.env['BETTER_AUTH_SECRET'];
  if (given) return given;
  const file = join(dataDir(), 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir(), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The first Python 3.11+ on PATH (PYTHON overrides). */
export function findPython(): string {
  const candidates = [process.env['PYTHON'], 'python3', 'python3.13', 'python3.12', 'python3.11', 'python'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', 'import sys; print(sys.version_info >= (3, 11))'], {
      encoding: 'utf8',
    });
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  throw new Error('Python 3.11 or newer was not found on PATH (set PYTHON to its path)');
}

/** libs/worker-sdk-python/.venv with the SDK installed (pip only when needed); returns its python. */
export function ensureVenv(): string {
  const result = spawnSync(findPython(), [join(sdkRoot, 'scripts', 'ensure_venv.py')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(
      `could not prepare the Python venv of the worker SDK (exit ${result.status ?? result.signal})`,
    );
  }
  const lines = result.stdout.trim().split('\n');
  return lines[lines.length - 1] as string;
}

/** better-auth on its own short-lived connection, for the start scripts (the server opens its own). */
export async function openAuth(
  database: ResolvedDatabase,
  secret: string,
  appUrl: string,
): Promise<{ auth: EventMonitorAuth; close: () => Promise<void> }> {
  const connection = await connectMongoose({ uri: database.uri, dbName: database.dbName });
  const auth = createAuth({
    db: connection.getClient().db(database.dbName),
    secret,
    baseURL: appUrl,
    secureCookies: false,
    quiet: true,
  });
  return { auth, close: () => connection.close() };
}

/** Creates the first admin when there is none, and prints a generated password exactly once. */
export async function announceFirstAdmin(auth: EventMonitorAuth): Promise<void> {
  const result = await ensureFirstAdmin(auth, {
    email: process.env['ADMIN_EMAIL'],
    password: process.env['ADMIN_PASSWORD'],
  });
  if (result.created && result.generatedPassword) {
    log('------------------------------------------------------------------');
    log(`First admin created: ${result.email}`);
    log(`Password (shown once): ${result.generatedPassword}`);
    log('Sign in and create users and tokens; or set ADMIN_EMAIL / ADMIN_PASSWORD.');
    log('------------------------------------------------------------------');
  } else if (result.created) {
    log(`First admin created from ADMIN_EMAIL: ${result.email}`);
  }
}
