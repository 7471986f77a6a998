import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEventMonitorClient, type EventMonitorClient } from '@event-monitor/client';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';

const BIN = resolve(__dirname, '../bin/event-monitor.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real command in a child process, as a user runs it (the bin script, tsx, stdin not a TTY). */
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** Fails with the CLI's own output, which says more than "expected 0, received 5". */
function expectOk(run: Run): Run {
  if (run.code !== 0) throw new Error(`exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

function expectOneLineError(run: Run, code: number, message: RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
  expect(run.stderr.trimEnd()).toMatch(message);
  // one line, no stack trace
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('the event-monitor CLI against a live server', () => {
  let server: LiveServer;
  let dir: string;
  let operator: Record<string, string>;
  let admin: Record<string, string>;
  let client: EventMonitorClient;
  let batchId: string;

  beforeAll(async () => {
    server = await startLiveServer();
    dir = await mkdtemp(join(tmpdir(), 'event-monitor-cli-'));
    const operatorToken = await server.createToken(['read', 'write'], 'operator');
    operator = { EVENT_MONITOR_URL: server.url, EVENT_MONITOR_TOKEN: operatorToken };
    admin = {
      EVENT_MONITOR_URL: server.url,
      EVENT_MONITOR_TOKEN: await server.createToken(['read', 'write'], 'admin'),
    };
    client = createEventMonitorClient({ url: server.url, token: operatorToken });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates a batch from a JSON file and lists it as a table and as JSON', async () => {
    const file = join(dir, 'batch.json');
    await writeFile(
      file,
      JSON.stringify({
        batch_name: 'CLI conference',
        jobs: [
          {
            parameters: {
              event: 'CLI conf',
              session: 'Keynote',
              video_url: 'https://example.org/keynote.mp4',
            },
          },
          { parameters: { event: 'CLI conf', session: 'Closing', target_language: 'fr' } },
        ],
      }),
    );
    const created = expectOk(await cli(['batches', 'create', '--file', file], operator));
    const match = /^Created batch (batch-[\w-]+) "CLI conference" with 2 job\(s\)\.$/m.exec(created.stdout);
    expect(match).not.toBeNull();
    batchId = match?.[1] ?? '';

    const [table, json] = await Promise.all([
      cli(['batches', 'list'], operator).then(expectOk),
      cli(['batches', 'list', '--search', 'conference', '--json'], operator).then(expectOk),
    ]);
    expect(table.stdout).toContain(batchId);
    expect(table.stdout).toMatch(/CLI conference\s*│\s*pending\s*│\s*2\s*│\s*2\s*│/);
    expect(table.stdout).toMatch(/1 in total/);
    // the created date went through superjson as a Date (formatted, not an ISO string)
    expect(table.stdout).toMatch(/│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d │/);

    const list = JSON.parse(json.stdout) as {
      batches: { batch_id: string; total_jobs: number; created_at: string }[];
      total: number;
    };
    expect(list.total).toBe(1);
    expect(list.batches[0]).toMatchObject({ batch_id: batchId, total_jobs: 2 });
    expect(new Date(list.batches[0]?.created_at ?? '').getTime()).not.toBeNaN();
  });

  it('shows a batch with its jobs, and lists jobs by batch', async () => {
    const [shown, listed] = await Promise.all([
      cli(['batches', 'show', batchId], operator).then(expectOk),
      cli(['jobs', 'list', '--batch', batchId, '--json'], operator).then(expectOk),
    ]);
    expect(shown.stdout).toContain('CLI conference');
    expect(shown.stdout).toContain('2 (pending 2, running 0, done 0, failed 0)');
    expect(shown.stdout).toContain('CLI conf - Keynote');

    const jobs = JSON.parse(listed.stdout) as {
      jobs: { job_name: string; status: string }[];
    };
    expect(jobs.jobs.map((j) => j.job_name).sort()).toEqual(['CLI conf - Closing', 'CLI conf - Keynote']);
  });

  it('pages jobs with --cursor: the printed next cursor continues the list; a bad one exits 5 naming cursor', async () => {
    const first = expectOk(await cli(['jobs', 'list', '--batch', batchId, '--limit', '1'], operator));
    const cursor = /next page: --cursor ([A-Za-z0-9_-]+)/.exec(first.stdout)?.[1] ?? '';
    expect(first.stdout).toMatch(/Showing 1 of 2/);
    expect(cursor).not.toBe('');
    const second = JSON.parse(
      expectOk(await cli(['jobs', 'list', '--batch', batchId, '--limit', '1', '--cursor', cursor, '--json'], operator)).stdout,
    ) as { jobs: { job_id: string }[]; next_cursor: string | null; total: number; total_exact: boolean };
    expect(second).toMatchObject({ total: 2, total_exact: true, next_cursor: null });
    expect(second.jobs).toHaveLength(1);
    expect(first.stdout).not.toContain(second.jobs[0]?.job_id);

    const [bad, both] = await Promise.all([
      cli(['jobs', 'list', '--cursor', 'bm9wZQ'], operator),
      cli(['batches', 'list', '--cursor', cursor, '--skip', '1'], operator),
    ]);
    expectOneLineError(bad, 5, /^error: Validation failed: cursor: /);
    expectOneLineError(both, 5, /^error: Validation failed: cursor: /);
  });

  it('restarts a cancelled job, and refuses to restart a pending one', async () => {
    const { jobs } = await client.job.list.query({ batch_id: batchId, search: 'Keynote' });
    const jobId = jobs[0]?.job_id ?? '';
    await client.job.cancel.mutate({ job_id: jobId, reason: 'test' });

    const shown = expectOk(await cli(['jobs', 'show', jobId], operator));
    expect(shown.stdout).toMatch(/failed/);
    expect(shown.stdout).toContain('CANCELLED: test');

    const restarted = expectOk(
      await cli(['jobs', 'restart', jobId, '--bypass-cache', '--language', 'es'], operator),
    );
    expect(restarted.stdout.trim()).toBe(`Restarted job ${jobId}: now pending.`);
    const job = await client.job.get.query({ job_id: jobId });
    expect(job).toMatchObject({ status: 'pending', parameters: { use_cache: false, target_language: 'es' } });

    expectOneLineError(await cli(['jobs', 'restart', jobId], operator), 6, /^error: Conflict: /);
  });

  it('restarts the failed jobs of a batch and archives it', async () => {
    const { jobs } = await client.job.list.query({ batch_id: batchId, search: 'Closing' });
    await client.job.cancel.mutate({ job_id: jobs[0]?.job_id ?? '' });

    const restarted = expectOk(await cli(['batches', 'restart', batchId], operator));
    expect(restarted.stdout.trim()).toBe(`Restarted 1 failed job(s) of ${batchId}.`);

    expectOk(await cli(['batches', 'archive', batchId], operator));
    const archived = JSON.parse(
      expectOk(await cli(['batches', 'list', '--archived', '--json'], operator)).stdout,
    ) as {
      batches: { batch_id: string }[];
    };
    expect(archived.batches.map((b) => b.batch_id)).toEqual([batchId]);
  });

  it('fails everything only with --yes when stdin is not a terminal, after saying how much', async () => {
    const token = await server.createToken(['read', 'write'], 'operator');
    const own = { EVENT_MONITOR_URL: server.url, EVENT_MONITOR_TOKEN: token };
    await createEventMonitorClient({ url: server.url, token }).batch.create.mutate({
      jobs: [{ parameters: { event: 'A', session: 'A1' } }, { parameters: { event: 'B', session: 'B1' } }],
    });

    expectOneLineError(
      await cli(['batches', 'fail-all'], own),
      2,
      /^error: Refusing to fail 2 job\(s\) in 1 batch\(es\) without --yes/,
    );
    const done = expectOk(await cli(['batches', 'fail-all', '--yes', '--reason', 'maintenance'], own));
    expect(done.stdout.trim()).toBe('Failed 2 job(s) in 1 batch(es).');
    expect(expectOk(await cli(['batches', 'fail-all'], own)).stdout).toMatch(/^Nothing to fail/);
  });

  it('bulk commands: a preview, then one request by filter; the counted question is the confirmation', async () => {
    const token = await server.createToken(['read', 'write'], 'operator');
    const own = { EVENT_MONITOR_URL: server.url, EVENT_MONITOR_TOKEN: token };
    const mine = createEventMonitorClient({ url: server.url, token });
    const a = await mine.batch.create.mutate({
      jobs: [{ parameters: { event: 'Bulk', session: 'One' } }, { parameters: { event: 'Bulk', session: 'Two' } }],
    });
    const b = await mine.batch.create.mutate({ jobs: [{ parameters: { event: 'Bulk', session: 'Three' } }] });

    expectOneLineError(
      await cli(['jobs', 'bulk-cancel', '--reason', 'stop'], own),
      2,
      /^error: Refusing to cancel 3 job\(s\) in 2 batch\(es\) without --yes/,
    );
    const one = expectOk(await cli(['jobs', 'bulk-cancel', '--yes', '--reason', 'stop', '--search', 'two'], own));
    expect(one.stdout.trim()).toBe('cancel: changed 1 of 1 job(s) in 1 batch(es), skipped 0.');
    // Two batches: the server wants the typed phrase, which the CLI sends once the user said yes.
    const rest = expectOk(await cli(['jobs', 'bulk-cancel', '--yes', '--reason', 'stop'], own));
    expect(rest.stdout.trim()).toBe('cancel: changed 2 of 2 job(s) in 2 batch(es), skipped 0.');
    const ids = `${a.batch.batch_id},${b.batch.batch_id}`;
    const restarted = expectOk(await cli(['jobs', 'bulk-restart', '--batch-ids', ids, '--status', 'failed', '--reason', 'again', '--yes'], own));
    expect(restarted.stdout.trim()).toBe('restart: changed 3 of 3 job(s) in 2 batch(es), skipped 0.');
    expect(expectOk(await cli(['jobs', 'bulk-restart', '--reason', 'again'], own)).stdout).toMatch(/^Nothing to do/);
  });

  it('the commands generated from the operation table: toggle-active, change-language(-all), cancel, set-all-pending, delete', async () => {
    const token = await server.createToken(['read', 'write'], 'operator');
    const own = { EVENT_MONITOR_URL: server.url, EVENT_MONITOR_TOKEN: token };
    const mine = createEventMonitorClient({ url: server.url, token });
    const { batch, job_ids } = await mine.batch.create.mutate({
      jobs: [{ parameters: { event: 'Gen', session: 'One' } }, { parameters: { event: 'Gen', session: 'Two' } }],
    });
    const id = batch.batch_id;
    const [first, second] = job_ids as [string, string];

    expect(expectOk(await cli(['batches', 'toggle-active', id], own)).stdout.trim()).toBe(`Batch ${id} active: no.`);
    expect(expectOk(await cli(['batches', 'toggle-active', id, '--no-active'], own)).stdout.trim()).toBe(`Batch ${id} active: no.`);
    expect(expectOk(await cli(['batches', 'toggle-active', id, '--active'], own)).stdout.trim()).toBe(`Batch ${id} active: yes.`);

    expect(expectOk(await cli(['batches', 'change-language', id, 'fr'], own)).stdout.trim()).toBe(
      `Changed 2 job(s) of ${id} to fr; restarted 0, skipped 0.`,
    );
    // The same operation's second command: every current batch the caller may change, after a yes.
    const other = await mine.batch.create.mutate({ jobs: [{ parameters: { event: 'Gen', session: 'Three' } }] });
    expectOneLineError(
      await cli(['batches', 'change-language-all', 'de'], own),
      2,
      /^error: Refusing to change the target language of every job of all current batches to de without --yes/,
    );
    expect((await mine.job.get.query({ job_id: second })).parameters).toMatchObject({ target_language: 'fr' });
    expect(expectOk(await cli(['batches', 'change-language-all', 'de', '--yes'], own)).stdout.trim()).toBe(
      'Changed 3 job(s) of all current batches to de; restarted 0, skipped 0.',
    );
    expect((await mine.job.get.query({ job_id: second })).parameters).toMatchObject({ target_language: 'de' });
    expect((await mine.job.get.query({ job_id: other.job_ids[0] as string })).parameters).toMatchObject({ target_language: 'de' });
    expect(expectOk(await cli(['jobs', 'cancel', first, '--reason', 'wrong room'], own)).stdout.trim()).toBe(
      `Cancelled job ${first}: now failed.`,
    );
    const changed = JSON.parse(expectOk(await cli(['jobs', 'change-language', first, 'es', '--reset-to-pending', '--json'], own)).stdout) as object;
    expect(changed).toEqual({ updated: 1, restarted: 1, skipped: 0 });
    expect(await mine.job.get.query({ job_id: first })).toMatchObject({ status: 'pending', parameters: { target_language: 'es' } });
    expectOneLineError(await cli(['jobs', 'change-language', first, 'xx'], own), 5, /^error: Validation failed: target_language/);

    await mine.job.cancel.mutate({ job_id: second });
    expectOneLineError(
      await cli(['batches', 'set-all-pending'], own),
      2,
      /^error: Refusing to restart 1 job\(s\) in 1 batch\(es\) without --yes/,
    );
    expect(expectOk(await cli(['batches', 'set-all-pending', '--yes', '--reason', 'encoder fixed'], own)).stdout.trim()).toBe(
      'Restarted 1 job(s) in 1 batch(es).',
    );
    expect(expectOk(await cli(['batches', 'set-all-pending'], own)).stdout.trim()).toBe('Nothing to restart: no failed or completed jobs.');

    expectOneLineError(await cli(['jobs', 'delete', second], own), 2, /^error: Refusing to delete job .* without --yes/);
    expect(expectOk(await cli(['jobs', 'delete', second, '--yes', '--reason', 'duplicate'], own)).stdout.trim()).toBe(`Deleted job ${second}.`);
    expect(expectOk(await cli(['batches', 'delete', id, '-y'], own)).stdout.trim()).toBe(`Deleted batch ${id} and its 1 job(s).`);
    expectOneLineError(await cli(['batches', 'delete', id, '-y'], own), 4, /^error: Not found: /);
    // Seventeen processes in a row (tsx start-up each): more than the default 30 s on a loaded machine.
  }, 360_000);

  it('schedules a batch: create with --not-before and --deadline, then batches schedule removes the start', async () => {
    const file = join(dir, 'scheduled.json');
    await writeFile(file, JSON.stringify([{ parameters: { event: 'CLI conf', session: 'Later' } }]));
    const notBefore = new Date(Date.now() + 3_600_000).toISOString();
    const deadline = new Date(Date.now() + 7_200_000).toISOString();
    const created = JSON.parse(
      expectOk(await cli(['batches', 'create', '--file', file, '--not-before', notBefore, '--deadline', deadline, '--json'], operator)).stdout,
    ) as { batch: { batch_id: string; not_before: string; deadline: string; deadline_risk: string } };
    expect(created.batch).toMatchObject({ deadline_risk: 'unknown' });
    expect(new Date(created.batch.not_before).toISOString()).toBe(notBefore);
    const id = created.batch.batch_id;
    expect(expectOk(await cli(['batches', 'schedule', id, '--not-before', ''], operator)).stdout.trim()).toBe(`Scheduled batch ${id}.`);
    const shown = JSON.parse(expectOk(await cli(['batches', 'schedule', id, '--json', '--deadline', deadline], operator)).stdout) as Record<string, unknown>;
    expect(shown).not.toHaveProperty('not_before');
    expectOneLineError(await cli(['batches', 'schedule', id, '--deadline', 'soon'], operator), 5, /deadline/);
  }, 120_000);

  it('notifications: subscribe a webhook (secret printed once), send a test, read the log, delete', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['webhook-signature']));
        res.end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const created = expectOk(await cli(['notifications', 'create', 'ci hook', url, '--events', 'batch.finished,job.failed'], admin));
      const [, id, secret] = /^Created (sub-[0-9a-f-]+)\. Secret \(shown once\): (whsec_\S+)$/.exec(created.stdout.trim()) ?? [];
      expect(secret).toBeDefined();
      expect(expectOk(await cli(['notifications', 'test', id!], admin)).stdout.trim()).toMatch(/^Test delivery msg_\w+: delivered\.$/);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^v1,/);
      const log = JSON.parse(expectOk(await cli(['notifications', 'deliveries', id!, '--json'], admin)).stdout) as { deliveries: { attempts: { status_code: number }[] }[] };
      expect(log.deliveries[0]?.attempts[0]?.status_code).toBe(200);
      const listed = expectOk(await cli(['notifications', 'list', '--json'], admin)).stdout;
      expect(listed).toContain(id!);
      expect(listed).not.toContain(secret!.slice(6));
      // The operator cannot see or touch the admin's subscription (404 -> exit 4); a loopback target is refused (exit 5, naming url).
      expectOneLineError(await cli(['notifications', 'test', id!], operator), 4, /not found/);
      expectOneLineError(await cli(['notifications', 'create', 'mine', url, '--events', 'job.failed'], operator), 5, /url/);
      expectOk(await cli(['notifications', 'delete', id!, '--yes'], admin));
      expect(expectOk(await cli(['notifications', 'list', '--json'], admin)).stdout).not.toContain(id!);
    } finally {
      receiver.close();
    }
  }, 120_000);

  it('manages tokens and users as an admin; a revoked token is refused at once', async () => {
    const created = expectOk(
      await cli(['tokens', 'create', '--name', 'ci', '--scopes', 'read', '--json'], admin),
    );
    expect(created.stderr).toMatch(/shown only once/);
    const token = JSON.parse(created.stdout) as { id: string; token: string; scopes: string[] };
    expect(token).toMatchObject({ scopes: ['read'], token: expect.stringMatching(/^em_/) });

    const withNew = { EVENT_MONITOR_URL: server.url, EVENT_MONITOR_TOKEN: token.token };
    const [me, tokens] = await Promise.all([cli(['whoami'], withNew), cli(['tokens', 'list'], admin)]);
    expect(expectOk(me).stdout).toMatch(/Scopes\s*│\s*read/);
    expect(expectOk(tokens).stdout).toMatch(new RegExp(`${token.id}\\s*│\\s*ci`));
    expectOk(await cli(['tokens', 'revoke', token.id], admin));
    expectOneLineError(
      await cli(['whoami'], withNew),
      3,
      /^error: Not signed in: the token was refused \(401\)$/,
    );

    const user = expectOk(
      await cli(
        ['users', 'create', '--email', 'ops@test.local', '--name', 'Ops', '--role', 'operator'],
        admin,
      ),
    );
    const password = /^Password: (\S{10,})$/m.exec(user.stdout)?.[1];
    expect(password).toBeDefined();
    const userId = /User id\s*│\s*(\S+)/.exec(user.stdout)?.[1] ?? '';
    expect(expectOk(await cli(['users', 'set-role', userId, 'viewer'], admin)).stdout.trim()).toBe(
      'ops@test.local is now viewer.',
    );
    const [listed, refused] = await Promise.all([
      cli(['users', 'list', '--json'], admin),
      cli(['users', 'list'], operator),
    ]);
    const users = JSON.parse(expectOk(listed).stdout) as { email: string; role: string }[];
    expect(users).toContainEqual(expect.objectContaining({ email: 'ops@test.local', role: 'viewer' }));
    // an operator is not an admin
    expectOneLineError(refused, 3, /^error: Not allowed: Admins only \(403\)$/);
  });

  describe('errors: one line on stderr and a documented exit code', () => {
    it('a bad token exits 3', async () => {
      const wrong = { EVENT_MONITOR_URL: server.url, EVENT_MONITOR_TOKEN: 'em_wrong' };
      const [refused, flagWins] = await Promise.all([
        cli(['batches', 'list'], wrong),
        // --token wins over the environment
        cli(['batches', 'list', '--token', operator['EVENT_MONITOR_TOKEN'] ?? ''], wrong),
      ]);
      expectOneLineError(refused, 3, /^error: Not signed in: the token was refused \(401\)$/);
      expectOk(flagWins);
    });

    it('an unknown batch exits 4', async () => {
      expectOneLineError(
        await cli(['batches', 'show', 'batch-nope'], operator),
        4,
        /^error: Not found: .*batch-nope/,
      );
    });

    it('an invalid batch file exits 5 naming the field', async () => {
      const file = join(dir, 'invalid.json');
      await writeFile(
        file,
        JSON.stringify({ jobs: [{ parameters: { event: 'X', session: 'S', video_url: 'ftp://example.org/v' } }] }),
      );
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{"jobs": [');
      const [invalid, notJson] = await Promise.all([
        cli(['batches', 'create', '--file', file], operator),
        cli(['batches', 'create', '--file', broken], operator),
      ]);
      expectOneLineError(
        invalid,
        5,
        /^error: Validation failed: jobs\.0\.parameters\.video_url: Must be an http\(s\) URL$/,
      );
      expectOneLineError(notJson, 5, /^error: broken\.json is not valid JSON/);
    });

    it('usage mistakes exit 2, a missing token 3, an unreachable server 1', async () => {
      const [badLimit, badStatus, missingFile, noToken, unreachable] = await Promise.all([
        cli(['batches', 'list', '--limit', 'many'], operator),
        cli(['jobs', 'list', '--status', 'done'], operator),
        cli(['batches', 'create', '--file', join(dir, 'missing.json')], operator),
        cli(['batches', 'list'], { EVENT_MONITOR_URL: server.url }),
        cli(['batches', 'list', '--url', 'http://127.0.0.1:1'], operator),
      ]);
      expect(badLimit).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--limit.*Not a whole number/),
      });
      expect(badStatus).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/Allowed choices are pending, processing/),
      });
      expectOneLineError(missingFile, 2, /^error: Cannot read .*missing\.json \(ENOENT\)$/);
      expectOneLineError(noToken, 3, /^error: No API token/);
      expectOneLineError(unreachable, 1, /^error: Cannot reach the server at http:\/\/127\.0\.0\.1:1 /);
    });
  });
});
