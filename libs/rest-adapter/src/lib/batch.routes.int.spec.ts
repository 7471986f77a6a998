import { call, jobsInput, useRestHandler } from '../test-support/rest-fixtures';

const rest = useRestHandler({ clean: ['Job', 'Batch'] });

async function createBatch(token = 'owner-token', extra: Record<string, unknown> = {}, n = 2) {
  const res = await call(rest.handler, 'POST', 'batches', { token, body: { jobs: jobsInput(n), ...extra } });
  expect(res.status).toBe(201);
  return res.json.data as { batch: { batch_id: string }; job_ids: string[] };
}

/** Claims and finishes every pending job: the first `failures` fail, the rest complete. */
async function processAll(failures = 0): Promise<void> {
  for (let i = 0; ; i++) {
    const { json } = await call(rest.handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
    if (!json.data.job) return;
    const { job, lease } = json.data;
    if (i < failures) {
      await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/fail`, { token: 'worker-token', body: { token: lease.token, error: { code: 'E', message: 'm' } } });
    } else {
      await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/complete`, { token: 'worker-token', body: { token: lease.token, results: {} } });
    }
  }
}

describe('batch routes', () => {
  it('POST batches creates a batch (201) and GET batches/{id} reads it with ISO dates', async () => {
    const res = await call(rest.handler, 'POST', 'batches', {
      token: 'owner-token',
      body: { batch_name: 'FOSDEM', jobs: jobsInput(3) },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'success', data: { batch: { batch_name: 'FOSDEM', total_jobs: 3, status: 'pending' } } });
    expect(res.json.data.job_ids).toHaveLength(3);
    const got = await call(rest.handler, 'GET', `batches/${res.json.data.batch.batch_id}`, { token: 'owner-token' });
    expect(got.status).toBe(200);
    expect(got.json.data.batch.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('POST batches: 400 names each failing field', async () => {
    const jobs = jobsInput(3).map((job, i) => (i === 1 ? { parameters: { ...job.parameters, video_url: 'javascript:alert(1)' } } : job));
    const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs, batch_name: 'x'.repeat(201), bogus: 1 } });
    expect(res.status).toBe(400);
    expect(res.json.status).toBe('error');
    expect(res.json.code).toBe('VALIDATION');
    expect(Object.keys(res.json.details.fieldErrors).sort()).toEqual(['batch_name', 'bogus', 'jobs.1.parameters.video_url']);
  });

  it('POST batches: a viewer is 403, a read-only token is 403, nobody is 401, a duplicate id 409', async () => {
    expect((await call(rest.handler, 'POST', 'batches', { token: 'viewer-token', body: { jobs: jobsInput(1) } })).status).toBe(403);
    const ro = await call(rest.handler, 'POST', 'batches', { token: 'owner-read-token', body: { jobs: jobsInput(1) } });
    expect(ro.status).toBe(403);
    expect(ro.json.message).toContain("'write'");
    expect((await call(rest.handler, 'POST', 'batches', { body: { jobs: jobsInput(1) } })).status).toBe(401);
    await createBatch('owner-token', { batch_id: 'batch-fixed' });
    const dup = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { batch_id: 'batch-fixed', jobs: jobsInput(1) } });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('CONFLICT');
  });

  it('GET batches walks newest first by cursor; a cursor of the job list is 400 naming cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { batch_name: `walk ${i}`, jobs: jobsInput(1) } });
      ids.push(res.json.data.batch.batch_id);
    }
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: string = next ? `&cursor=${next}` : '';
      const res = await call(rest.handler, 'GET', `batches?search=walk&limit=2${page}`, { token: 'owner-token' });
      expect(res.json.data).toMatchObject({ total: 5, total_exact: true });
      seen.push(...res.json.data.batches.map((b: { batch_id: string }) => b.batch_id));
      next = res.json.data.next_cursor;
    } while (next !== null && seen.length < 10);
    expect(seen).toEqual([...ids].reverse());
    const jobs = await call(rest.handler, 'GET', 'jobs?limit=1', { token: 'owner-token' });
    const foreign = await call(rest.handler, 'GET', `batches?cursor=${jobs.json.data.next_cursor}`, { token: 'owner-token' });
    expect(foreign.status).toBe(400);
    expect(Object.keys(foreign.json.details.fieldErrors)).toEqual(['cursor']);
  });

  it('GET batches: total respects the filters and the page', async () => {
    for (let i = 0; i < 5; i++) await createBatch('owner-token', { batch_name: `alpha ${i}` }, 1);
    for (let i = 0; i < 3; i++) await createBatch('owner-token', { batch_name: `beta ${i}` }, 1);
    await createBatch('other-token', { batch_name: 'alpha hidden' }, 1);

    const page = await call(rest.handler, 'GET', 'batches?search=alpha&limit=2&skip=1', { token: 'owner-token' });
    expect(page.status).toBe(200);
    expect(page.json.data).toMatchObject({ total: 5, limit: 2, skip: 1 });
    expect(page.json.data.batches).toHaveLength(2);

    const all = await call(rest.handler, 'GET', 'batches', { token: 'owner-token' });
    expect(all.json.data.total).toBe(8);
    const archivedNone = await call(rest.handler, 'GET', 'batches?archived=true', { token: 'owner-token' });
    expect(archivedNone.json.data.total).toBe(0);
    const byStatus = await call(rest.handler, 'GET', 'batches?status=completed', { token: 'owner-token' });
    expect(byStatus.json.data.total).toBe(0);

    const bad = await call(rest.handler, 'GET', 'batches?limit=0&archived=maybe&sortt=x', { token: 'owner-token' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors).sort()).toEqual(['archived', 'limit', 'sortt']);
  });

  it('GET batches/{id}: another user\'s private batch is 404, unknown 404', async () => {
    const { batch } = await createBatch();
    const hidden = await call(rest.handler, 'GET', `batches/${batch.batch_id}`, { token: 'other-token' });
    expect(hidden.status).toBe(404);
    expect(hidden.json).toEqual({ status: 'error', code: 'NOT_FOUND', message: expect.any(String) });
    expect((await call(rest.handler, 'GET', 'batches/batch-unknown', { token: 'owner-token' })).status).toBe(404);
  });

  it('archive, unarchive and toggle-active answer the batch', async () => {
    const { batch } = await createBatch();
    const id = batch.batch_id;
    const archived = await call(rest.handler, 'POST', `batches/${id}/archive`, { token: 'owner-token' });
    expect(archived.json.data.batch.archived).toBe(true);
    expect((await call(rest.handler, 'GET', 'batches?archived=true', { token: 'owner-token' })).json.data.total).toBe(1);
    const back = await call(rest.handler, 'POST', `batches/${id}/unarchive`, { token: 'owner-token' });
    expect(back.json.data.batch.archived).toBe(false);

    const off = await call(rest.handler, 'POST', `batches/${id}/toggle-active`, { token: 'owner-token' });
    expect(off.json.data.batch.isActive).toBe(false);
    // An inactive batch hands out nothing.
    const none = await call(rest.handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } });
    expect(none.json.data.job).toBeNull();
    const on = await call(rest.handler, 'POST', `batches/${id}/toggle-active`, { token: 'owner-token', body: { active: true } });
    expect(on.json.data.batch.isActive).toBe(true);
    const stillOn = await call(rest.handler, 'POST', `batches/${id}/toggle-active`, { token: 'owner-token', body: { active: true } });
    expect(stillOn.json.data.batch.isActive).toBe(true);
    const bad = await call(rest.handler, 'POST', `batches/${id}/toggle-active`, { token: 'owner-token', body: { active: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fieldErrors).toHaveProperty('active');

    const viewer = await call(rest.handler, 'POST', `batches/${id}/archive`, { token: 'viewer-token' });
    expect(viewer.status).toBe(403);
  });

  it('restart (failed | all) answers {restarted}', async () => {
    const { batch } = await createBatch('owner-token', {}, 3);
    await processAll(1);
    const failed = await call(rest.handler, 'POST', `batches/${batch.batch_id}/restart`, { token: 'owner-token' });
    expect(failed.json.data).toEqual({ restarted: 1 });
    await processAll(0);
    const all = await call(rest.handler, 'POST', `batches/${batch.batch_id}/restart`, { token: 'owner-token', body: { scope: 'all' } });
    expect(all.json.data).toEqual({ restarted: 3 });
    const bad = await call(rest.handler, 'POST', `batches/${batch.batch_id}/restart`, { token: 'owner-token', body: { scope: 'some' } });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fieldErrors).toHaveProperty('scope');
  });

  it('fail-all (with preview) and set-all-pending answer {batches, jobs}', async () => {
    await createBatch('owner-token', {}, 2);
    await createBatch('owner-token', {}, 3);
    await createBatch('other-token', {}, 4);
    const preview = await call(rest.handler, 'GET', 'batches/fail-all/preview', { token: 'owner-token' });
    expect(preview.json.data).toEqual({ batches: 2, jobs: 5 });
    const failed = await call(rest.handler, 'POST', 'batches/fail-all', { token: 'owner-token', body: { reason: 'maintenance' } });
    expect(failed.status).toBe(200);
    expect(failed.json.data).toEqual({ batches: 2, jobs: 5 });
    expect(await rest.deps.models.Job.countDocuments({ status: 'pending' })).toBe(4);

    expect((await call(rest.handler, 'GET', 'batches/set-all-pending/preview', { token: 'owner-token' })).json.data).toEqual({ batches: 2, jobs: 5 });
    const again = await call(rest.handler, 'POST', 'batches/set-all-pending', { token: 'owner-token' });
    expect(again.json.data).toEqual({ batches: 2, jobs: 5 });
    expect(await rest.deps.models.Job.countDocuments({ status: 'pending' })).toBe(9);
    expect((await call(rest.handler, 'POST', 'batches/fail-all', { token: 'viewer-token' })).status).toBe(403);
  });

  it('change-language of a batch, with and without reset', async () => {
    const { batch, job_ids } = await createBatch('owner-token', {}, 2);
    const res = await call(rest.handler, 'POST', `batches/${batch.batch_id}/change-language`, { token: 'owner-token', body: { target_language: 'fr' } });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({ updated: 2, restarted: 0, skipped: 0 });
    const job = await call(rest.handler, 'GET', `jobs/${job_ids[0]}`, { token: 'owner-token' });
    expect(job.json.data.job.parameters.target_language).toBe('fr');
    const bad = await call(rest.handler, 'POST', `batches/${batch.batch_id}/change-language`, {
      token: 'owner-token',
      body: { target_language: 'xx', target: { all_current: true } },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors).sort()).toEqual(['target', 'target_language']);
  });

  it('stats counts the readable batches', async () => {
    await createBatch('owner-token', {}, 2);
    await createBatch('other-token', {}, 2);
    const res = await call(rest.handler, 'GET', 'batches/stats', { token: 'owner-token' });
    expect(res.status).toBe(200);
    expect(res.json.data.batches).toMatchObject({ total: 1, pending: 1 });
    expect(res.json.data.jobs).toMatchObject({ pending: 2 });
  });

  it('DELETE batches/{id} answers {deleted_jobs}; others may not', async () => {
    const { batch } = await createBatch('owner-token', { read_access: ['olga', 'otto'] }, 3);
    const forbidden = await call(rest.handler, 'DELETE', `batches/${batch.batch_id}`, { token: 'other-token' });
    expect(forbidden.status).toBe(403);
    const res = await call(rest.handler, 'DELETE', `batches/${batch.batch_id}`, { token: 'owner-token' });
    expect(res.json.data).toEqual({ deleted_jobs: 3 });
    expect((await call(rest.handler, 'GET', `batches/${batch.batch_id}`, { token: 'owner-token' })).status).toBe(404);
  });
});
