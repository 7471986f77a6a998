// `npm run demo`: the product like `npm start` (embedded database in .data/, production server on
// PORT) plus a sample batch of conference sessions and the reference Python worker processing it,
// so a newcomer can watch jobs move. Ctrl-C stops the worker (its running jobs are handed back),
// then the web server, then the database.
//
// The work runs in a child process of its own process group: a Ctrl-C in the terminal reaches
// only this front process, which asks the child to stop in order (otherwise the database and the
// server would die at the same instant as the worker that is handing its jobs back).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createApiToken, listUsers, revokeApiToken } from '@event-monitor/auth';
import { describeDatabase, resolveDatabase, type ResolvedDatabase } from '@event-monitor/db';
import {
  announceFirstAdmin,
  openAuth,
  authSecret,
  dataDir,
  ensureVenv,
  fail,
  log,
  parsePort,
  portIsFree,
  root,
  waitForHealth,
  webRoot,
} from './product';

const DEMO_JOB_TYPE = 'demo-session';
const SUPERVISED = '--supervised';

// ---- the front process: forwards Ctrl-C as an orderly stop --------------------------------------

function runFront(): void {
  const child = spawn(
    process.execPath,
    [...process.execArgv, __filename, SUPERVISED, ...process.argv.slice(2)],
    {
      cwd: root,
      detached: true, // own process group: the terminal's SIGINT does not reach it or its children
      stdio: ['pipe', 'inherit', 'inherit'], // stdin EOF tells the child that this process is gone
    },
  );
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      signals += 1;
      if (child.exitCode === null) child.kill(signals === 1 ? 'SIGTERM' : 'SIGINT');
    });
  }
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// ---- the supervised process: database, web server, token, sample batch, worker ------------------

const SAMPLE_SESSIONS: {
  session: string;
  track: string;
  starttime: string;
  endtime: string;
  speakers: string[];
}[] = [
  {
    session: 'Opening Keynote: Events at Scale',
    track: 'Main Stage',
    starttime: '09:00',
    endtime: '09:45',
    speakers: ['Ada Lovelace'],
  },
  {
    session: 'Leases, Not Locks: Safe Job Claims',
    track: 'Backend',
    starttime: '10:00',
    endtime: '10:30',
    speakers: ['Barbara Liskov'],
  },
  {
    session: 'Transcripts in 40 Languages',
    track: 'Media',
    starttime: '10:45',
    endtime: '11:15',
    speakers: ['Grace Hopper', 'Alan Turing'],
  },
  {
    session: 'Watching Batches Move Live',
    track: 'Frontend',
    starttime: '11:30',
    endtime: '12:00',
    speakers: ['Margaret Hamilton'],
  },
  {
    session: 'Python Workers Meet Next.js',
    track: 'Backend',
    starttime: '13:30',
    endtime: '14:00',
    speakers: ['Guido van Rossum'],
  },
  {
    session: 'Closing Panel: What We Learned',
    track: 'Main Stage',
    starttime: '16:00',
    endtime: '16:45',
    speakers: ['Ada Lovelace', 'Grace Hopper', 'Linus Torvalds'],
  },
];

async function createSampleBatch(
  url: string,
  token: string,
): Promise<{ batchId: string; name: string; jobs: number }> {
  const name = `Demo conference ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
  const response = await fetch(`${url}/api/event-job/batches`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      batch_name: name,
      jobs: SAMPLE_SESSIONS.map((s, index) => ({
        job_type: DEMO_JOB_TYPE,
        parameters: {
          event: 'Event Monitor Demo Conference',
          session: s.session,
          track: s.track,
          day: new Date().toISOString().slice(0, 10),
          starttime: s.starttime,
          endtime: s.endtime,
          speakers: s.speakers,
          url: `https://example.org/demo-conference/sessions/${index + 1}`,
          source_language: 'en',
          target_language: 'de',
        },
      })),
    }),
  });
  const body = (await response.json()) as {
    status: string;
    message?: string;
    data?: { batch: { batch_id: string }; job_ids: string[] };
  };
  if (!response.ok || body.status !== 'success' || !body.data) {
    throw new Error(`creating the sample batch failed: HTTP ${response.status} ${body.message ?? ''}`);
  }
  return { batchId: body.data.batch.batch_id, name, jobs: body.data.job_ids.length };
}

function stopChild(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolvePromise();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill(signal);
  });
}

