import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBatchFile } from './batches.command';
import { CliError, ExitCode, exitCodeOf } from './exit-codes';
import type { CliIo } from './output';
import { runCli } from './program';

/** runCli in-process with captured output; nothing here reaches a server. */
async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    interactive: false,
    confirm: async () => false,
  };
  const code = await runCli(argv, io, env);
  return { code, stdout, stderr };
}

describe('runCli without a server', () => {
  it('prints help with the exit codes and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('batches');
    expect(stdout).toMatch(/Exit codes:[\s\S]*3 auth/);
  });

  it('exits 2 on usage mistakes, after commander says what is wrong', async () => {
    const unknown = await run(['batches', 'lst']);
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toMatch(/unknown command 'lst'/);
    expect((await run(['users', 'set-role', 'u1', 'superuser'], { EVENT_MONITOR_TOKEN: 't' })).code).toBe(
      ExitCode.USAGE,
    );
    expect(
      (await run(['tokens', 'create', '--name', 'x', '--scopes', 'read,root'], { EVENT_MONITOR_TOKEN: 't' }))
        .code,
    ).toBe(ExitCode.USAGE);
    expect((await run(['batches'])).code).toBe(ExitCode.USAGE);
  });

  it('exits 3 without a token and 2 with a URL that is not http(s), before any request', async () => {
    expect(await run(['batches', 'list'])).toEqual({
      code: ExitCode.AUTH,
      stdout: '',
      stderr: 'error: No API token: pass --token or set EVENT_MONITOR_TOKEN\n',
    });
    const badEnv = await run(['batches', 'list'], { EVENT_MONITOR_URL: 'ftp://x', EVENT_MONITOR_TOKEN: 't' });
    expect(badEnv).toMatchObject({
      code: ExitCode.USAGE,
      stderr: 'error: EVENT_MONITOR_URL: Must be an http(s) URL\n',
    });
    const badFlag = await run(['batches', 'list', '--url', 'localhost:3000'], { EVENT_MONITOR_TOKEN: 't' });
    expect(badFlag).toMatchObject({
      code: ExitCode.USAGE,
      stderr: 'error: --url: localhost:3000 is not an http(s) URL\n',
    });
  });
});

describe('readBatchFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a bare array as the jobs of a new batch', async () => {
    const file = join(dir, 'jobs.json');
    await writeFile(file, '[{"parameters":{"event":"E"}}]');
    expect(await readBatchFile(file)).toEqual({ jobs: [{ parameters: { event: 'E' } }] });
  });

  it('refuses a file that is not JSON with the validation exit code', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, 'event,session\nE,S\n');
    const error = await readBatchFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(exitCodeOf(error)).toBe(ExitCode.VALIDATION);
    expect((error as Error).message).toMatch(/^bad\.json is not valid JSON/);
  });
});
