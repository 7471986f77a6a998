import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Ids that exist in the fuzzed database, so generated requests get past "not found". */
export interface SeededIds {
  batch_ids: string[];
  job_ids: string[];
  /** Paths under EVENT_FILES_DIR that a seeded, completed job names as its result. */
  files: string[];
}

export interface RestCall {
  status: number;
  // The envelope's data has a shape per route; the seeding reads a few known fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: { status: string; data?: any; message?: string; code?: string; details?: unknown };
}

/** One REST call with a Bearer token; the JSON envelope back. */
export async function rest(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestCall> {
  const response = await fetch(`${baseUrl}/api/event-job/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

function expectStatus(call: RestCall, status: number, what: string): RestCall {
  if (call.status !== status) throw new Error(`seeding: ${what} answered ${call.status}: ${JSON.stringify(call.json)}`);
  return call;
}

/**
 * Two batches of three jobs (one job under a lease), a standalone job, and a result file under
 * `filesDir` with the completed job that owns it. `token` needs the read, write and worker scopes.
 */
export async function seedForFuzzing(baseUrl: string, token: string, filesDir: string): Promise<SeededIds> {
  const ids: SeededIds = { batch_ids: [], job_ids: [], files: [] };
  for (const name of ['fuzz seed A', 'fuzz seed B']) {
    const jobs = [1, 2, 3].map((n) => ({ parameters: { event: 'fuzzcon', session: `${name} ${n}`, speakers: ['Ada'] } }));
    const created = expectStatus(await rest(baseUrl, token, 'POST', 'batches', { batch_name: name, jobs }), 201, 'create batch');
    ids.batch_ids.push(created.json.data.batch.batch_id);
    ids.job_ids.push(...(created.json.data.job_ids as string[]));
  }
  const standalone = expectStatus(
    await rest(baseUrl, token, 'POST', 'jobs', { job_name: 'standalone', parameters: { event: 'fuzzcon', session: 'alone' } }),
    201,
    'create job',
  );
  ids.job_ids.push(standalone.json.data.job.job_id);

  // The result file belongs to a job of its own, archived batch (a completion may name files only
  // under its job's sessions/<event>/<target_language>/, hence the parameters): fail-all and set-all-pending
  // (which clears results) only touch current batches, so the file stays readable all run long.
  const file = 'sessions/fuzzcon/de/result.md';
  await mkdir(dirname(join(filesDir, file)), { recursive: true });
  await writeFile(join(filesDir, file), '# Fuzz result\n');
  ids.files.push(file);
  const filesBatch = expectStatus(
    await rest(baseUrl, token, 'POST', 'batches', { batch_name: 'fuzz files', jobs: [{ job_type: 'fuzz-files', parameters: { event: 'fuzzcon', target_language: 'de', session: 'result' } }] }),
    201,
    'create batch',
  );
  const claimed = expectStatus(
    await rest(baseUrl, token, 'POST', 'worker/claim', { worker_id: 'fuzz-seed', job_types: ['fuzz-files'] }),
    200,
    'claim',
  );
  const { job, lease } = claimed.json.data;
  expectStatus(
    await rest(baseUrl, token, 'POST', `worker/jobs/${job.job_id}/complete`, { token: lease.token, results: { markdown_file: file } }),
    200,
    'complete',
  );
  expectStatus(await rest(baseUrl, token, 'POST', `batches/${filesBatch.json.data.batch.batch_id}/archive`), 200, 'archive');
  // A second job stays processing under a lease, for the heartbeat, progress, logs and fail routes.
  expectStatus(await rest(baseUrl, token, 'POST', 'worker/claim', { worker_id: 'fuzz-seed' }), 200, 'claim');
  return ids;
}