async function runSupervised(): Promise<void> {
  const port = parsePort(process.env['PORT']);
  if (!(await portIsFree(port))) {
    fail(
      `Port ${port} is already in use. Stop the program using it, or choose another: PORT=${port + 1} npm run demo`,
    );
  }

  log('building the web app (cached when nothing changed) ...');
  const build = spawnSync('npx', ['nx', 'run', '@event-monitor/web:build', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  if (build.status !== 0) fail('the web app did not build; see the output above.');

  log('preparing the Python worker (libs/worker-sdk-python/.venv) ...');
  let python: string;
  try {
    python = ensureVenv();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }

  let database: ResolvedDatabase;
  try {
    database = await resolveDatabase({ purpose: 'app' });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  log(describeDatabase(database));

  const secret = authSecret();
  const appUrl = process.env['APP_URL'] ?? `http://localhost:${port}`;
  const filesDir = resolve(process.env['EVENT_FILES_DIR'] ?? join(dataDir(), 'files'));
  mkdirSync(filesDir, { recursive: true });

  const children: { next?: ChildProcess; worker?: ChildProcess } = {};
  let revokeToken: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async (code: number, hurry = false): Promise<void> => {
    if (stopping) {
      if (hurry) {
        children.worker?.kill('SIGKILL');
        children.next?.kill('SIGKILL');
      }
      return;
    }
    stopping = true;
    log('stopping: the worker hands back its running jobs, then the server and the database stop ...');
    await stopChild(children.worker, 'SIGTERM', 15_000);
    await stopChild(children.next, 'SIGTERM', 10_000);
    await revokeToken?.().catch(() => undefined);
    await database.stop().catch(() => undefined);
    log('stopped.');
    process.exit(code);
  };
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      signals += 1;
      void stop(0, signals > 1);
    });
  }
  // The front process is gone (its end of our stdin closed): stop too.
  process.stdin.on('end', () => void stop(0));
  process.stdin.on('error', () => void stop(0));
  process.stdin.resume();

  // The first admin (as `npm start` makes it) and a worker token for the demo, revoked on exit.
  let token: string;
  let adminEmail: string | undefined;
  try {
    const opened = await openAuth(database, secret, appUrl);
    const auth = opened.auth;
    await announceFirstAdmin(auth);
    const admin = (await listUsers(auth)).find((user) => user.role === 'admin');
    if (!admin) throw new Error('no admin user found');
    adminEmail = admin.email;
    const created = await createApiToken(auth, {
      userId: admin.id,
      name: 'npm run demo (worker)',
      scopes: ['worker', 'read', 'write'],
      expiresInDays: 1,
    });
    token = created.token;
    revokeToken = async () => {
      await revokeApiToken(auth, created.id);
      await opened.close();
    };
  } catch (error) {
    await database.stop();
    fail(
      `could not prepare the demo user and token: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const next = spawn(process.execPath, [nextBin, 'start', '-p', String(port)], {
    cwd: webRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      MONGODB_URI: database.uri,
      MONGODB_DB: database.dbName,
      EVENT_MONITOR_DB_SOURCE: database.source,
      BETTER_AUTH_SECRET: secret,
      APP_URL: appUrl,
      EVENT_FILES_DIR: filesDir,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  children.next = next;
  next.once('exit', (code) => {
    if (!stopping) {
      console.error(`[event-monitor] the web server exited (code ${code ?? 'none'}).`);
      void stop(code || 1);
    }
  });

  const url = `http://localhost:${port}`;
  const apiUrl = `http://127.0.0.1:${port}`;
  if (!(await waitForHealth(`${apiUrl}/api/health`, next, 120_000))) {
    if (!stopping) {
      console.error(`[event-monitor] ${url}/api/health did not report a healthy database in time.`);
      await stop(1);
    }
    return;
  }

  let batch: { batchId: string; name: string; jobs: number };
  try {
    batch = await createSampleBatch(apiUrl, token);
  } catch (error) {
    console.error(`[event-monitor] ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
    return;
  }

  const worker = spawn(
    python,
    [
      '-m',
      'event_monitor_worker.demo',
      '--url',
      apiUrl,
      '--files-root',
      filesDir,
      '--worker-id',
      `demo-worker-${process.pid}`,
      '--job-type',
      DEMO_JOB_TYPE,
      '--concurrency',
      process.env['DEMO_CONCURRENCY'] ?? '2',
      '--lease-seconds',
      '60',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      // The token goes by environment, not on the command line (visible in ps).
      env: {
        ...process.env,
        EVENT_MONITOR_TOKEN: token,
        EVENT_MONITOR_DEMO_STEP_DELAY: process.env['EVENT_MONITOR_DEMO_STEP_DELAY'] ?? '1.2',
        PYTHONUNBUFFERED: '1',
      },
    },
  );
  children.worker = worker;
  worker.once('exit', (code, signal) => {
    if (!stopping)
      log(`the demo worker exited (${signal ?? `code ${code}`}); the server keeps running. Ctrl-C stops it.`);
  });

  const shown = relative(root, filesDir).startsWith('..') ? filesDir : relative(root, filesDir);
  log('==================================================================');
  log(`Demo running: open ${url} and sign in as ${adminEmail ?? 'the admin'}`);
  log(`  (password: printed when the admin was first created, or ADMIN_PASSWORD)`);
  log(`Sample batch "${batch.name}" (${batch.batchId}): ${batch.jobs} session jobs,`);
  log(`  processed by the Python demo worker; markdown results go to ${shown}/sessions/...`);
  log(`API token of this demo (scopes worker, read, write; revoked on exit):`);
  log(`  export TOKEN=${token}`);
  log(`  curl -s -H "Authorization: Bearer $TOKEN" ${url}/api/event-job/batches/${batch.batchId}`);
  log(`API reference: ${url}/api-docs      Ctrl-C stops everything.`);
  log('==================================================================');
}

if (process.argv.includes(SUPERVISED)) {
  void runSupervised();
} else {
  runFront();
}
