import { mongo } from 'mongoose';
import type { DomainDeps } from '@event-monitor/domain';
import { useTestDatabase } from '@event-monitor/testing';
import { call, domainDeps, testHandler } from '../test-support/rest-fixtures';
import type { RestHandler } from './rest-handler';

const MONGODB_MAX_DOCUMENT = 16 * 1024 * 1024;
const db = useTestDatabase();
let deps: DomainDeps;
let handler: RestHandler;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
  // The REST door's body limit stays 16 MiB: these requests are within it, the job is not.
  handler = testHandler(deps);
});

/** A string of `chars` characters, 3 bytes each in UTF-8 (the worst a BMP character costs). */
const euros = (chars: number) => '€'.repeat(chars);

async function claim(): Promise<{ jobId: string; lease: string }> {
  const claimed = await call(handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w-size' } });
  expect(claimed.status).toBe(200);
  return { jobId: claimed.json.data.job.job_id, lease: claimed.json.data.lease.token };
}

async function storedSize(jobId: string): Promise<number> {
  const raw = await db.current.connection.collection('event_jobs').findOne({ job_id: jobId });
  return mongo.BSON.calculateObjectSize(raw as object);
}

function fieldsOf(answer: { json: { details?: { fieldErrors?: Record<string, string[]> } } }): string[] {
  return Object.keys(answer.json.details?.fieldErrors ?? {});
}

describe('what one job may hold stays under MongoDB 16 MiB', () => {
  it('a job filled to every limit over its life (parameters, logs appended, error, results) stays under 16 MiB', async () => {
    const created = await call(handler, 'POST', 'jobs', {
      token: 'owner-token',
      body: { parameters: { event: euros(500), session: euros(500), track: euros(500), speakers: Array.from({ length: 60 }, () => euros(200)) } },
    });
    expect(created.status).toBe(201);
    let { jobId, lease } = await claim();
    // 4 appends of 500 lines, each line at the per-line limit: the job keeps the newest 1000.
    const line = { level: 'info', message: `${euros(1365)}x` };
    for (let round = 0; round < 4; round += 1) {
      const appended = await call(handler, 'POST', `worker/jobs/${jobId}/logs`, {
        token: 'worker-token',
        body: { token: lease, entries: Array.from({ length: 500 }, () => line) },
      });
      expect(appended.status).toBe(200);
    }
    const failed = await call(handler, 'POST', `worker/jobs/${jobId}/fail`, {
      token: 'worker-token',
      body: { token: lease, retryable: true, error: { code: 'E', message: euros(4000), details: { text: euros(21_000) } } },
    });
    expect(failed.status).toBe(200);
    await deps.models.Job.updateOne({ job_id: jobId }, { $set: { available_at: new Date(0) } });
    ({ jobId, lease } = await claim());
    const progress = await call(handler, 'POST', `worker/jobs/${jobId}/progress`, {
      token: 'worker-token',
      body: { token: lease, progress: { step: 's', percent: 50, message: euros(1000) } },
    });
    expect(progress.status).toBe(200);

    // Results: the largest that fits, then one byte over in the biggest field.
    const results = {
      markdown_content: 'a'.repeat(5 * 1024 * 1024),
      web_text: euros(600_000),
      video_transcript: 'b'.repeat(400_000),
      // The event is all € signs: no letter or digit, so its folder is the fallback `event`.
      assets: Array.from({ length: 1000 }, (_, i) => `sessions/event/de/asset-${i}.png`),
    };
    const room = 8 * 1024 * 1024 - Buffer.byteLength(JSON.stringify(results)) - ',"attachments_text":""'.length;
    const tooMuch = { ...results, attachments_text: 'c'.repeat(room + 1) };
    const refused = await call(handler, 'POST', `worker/jobs/${jobId}/complete`, { token: 'worker-token', body: { token: lease, results: tooMuch } });
    expect({ status: refused.status, fields: fieldsOf(refused) }).toEqual({ status: 400, fields: ['results'] });

    const fits = { ...results, attachments_text: 'c'.repeat(room) };
    expect(Buffer.byteLength(JSON.stringify(fits))).toBe(8 * 1024 * 1024);
    const done = await call(handler, 'POST', `worker/jobs/${jobId}/complete`, { token: 'worker-token', body: { token: lease, results: fits } });
    expect(done.status).toBe(200);
    const size = await storedSize(jobId);
    expect(size).toBeLessThan(MONGODB_MAX_DOCUMENT);
    expect(size).toBeGreaterThan(12 * 1024 * 1024);
  }, 120_000);

  it('refuses a log line over 4 KiB of UTF-8 and parameters over 64 KiB, naming the field', async () => {
    const created = await call(handler, 'POST', 'jobs', { token: 'owner-token', body: { parameters: { event: 'E' } } });
    expect(created.status).toBe(201);
    const { jobId, lease } = await claim();
    const long = await call(handler, 'POST', `worker/jobs/${jobId}/logs`, {
      token: 'worker-token',
      body: { token: lease, entries: [{ level: 'info', message: 'ok' }, { level: 'info', message: euros(1366) }] },
    });
    expect({ status: long.status, fields: fieldsOf(long) }).toEqual({ status: 400, fields: ['entries.1.message'] });

    const params = await call(handler, 'POST', 'jobs', {
      token: 'owner-token',
      body: { parameters: { event: euros(500), session: euros(500), track: euros(500), filename: euros(500), speakers: Array.from({ length: 100 }, () => euros(200)) } },
    });
    expect({ status: params.status, fields: fieldsOf(params) }).toEqual({ status: 400, fields: ['parameters'] });
  });
});
