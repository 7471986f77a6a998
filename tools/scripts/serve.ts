// Brings up the whole product: the embedded database (unless MONGODB_URI is set) and the
// Next.js server, in production mode (`npm start`) or with hot reload (`npm run dev`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeDatabase, resolveDatabase, writeServerState, type ResolvedDatabase } from '@event-monitor/db';
import {
  announceFirstAdmin,
  authSecret,
  dataDir,
  fail,
  log,
  openAuth,
  parsePort,
  portIsFree,
  root,
  waitForHealth,
  webRoot,
} from './product';

const mode: 'production' | 'development' = process.argv.includes('--dev') ? 'development' : 'production';

async function prepareFirstAdmin(database: ResolvedDatabase, secret: string, appUrl: string): Promise<void> {
  const { auth, close } = await openAuth(database, secret, appUrl);
  try {
    await announceFirstAdmin(auth);
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const port = parsePort(process.env['PORT']);
  if (!(await portIsFree(port))) {
    fail(
      `Port ${port} is already in use. Stop the program using it, or choose another: PORT=${port + 1} npm start`,
    );
  }

  if (mode === 'production') {
    log('building the web app (cached when nothing changed) ...');
    const build = spawnSync('npx', ['nx', 'run', '@event-monitor/web:build', '--outputStyle=static'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    if (build.status !== 0) fail('the web app did not build; see the output above.');
  }

  let database: ResolvedDatabase;
  // Set once `stop` exists: a supervisor that gave up stops the whole product.
  let onDatabaseLost: (error: Error) => void = (error) => fail(error.message);
  try {
    database = await resolveDatabase({
      purpose: 'app',
      supervise: {
        log: (line) => console.error(`[event-monitor] ${line}`),
        onGiveUp: (error) => onDatabaseLost(error),
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  log(describeDatabase(database));
  // db:backup / db:restore find the running server here instead of opening the files it holds.
  const forgetServerState =
    database.dataDir && database.port
      ? writeServerState(database.dataDir, {
          pid: process.pid,
          port: database.port,
          dbName: database.dbName,
          startedAt: new Date().toISOString(),
        })
      : () => undefined;

  // Result-file links work on a default install: the files the workers write are served from
  // .data/files (as `npm run demo` does) unless EVENT_FILES_DIR names another folder.
  const filesDir = resolve(process.env['EVENT_FILES_DIR'] ?? join(dataDir(), 'files'));
  mkdirSync(filesDir, { recursive: true });
  log(`result files are served from ${filesDir} (EVENT_FILES_DIR)`);

  const secret = authSecret();
  const appUrl = process.env['APP_URL'] ?? `http://localhost:${port}`;
  try {
    await prepareFirstAdmin(database, secret, appUrl);
  } catch (error) {
    // An unreachable or malformed MONGODB_URI: start anyway, so /api/health answers 503 with one
    // clear log line instead of a process that exits and gets restarted in a loop.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[event-monitor] the database is not reachable (${reason}); starting anyway:`);
    console.error(
      '[event-monitor] /api/health answers 503 until it is, and the first admin is created on the next start.',
    );
  }

  const next = spawn(
    process.execPath,
    // Our server in both modes: the host answers /api, Next.js renders the pages (with hot reload in development).
    [join(webRoot, 'server.mjs'), '-p', String(port), ...(mode === 'development' ? ['--dev'] : [])],
    {
      cwd: webRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        NODE_ENV: mode,
        PORT: String(port),
        MONGODB_URI: database.uri,
        MONGODB_DB: database.dbName,
        EVENT_MONITOR_DB_SOURCE: database.source,
        BETTER_AUTH_SECRET: secret,
        APP_URL: appUrl,
        EVENT_FILES_DIR: filesDir,
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  );

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log('stopping ...');
    if (next.exitCode === null) {
      next.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          next.kill('SIGKILL');
          resolve(undefined);
        }, 10_000);
        next.once('exit', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    await database.stop();
    forgetServerState();
    log('stopped.');
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void stop(0));
  }
  onDatabaseLost = (error) => {
    console.error(`[event-monitor] ${error.message}`);
    console.error('[event-monitor] stopping: the app cannot work without its database (see the messages above).');
    void stop(1);
  };
  // Stop with the parent (start.mjs) even when it is killed without passing a signal on.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 1000).unref();
  next.once('exit', (code) => {
    if (!stopping) {
      console.error(`[event-monitor] the web server exited (code ${code ?? 'none'}).`);
      void stop(code || 1);
    }
  });

  const url = `http://localhost:${port}`;
  // 503 means the server runs but the database does not answer: say so instead of waiting.
  if (await waitForHealth(`${url}/api/health`, next, 120_000, (status) => status === 200 || status === 503)) {
    const health = await fetch(`${url}/api/health`).catch(() => undefined);
    log(`Event Monitor is running at ${url}  (Ctrl-C stops everything)`);
    if (health?.status === 503)
      console.error('[event-monitor] ... but the database is down: /api/health answers 503.');
  } else if (!stopping) {
    console.error(`[event-monitor] ${url} did not answer in time.`);
  }
}

void main();
