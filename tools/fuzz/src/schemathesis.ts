// Runs schemathesis (pinned in python/requirements.txt, installed into tools/fuzz/.venv) against a
// live server started here: every REST operation of /api/event-job/openapi.json, authenticated with
// one token of all scopes, on 127.0.0.1 only. Used by `npm run fuzz` (run.ts) and the smoke spec.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLiveServer, type LiveServer } from '@event-monitor/testing-live';
import { seedForFuzzing } from './seed';

const FUZZ_ROOT = resolve(__dirname, '..');

/** The checks every response must pass. */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
] as const;

/**
 * Operations not fuzzed, each with its reason. Nothing else is left out: a new route is fuzzed
 * as soon as it is in the OpenAPI document.
 */
export const SKIPPED_OPERATIONS: Record<string, string> = {
  // Empty on purpose. The long-poll claim is fuzzed with wait_seconds sent as 0 (python/hooks.py);
  // fail-all, set-all-pending and the deletes run against the seeded data of this run only.
};

/** Requests never sent (python/hooks.py), with the reason. */
export const SKIPPED_METHODS: Record<string, string> = {
  TRACE: 'not an operation of the API: server.mjs answers it with 405 before any handler (hostile-input suite); block it at the reverse proxy',
};

export interface FuzzOptions {
  /** Test cases per operation (schemathesis --max-examples). */
  maxExamples: number;
  seed?: number;
  /** Phases to run; default examples, coverage, fuzzing. */
  phases?: string[];
  workers?: number;
  /** Output of schemathesis goes here (default: this process's stdout). */
  onOutput?: (chunk: string) => void;
}

export interface FuzzResult {
  exitCode: number;
  /** Operations in the document, how many were fuzzed, and which (`GET /api/event-job/jobs`). */
  operations: { total: number; tested: number; names: string[] };
  /** Test cases (requests) sent, from schemathesis' own summary. */
  testCases: number | null;
  output: string;
}

function log(message: string): void {
  console.log(`[fuzz] ${message}`);
}

/** Creates or reuses tools/fuzz/.venv with the pinned schemathesis; returns the venv's python. */
export function ensureVenv(): string {
  const python = process.env['PYTHON'] ?? 'python3';
  const result = spawnSync(python, [join(FUZZ_ROOT, 'python', 'ensure_venv.py')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`could not prepare tools/fuzz/.venv (exit ${result.status ?? result.signal}); needs Python 3.10+ and PyPI`);
  }
  const lines = result.stdout.trim().split('\n');
  return lines[lines.length - 1] as string;
}

function countOperations(document: { paths: Record<string, Record<string, unknown>> }): number {
  return Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
}

/** Schemathesis' summary line "Test cases: 1234 generated, ..." (null when it changes its wording). */
function parseTestCases(output: string): number | null {
  const match = /Test cases:\s*\n?\s*(\d+) generated/.exec(output) ?? /(\d+) generated/.exec(output);
  return match ? Number(match[1]) : null;
}

function parseTested(output: string): number | null {
  const match = /API Operations:\s*\n?\s*Selected:\s*(\d+)\/(\d+)\s*\n?\s*Tested:\s*(\d+)/.exec(output);
  return match ? Number(match[3]) : null;
}

/** Starts the product, seeds it, runs schemathesis, stops everything. */
export async function runSchemathesis(options: FuzzOptions): Promise<FuzzResult> {
  const python = ensureVenv();
  const filesDir = mkdtempSync(join(tmpdir(), 'event-monitor-fuzz-files-'));
  const reportDir = mkdtempSync(join(tmpdir(), 'event-monitor-fuzz-report-'));
  let server: LiveServer | undefined;
  try {
    const started = Date.now();
    // Generated subscriptions name arbitrary hosts: this server sends no deliveries (fuzz targets 127.0.0.1 only).
    server = await startLiveServer({ env: { EVENT_FILES_DIR: filesDir, NOTIFY_SEND_INTERVAL_MS: '0' } });
    const token = await server.createToken(['worker', 'read', 'write'], 'operator');
    const ids = await seedForFuzzing(server.url, token, filesDir);
    log(`live server at ${server.url} (${Date.now() - started} ms), seeded ${ids.batch_ids.length} batches, ${ids.job_ids.length} jobs`);

    const document = (await (await fetch(`${server.url}/api/event-job/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const total = countOperations(document);
    // From a file: loaded from its URL, schemathesis leaves the document's own operation out.
    const schemaFile = join(reportDir, 'openapi.json');
    writeFileSync(schemaFile, JSON.stringify(document));
    const args = [
      '-m',
      'schemathesis.cli',
      'run',
      schemaFile,
      '--url',
      server.url,
      '--checks',
      CHECKS.join(','),
      '--header',
      `Authorization: Bearer ${token}`,
      '--max-examples',
      String(options.maxExamples),
      '--phases',
      (options.phases ?? ['examples', 'coverage', 'fuzzing']).join(','),
      '--workers',
      String(options.workers ?? 2),
      '--request-timeout',
      '30',
      '--generation-database',
      'none',
      '--no-color',
      '--report',
      'junit',
      '--report-dir',
      reportDir,
      ...(options.seed === undefined ? [] : ['--seed', String(options.seed)]),
      ...Object.keys(SKIPPED_OPERATIONS).flatMap((id) => ['--exclude-operation-id', id]),
    ];
    log(`schemathesis over ${total} operations, ${options.maxExamples} examples each${options.seed === undefined ? '' : `, seed ${options.seed}`}`);
    let output = '';
    const child = spawn(python, args, {
      cwd: reportDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SCHEMATHESIS_HOOKS: join(FUZZ_ROOT, 'python', 'hooks.py'),
        EVENT_MONITOR_FUZZ_IDS: JSON.stringify(ids),
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        NO_COLOR: '1',
      },
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      (options.onOutput ?? ((t: string) => process.stdout.write(t)))(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exitCode = await new Promise<number>((done) => {
      child.once('error', (error) => {
        output += `schemathesis could not start: ${error.message}\n`;
        done(1);
      });
      child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    });
    // The token is in the command line only; the report must not keep it.
    const names = testedOperations(reportDir);
    return {
      exitCode,
      operations: { total, tested: parseTested(output) ?? names.length, names },
      testCases: parseTestCases(output),
      output: output.split(token).join('<token>'),
    };
  } finally {
    await server?.stop();
    rmSync(filesDir, { recursive: true, force: true });
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The operations of the JUnit report (one test case per operation). */
function testedOperations(dir: string): string[] {
  const report = readdirSync(dir).find((name) => /^junit.*\.xml$/.test(name));
  if (!report) return [];
  const xml = readFileSync(join(dir, report), 'utf8');
  return [...xml.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((match) => match[1] as string);
}
