// The Python worker SDK's test target (`nx run @event-monitor/worker-sdk-python:test`):
// prepares libs/worker-sdk-python/.venv, starts the real product with a files root of its own,
// and runs pytest against it with a worker token (and, for the coexistence suite, the database's
// address and an operator's token). Exits with pytest's code (5, no tests, fails too).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { ensureVenv, root } from './product';

function log(message: string): void {
  console.log(`[worker-sdk] ${message}`);
}

async function main(): Promise<number> {
  const python = ensureVenv();
  const filesDir = mkdtempSync(join(tmpdir(), 'event-monitor-files-'));
  let server: LiveServer | undefined;
  let stopping = false;
  const cleanUp = async () => {
    if (stopping) return;
    stopping = true;
    await server?.stop().catch((error: unknown) => console.error(error));
    rmSync(filesDir, { recursive: true, force: true });
  };
  let child: ReturnType<typeof spawn> | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      child?.kill(signal);
      void cleanUp().then(() => process.exit(130));
    });
  }
  try {
    const started = Date.now();
    server = await startLiveServer({ env: { EVENT_FILES_DIR: filesDir } });
    const token = await server.createToken(['worker', 'read', 'write']);
    // The coexistence suite (tests/coexistence) writes to the database as the legacy Python side
    // does, and looks at the result as an operator (not an admin) would.
    const operatorToken = await server.createToken(['read', 'write'], 'operator');
    // Only admins' webhooks may target loopback: the notification tests' receiver is on 127.0.0.1.
    const adminToken = await server.createToken(['read', 'write'], 'admin');
    log(`live server at ${server.url} (${Date.now() - started} ms); running pytest`);
    const args = ['-m', 'pytest', join('libs', 'worker-sdk-python', 'tests'), '-q', ...process.argv.slice(2)];
    child = spawn(python, args, {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        EVENT_MONITOR_URL: server.url,
        EVENT_MONITOR_TOKEN: token,
        EVENT_FILES_DIR: filesDir,
        EVENT_MONITOR_MONGODB_URI: server.uri,
        EVENT_MONITOR_DB: server.dbName,
        EVENT_MONITOR_OPERATOR_TOKEN: operatorToken,
        EVENT_MONITOR_ADMIN_TOKEN: adminToken,
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    const running = child;
    const code = await new Promise<number>((resolve) => {
      running.once('error', (error) => {
        console.error(`[worker-sdk] pytest could not start: ${error.message}`);
        resolve(1);
      });
      running.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    if (code === 5) console.error('[worker-sdk] pytest collected no tests: failing.');
    return code;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[worker-sdk] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
