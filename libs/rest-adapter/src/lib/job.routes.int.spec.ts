import { call, jobsInput, useRestHandler } from '../test-support/rest-fixtures';

const rest = useRestHandler({ clean: ['Job', 'Batch'] });

async function createBatch(n: number, overrides: Record<string, unknown> = {}) {
  const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(n, overrides) } });
  expect(res.status).toBe(201);
  return res.json.data as { batch: { batch_id: string }; job_ids: string[] };
}

/** Claims and completes one job with results, returning its id. */
async function completeOne(): Promise<string> {
  const { json } = await call(rest.handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
  const { job, lease } = json.data;
  await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/progress`, { token: 'worker-token', body: { token: lease.token, progress: { step: 's', percent: 50 } } });
  const done = await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/complete`, {
    token: 'worker-token',
    body: { token: lease.token, results: { markdown_file: `sessions/${job.parameters.event}/de/${job.job_id}.md`, markdown_content: '# A' } },
  });
  expect(done.status).toBe(200);
  return job.job_id;
}

describe('job routes', () => {
  it('POST jobs creates a standalone job or one in a batch (201), GET jobs/{id} reads it', async () => {
    const standalone = await call(rest.handler, 'POST', 'jobs', { token: 'owner-token', body: { parameters: { event: 'E', session: 'S' } } });
    expect(standalone.status).toBe(201);
    expect(standalone.json.data.job).toMatchObject({ status: 'pending', job_name: 'E - S', parameters: { target_language: 'de' } });
    const { batch } = await createBatch(1);
    const inBatch = await call(rest.handler, 'POST', 'jobs', { token: 'owner-token', body: { batch_id: batch.batch_id, parameters: {} } });
    expect(inBatch.status).toBe(201);
    const batchAfter = await call(rest.handler, 'GET', `batches/${batch.batch_id}`, { token: 'owner-token' });
    expect(batchAfter.json.data.batch.total_jobs).toBe(2);
    const got = await call(rest.handler, 'GET', `jobs/${standalone.json.data.job.job_id}`, { token: 'owner-token' });
    expect(got.json.data.job.job_id).toBe(standalone.json.data.job.job_id);
    expect((await call(rest.handler, 'GET', `jobs/${standalone.json.data.job.job_id}`, { token: 'other-token' })).status).toBe(404);
    const bad = await call(rest.handler, 'POST', 'jobs', { token: 'owner-token', body: { parameters: { url: 'file:///etc/passwd' }, priorty: 1 } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors).sort()).toEqual(['parameters.url', 'priorty']);
    expect((await call(rest.handler, 'POST', 'jobs', { token: 'viewer-token', body: { parameters: {} } })).status).toBe(403);
  });

  it('GET jobs: filters, sort and a total that respects them', async () => {
    const a = await createBatch(4, { event: 'Alpha' });
    await createBatch(3, { event: 'Beta' });
    await completeOne();
    const ofBatch = await call(rest.handler, 'GET', `jobs?batch_id=${a.batch.batch_id}&limit=2`, { token: 'owner-token' });
    expect(ofBatch.json.data).toMatchObject({ total: 4, limit: 2, skip: 0 });
    expect(ofBatch.json.data.jobs).toHaveLength(2);
    const search = await call(rest.handler, 'GET', 'jobs?search=beta', { token: 'owner-token' });
    expect(search.json.data.total).toBe(3);
    const completed = await call(rest.handler, 'GET', 'jobs?status=completed', { token: 'owner-token' });
    expect(completed.json.data.total).toBe(1);
    expect(completed.json.data.jobs[0].has_results).toBe(true);
    const sorted = await call(rest.handler, 'GET', `jobs?batch_id=${a.batch.batch_id}&sort=job_name&direction=asc`, { token: 'owner-token' });
    const names = sorted.json.data.jobs.map((j: { job_name: string }) => j.job_name);
    expect(names).toHaveLength(4);
    expect(names).toEqual([...names].sort());
    // Other columns than created_at sort one batch's jobs only (no index across all jobs).
    const unbounded = await call(rest.handler, 'GET', 'jobs?sort=job_name&direction=asc', { token: 'owner-token' });
    expect(unbounded.status).toBe(400);
    expect(Object.keys(unbounded.json.details.fieldErrors)).toEqual(['sort.field']);
    const bad = await call(rest.handler, 'GET', 'jobs?sort=color&direction=up&limit=500', { token: 'owner-token' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors).sort()).toEqual(['limit', 'sort.direction', 'sort.field']);
    expect((await call(rest.handler, 'GET', 'jobs', { token: 'other-token' })).json.data.total).toBe(0);
  });

  it('GET jobs: the global view\'s filters (type, language, owner, time range) and word search; bad values are 400 naming the field', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const fr = await createBatch(2, { event: 'Walrus Summit', target_language: 'fr' });
    await createBatch(1, { event: 'Walrus Summit' });
    const typed = await call(rest.handler, 'POST', 'jobs', { token: 'owner-token', body: { job_type: 'ocr', parameters: { event: 'Walrus Summit', session: 'Scan' } } });
    expect(typed.status).toBe(201);
    const total = async (query: string) => {
      const res = await call(rest.handler, 'GET', `jobs?${query}`, { token: 'owner-token' });
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      return res.json.data.total as number;
    };
    expect(await total('search=walrus%20summ')).toBe(4);
    expect(await total('search=walrus&language=fr')).toBe(2);
    expect(await total('search=walrus&job_type=ocr')).toBe(1);
    expect(await total('search=walrus&owner=olga')).toBe(4);
    expect(await total('search=walrus&owner=nobody')).toBe(0);
    expect(await total(`search=walrus&created_from=${encodeURIComponent(before)}`)).toBe(4);
    expect(await total(`search=walrus&created_to=${encodeURIComponent(before)}`)).toBe(0);
    expect(await total(`search=${encodeURIComponent(fr.job_ids[0]!)}`)).toBe(1);
    for (const [query, field] of [
      ['created_from=yesterday', 'created_from'],
      ['language=xx', 'language'],
      [`created_from=${encodeURIComponent(before)}&created_to=${encodeURIComponent(before)}`, 'created_to'],
    ] as const) {
      const bad = await call(rest.handler, 'GET', `jobs?${query}`, { token: 'owner-token' });
      expect({ query, status: bad.status, fields: Object.keys(bad.json.details.fieldErrors) }).toEqual({ query, status: 400, fields: [field] });
    }
  });

  it('GET jobs pages with cursor and next_cursor; a bad cursor, or one with skip, is 400 naming cursor', async () => {
    const { batch, job_ids } = await createBatch(5);
    const seen: string[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const cursor: string = next ? `&cursor=${next}` : '';
      const res = await call(rest.handler, 'GET', `jobs?batch_id=${batch.batch_id}&sort=created_at&direction=asc&limit=2${cursor}`, { token: 'owner-token' });
      expect(res.status).toBe(200);
      expect(res.json.data).toMatchObject({ total: 5, total_exact: true, limit: 2, skip: 0 });
      seen.push(...res.json.data.jobs.map((j: { job_id: string }) => j.job_id));
      next = res.json.data.next_cursor;
      pages++;
    } while (next !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...job_ids].sort());

    const first = await call(rest.handler, 'GET', `jobs?batch_id=${batch.batch_id}&limit=2`, { token: 'owner-token' });
    const cursor = first.json.data.next_cursor as string;
    const refused = [
      `jobs?cursor=${cursor}&skip=2`,
      `jobs?batch_id=${batch.batch_id}&cursor=${cursor}&sort=job_name`,
      `jobs?cursor=${cursor.slice(0, -4)}`,
      `jobs?cursor=${'A'.repeat(513)}`,
      'jobs?cursor=not%20base64',
      `jobs?cursor=${Buffer.from('{"v":1}').toString('base64url')}`,
    ];
    for (const path of refused) {
      const res = await call(rest.handler, 'GET', path, { token: 'owner-token' });
      expect({ path, status: res.status, fields: Object.keys(res.json.details?.fieldErrors ?? {}) }).toEqual({ path, status: 400, fields: ['cursor'] });
    }
  });

  it('POST jobs/{id}/restart: completed -> pending, cleared; pending -> 409 INVALID_TRANSITION', async () => {
    await createBatch(1);
    const jobId = await completeOne();
    const res = await call(rest.handler, 'POST', `jobs/${jobId}/restart`, { token: 'owner-token', body: { bypass_cache: true, target_language: 'fr' } });
    expect(res.status).toBe(200);
    expect(res.json.data.job).toMatchObject({ status: 'pending', parameters: { use_cache: false, target_language: 'fr' } });
    expect(res.json.data.job.results).toBeUndefined();
    expect(res.json.data.job.progress).toBeUndefined();
    const again = await call(rest.handler, 'POST', `jobs/${jobId}/restart`, { token: 'owner-token' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('INVALID_TRANSITION');
    expect((await call(rest.handler, 'POST', `jobs/${jobId}/restart`, { token: 'viewer-token' })).status).toBe(403);
  });

  it('the legacy alias POST /api/event-job/{jobId}/restart behaves exactly like the new route', async () => {
    await createBatch(2);
    const first = await completeOne();
    const second = await completeOne();
    const viaNew = await call(rest.handler, 'POST', `jobs/${first}/restart`, { token: 'owner-token', body: { bypass_cache: true } });
    const viaOld = await call(rest.handler, 'POST', `${second}/restart`, { token: 'owner-token', body: { bypass_cache: true } });
    expect(viaOld.status).toBe(viaNew.status);
    // Everything but the job's own identity and timestamps must be the same.
    const strip = (job: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(job)
          .filter(([key]) => !['job_id', 'job_name', 'parameters', 'created_at', 'updated_at'].includes(key))
          .map(([key, value]) => [key, key === 'logs' ? (value as { message: string }[]).map((l) => l.message) : value]),
      );
    expect(strip(viaOld.json.data.job)).toEqual(strip(viaNew.json.data.job));
    // Same errors too.
    const oldAgain = await call(rest.handler, 'POST', `${second}/restart`, { token: 'owner-token' });
    const newAgain = await call(rest.handler, 'POST', `jobs/${first}/restart`, { token: 'owner-token' });
    expect([oldAgain.status, oldAgain.json.code]).toEqual([newAgain.status, newAgain.json.code]);
    expect((await call(rest.handler, 'POST', 'job-unknown/restart', { token: 'owner-token' })).status).toBe(404);
    expect((await call(rest.handler, 'POST', `${second}/restart`, { token: 'viewer-token' })).status).toBe(403);
    expect((await call(rest.handler, 'POST', `${second}/restart`)).status).toBe(401);
    // Only ids that look like job ids match the alias.
    expect((await call(rest.handler, 'POST', 'something/restart', { token: 'owner-token' })).status).toBe(404);
  });

  it('POST jobs/{id}/cancel fails a pending job with CANCELLED', async () => {
    const { job_ids } = await createBatch(1);
    const res = await call(rest.handler, 'POST', `jobs/${job_ids[0]}/cancel`, { token: 'owner-token', body: { reason: 'not needed' } });
    expect(res.json.data.job).toMatchObject({ status: 'failed', error: { code: 'CANCELLED', message: 'not needed' } });
  });

  it('POST jobs/change-language for one job and for all current batches', async () => {
    const { job_ids } = await createBatch(2);
    const one = await call(rest.handler, 'POST', 'jobs/change-language', {
      token: 'owner-token',
      body: { target: { job_id: job_ids[0] }, target_language: 'es' },
    });
    expect(one.json.data).toEqual({ updated: 1, restarted: 0, skipped: 0 });
    const all = await call(rest.handler, 'POST', 'jobs/change-language', {
      token: 'owner-token',
      body: { target: { all_current: true }, target_language: 'it', reset_to_pending: true },
    });
    expect(all.json.data).toEqual({ updated: 2, restarted: 0, skipped: 0 });
    const bad = await call(rest.handler, 'POST', 'jobs/change-language', { token: 'owner-token', body: { target_language: 'it' } });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fieldErrors).toHaveProperty('target');
  });

  it('GET jobs/{id}/logs with level and limit', async () => {
    await createBatch(1);
    const { json } = await call(rest.handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
    const { job, lease } = json.data;
    await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/logs`, {
      token: 'worker-token',
      body: {
        token: lease.token,
        entries: [
          { level: 'info', message: 'a', timestamp: '2026-01-01T00:00:01Z' },
          { level: 'error', message: 'b', timestamp: '2026-01-01T00:00:02Z' },
          { level: 'info', message: 'c', timestamp: '2026-01-01T00:00:03Z' },
        ],
      },
    });
    const info = await call(rest.handler, 'GET', `jobs/${job.job_id}/logs?level=info&limit=1`, { token: 'owner-token' });
    expect(info.json.data.logs).toEqual([{ level: 'info', message: 'c', timestamp: '2026-01-01T00:00:03.000Z' }]);
    const bad = await call(rest.handler, 'GET', `jobs/${job.job_id}/logs?level=warn`, { token: 'owner-token' });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fieldErrors).toHaveProperty('level');
  });

  it('DELETE jobs/{id}: owner deletes, counters follow; others 404/403', async () => {
    const { batch, job_ids } = await createBatch(2);
    expect((await call(rest.handler, 'DELETE', `jobs/${job_ids[0]}`, { token: 'other-token' })).status).toBe(404);
    expect((await call(rest.handler, 'DELETE', `jobs/${job_ids[0]}`, { token: 'owner-read-token' })).status).toBe(403);
    const res = await call(rest.handler, 'DELETE', `jobs/${job_ids[0]}`, { token: 'owner-token' });
    expect(res.json.data).toEqual({ job_id: job_ids[0], deleted: true });
    const b = await call(rest.handler, 'GET', `batches/${batch.batch_id}`, { token: 'owner-token' });
    expect(b.json.data.batch.total_jobs).toBe(1);
  });

  it('bulk: POST jobs/bulk/preview takes ids comma-separated or as a list; POST jobs/bulk/cancel needs the typed phrase across batches', async () => {
    const a = await createBatch(2);
    const b = await createBatch(1);
    const ids = `${a.batch.batch_id},${b.batch.batch_id}`;
    const preview = await call(rest.handler, 'POST', 'jobs/bulk/preview', { token: 'owner-token', body: { action: 'cancel', batch_ids: ids } });
    expect(preview.status).toBe(200);
    expect(preview.json.data).toMatchObject({ jobs: 3, batches: 2, confirm_required: true, confirm_phrase: 'cancel 3 jobs' });
    // A selection of thousands of ids fits (it would not fit a URL: a GET was refused with 431).
    const many = [a.batch.batch_id, ...Array.from({ length: 4_999 }, (_, i) => `b_${String(i).padStart(20, '0')}`)];
    const large = await call(rest.handler, 'POST', 'jobs/bulk/preview', { token: 'owner-token', body: { action: 'cancel', batch_ids: many } });
    expect(large.status).toBe(200);
    expect(large.json.data).toMatchObject({ jobs: 2, batches: 1 });
    const body = { batch_ids: [a.batch.batch_id, b.batch.batch_id], reason: 'stop' };
    const refused = await call(rest.handler, 'POST', 'jobs/bulk/cancel', { token: 'owner-token', body });
    expect(refused.status).toBe(400);
    expect(refused.json.details.fieldErrors.confirm).toEqual(['Type "cancel 3 jobs"']);
    expect((await call(rest.handler, 'POST', 'jobs/bulk/cancel', { token: 'owner-token', body: { batch_ids: body.batch_ids } })).status).toBe(400);
    const done = await call(rest.handler, 'POST', 'jobs/bulk/cancel', { token: 'owner-token', body: { ...body, confirm: 'cancel 3 jobs' } });
    expect(done.status).toBe(200);
    expect(done.json.data).toEqual({ action: 'cancel', matched: 3, changed: 3, skipped: 0, batches: 2, restarted: 0 });
    expect((await call(rest.handler, 'POST', 'jobs/bulk/cancel', { token: 'viewer-token', body })).status).toBe(403);
    expect((await call(rest.handler, 'GET', `jobs/${a.job_ids[0]}`, { token: 'owner-token' })).json.data.job.error.code).toBe('CANCELLED');
  });

  it('bulk progress: GET jobs/bulk/runs/{runId} answers the run started with that run_id, to its owner only', async () => {
    const runId = '0b7a1f52-8c3e-4d21-9a6b-5e4f3c2d1a09';
    const before = await call(rest.handler, 'GET', `jobs/bulk/runs/${runId}`, { token: 'owner-token' });
    expect(before.status).toBe(200);
    expect(before.json.data).toEqual({ run_id: runId, state: 'unknown', matched: 0, done: 0, changed: 0 });
    const a = await createBatch(3);
    const run = await call(rest.handler, 'POST', 'jobs/bulk/fail', { token: 'owner-token', body: { batch_ids: [a.batch.batch_id], reason: 'stop', run_id: runId } });
    expect(run.status).toBe(200);
    const after = await call(rest.handler, 'GET', `jobs/bulk/runs/${runId}`, { token: 'owner-token' });
    expect(after.json.data).toMatchObject({ run_id: runId, state: 'finished', action: 'fail', matched: 3, done: 3, changed: 3 });
    expect(typeof after.json.data.started_at).toBe('string');
    expect((await call(rest.handler, 'GET', `jobs/bulk/runs/${runId}`, { token: 'viewer-token' })).json.data.state).toBe('unknown');
    // A path id is taken as sent (the documented answers of a path-only GET have no 400).
    const other = await call(rest.handler, 'GET', 'jobs/bulk/runs/not-a-uuid', { token: 'owner-token' });
    expect(other.status).toBe(200);
    expect(other.json.data.state).toBe('unknown');
    const badBody = await call(rest.handler, 'POST', 'jobs/bulk/fail', { token: 'owner-token', body: { batch_ids: [a.batch.batch_id], reason: 'x', run_id: 42 } });
    expect(badBody.status).toBe(400);
    expect(JSON.stringify(badBody.json)).toContain('run_id');
  });
});
