import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '@event-monitor/domain';
import { buildRequest, call, domainDeps, jobsInput, testHandler } from '../../test-support/rest-fixtures';
import type { RestHandler } from '../rest-handler';

const db = useTestDatabase();
let deps: DomainDeps;
let handler: RestHandler;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  handler = testHandler(deps);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
});

async function createBatch(n: number, token = 'owner-token', extra: Record<string, unknown> = {}) {
  const res = await call(handler, 'POST', 'batches', { token, body: { ...extra, jobs: jobsInput(n) } });
  expect(res.status).toBe(201);
  return res.json.data as { batch: { batch_id: string }; job_ids: string[] };
}

/** The body as the client reads it: the chunks, and the text. */
async function download(path: string, token = 'owner-token') {
  const response = await handler(buildRequest('GET', path, { token }));
  const chunks: string[] = [];
  // ignoreBOM keeps the byte-order mark in the text (the decoder drops it by default).
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(decoder.decode(value, { stream: true }));
  }
  return { response, chunks, text: chunks.join('') };
}

/** RFC 4180: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const DANGEROUS = [
  '=HYPERLINK("http://evil.example","x")',
  '+1+2',
  '-3',
  '@SUM(A1)',
  '\tcmd',
  '\rcmd',
  'a,"b"\nc',
];

describe('GET jobs/export/{csv|json}', () => {
  it('streams every job of a batch as CSV in pages, with cells safe from spreadsheet formulas', async () => {
    const { batch, job_ids } = await createBatch(1234);
    // Written as the legacy side could (no trimming), so tabs and carriage returns lead too.
    for (const [i, value] of DANGEROUS.entries()) {
      await deps.models.Job.collection.updateOne(
        { job_id: job_ids[i] },
        { $set: { 'parameters.session': value, job_name: value } },
      );
    }
    const { response, chunks, text } = await download(`jobs/export/csv?batch_id=${batch.batch_id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="jobs-${batch.batch_id}-[\\w-]+\\.csv"$`),
    );
    // The header, then one chunk per page of 500 rows: produced as read, not built whole.
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(text.startsWith('\uFEFFjob_id,batch_id,job_name,')).toBe(true);
    const rows = parseCsv(text.slice(1));
    const [header, ...jobs] = rows;
    expect(jobs).toHaveLength(1234);
    expect(new Set(jobs.map((row) => row[0]))).toEqual(new Set(job_ids));
    const session = header!.indexOf('session');
    const name = header!.indexOf('job_name');
    const byId = new Map(jobs.map((row) => [row[0], row]));
    for (const [i, value] of DANGEROUS.entries()) {
      const row = byId.get(job_ids[i]!)!;
      const expected = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
      expect({ value, cell: row[session] }).toEqual({ value, cell: expected });
      expect(row[name]).toBe(expected);
    }
    // No cell of the file starts a formula.
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it("exports JSON with the list's filter, strings defused, and honours limit", async () => {
    const { batch, job_ids } = await createBatch(30);
    await deps.models.Job.collection.updateOne(
      { job_id: job_ids[0] },
      { $set: { 'parameters.event': '=1+1' } },
    );
    await deps.models.Job.collection.updateMany(
      { job_id: { $in: job_ids.slice(0, 10) } },
      { $set: { status: 'failed', error: { code: 'E', message: '-bad\nsecond line' } } },
    );
    const { response, text } = await download(`jobs/export/json?batch_id=${batch.batch_id}&status=failed`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const jobs = JSON.parse(text) as {
      job_id: string;
      status: string;
      parameters: { event: string };
      error: { message: string };
    }[];
    expect(jobs).toHaveLength(10);
    expect(jobs.every((job) => job.status === 'failed' && job.error.message === "'-bad\nsecond line")).toBe(
      true,
    );
    expect(jobs.find((job) => job.job_id === job_ids[0])?.parameters.event).toBe("'=1+1");
    expect(
      JSON.parse((await download(`jobs/export/json?batch_id=${batch.batch_id}&limit=7`)).text),
    ).toHaveLength(7);
    expect(
      JSON.parse((await download(`jobs/export/json?batch_id=${batch.batch_id}&search=no-such-text`)).text),
    ).toEqual([]);
  });

  it("refuses another user's private batch (404 before any row) and leaves its jobs out of an unscoped export", async () => {
    const mine = await createBatch(3);
    const theirs = await createBatch(4, 'other-token');
    const refused = await call(handler, 'GET', `jobs/export/csv?batch_id=${theirs.batch.batch_id}`, {
      token: 'owner-token',
    });
    expect(refused.status).toBe(404);
    expect(refused.json).toMatchObject({ status: 'error', code: 'NOT_FOUND' });
    const all = parseCsv((await download('jobs/export/csv')).text.slice(1)).slice(1);
    expect(new Set(all.map((row) => row[0]))).toEqual(new Set(mine.job_ids));
    expect((await call(handler, 'GET', 'jobs/export/csv')).status).toBe(401);
    expect((await call(handler, 'GET', 'jobs/export/xlsx', { token: 'owner-token' })).status).toBe(404);
    expect((await call(handler, 'GET', 'jobs/export/csv?status=lost', { token: 'owner-token' })).status).toBe(
      400,
    );
    expect((await call(handler, 'GET', 'jobs/export/csv?colour=red', { token: 'owner-token' })).status).toBe(
      400,
    );
  });
});
