import { call, jobsInput, useRestHandler } from '../test-support/rest-fixtures';

const rest = useRestHandler({ clean: ['Job', 'Batch', 'AuditEvent'] });

async function created(token = 'owner-token', body: Record<string, unknown> = {}) {
  const res = await call(rest.handler, 'POST', 'batches', { token, body: { jobs: jobsInput(2), ...body } });
  expect(res.status).toBe(201);
  return res.json.data as { batch: { batch_id: string; batch_name: string }; batch_id: string; job_ids: string[] };
}

describe('the seed contract of POST batches', () => {
  it('answers data.batch_id and a message besides data.batch (backward compatible)', async () => {
    const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { batch_name: 'FOSDEM', jobs: jobsInput(2) } });
    expect(res.status).toBe(201);
    expect(res.json.message).toBe('Batch created');
    expect(res.json.data.batch_id).toBe(res.json.data.batch.batch_id);
    expect(res.json.data.job_ids).toHaveLength(2);
    expect(res.json.data.batch).toMatchObject({ batch_name: 'FOSDEM', total_jobs: 2 });
  });

  it('names a batch without a name "Batch <ISO date>"', async () => {
    const { batch, batch_id } = await created();
    expect(batch.batch_name).toMatch(/^Batch \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(batch.batch_name).not.toContain(batch_id);
  });

  it('carries a message on every success answer, reads included', async () => {
    const { batch_id, job_ids } = await created();
    for (const path of ['batches', `batches/${batch_id}`, `jobs/${job_ids[0]}`, 'batches/stats', 'jobs']) {
      const res = await call(rest.handler, 'GET', path, { token: 'owner-token' });
      expect({ path, status: res.status, message: typeof res.json.message }).toEqual({ path, status: 200, message: 'string' });
    }
  });

  it('refuses a job with neither session nor URL: 400 naming the field, nothing stored', async () => {
    const jobs = [{ parameters: { session: 'fine' } }, { parameters: { event: 'only an event' } }];
    const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.details.fieldErrors)).toEqual(['jobs.1.parameters.session']);
    expect(await rest.deps.models.Batch.countDocuments()).toBe(0);
    expect(await rest.deps.models.Job.countDocuments()).toBe(0);
    // The untouched create form: one row with nothing in it.
    const empty = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: [{ parameters: {} }] } });
    expect(empty.status).toBe(400);
    expect(empty.json.details.fieldErrors).toHaveProperty(['jobs.0.parameters.session']);
  });

  it('accepts a URL without a session, and a job of another type without either', async () => {
    const res = await call(rest.handler, 'POST', 'batches', {
      token: 'owner-token',
      body: {
        jobs: [
          { parameters: { url: 'https://example.org/t' } },
          { parameters: { video_url: 'https://example.org/t.mp4' } },
          { job_type: 'cleanup', parameters: {} },
        ],
      },
    });
    expect(res.status).toBe(201);
  });

  it('names only the malformed URL of a row that has one, not the missing session too', async () => {
    const res = await call(rest.handler, 'POST', 'batches', {
      token: 'owner-token',
      body: { jobs: [{ parameters: { video_url: 'not a url' } }] },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.details.fieldErrors)).toEqual(['jobs.0.parameters.video_url']);
  });

  it('keeps job type, priority, max attempts and event_type of the created jobs', async () => {
    const res = await call(rest.handler, 'POST', 'batches', {
      token: 'owner-token',
      body: { visibility: 'public', jobs: [{ job_type: 'transcribe', priority: 5, max_attempts: 2, event_type: 'conference', parameters: { session: 'S' } }] },
    });
    expect(res.status).toBe(201);
    const job = await call(rest.handler, 'GET', `jobs/${res.json.data.job_ids[0]}`, { token: 'owner-token' });
    expect(job.json.data.job).toMatchObject({ job_type: 'transcribe', priority: 5, max_attempts: 2, event_type: 'conference' });
    expect(res.json.data.batch.access_control.visibility).toBe('public');
  });
});

describe('rights on the batch read', () => {
  it('says what the caller may do: owner everything, another operator on a public batch nothing, a viewer nothing', async () => {
    const { batch_id } = await created('owner-token', { visibility: 'public' });
    const can = async (token: string) => (await call(rest.handler, 'GET', `batches/${batch_id}`, { token })).json.data.batch.can;
    expect(await can('owner-token')).toEqual({ write: true, admin: true });
    expect(await can('other-token')).toEqual({ write: false, admin: false });
    expect(await can('viewer-token')).toEqual({ write: false, admin: false });
    expect(await can('admin-token')).toEqual({ write: true, admin: true });
    const listed = await call(rest.handler, 'GET', 'batches', { token: 'other-token' });
    expect(listed.json.data.batches.find((b: { batch_id: string }) => b.batch_id === batch_id).can).toEqual({ write: false, admin: false });
  });
});

describe('POST batches/{id}/rename', () => {
  it('renames a batch the caller may write and records who did it', async () => {
    const { batch_id, batch } = await created();
    const res = await call(rest.handler, 'POST', `batches/${batch_id}/rename`, { token: 'owner-token', body: { batch_name: '  FOSDEM 2026  ' } });
    expect(res.status).toBe(200);
    expect(res.json.message).toBe('Batch renamed');
    expect(res.json.data.batch).toMatchObject({ batch_id, batch_name: 'FOSDEM 2026' });
    const audit = await rest.deps.models.AuditEvent.findOne({ action: 'batch.rename' }).lean();
    expect(audit).toMatchObject({ actor: { user_id: 'olga' }, target: { ids: [batch_id] }, details: { from: batch.batch_name, to: 'FOSDEM 2026' } });
  });

  it('refuses an empty name (400), another operator (403 on a public batch, 404 on a private one) and a viewer (403)', async () => {
    const { batch_id } = await created('owner-token', { visibility: 'public' });
    const { batch_id: privateId } = await created();
    const rename = (token: string, id: string, batch_name: unknown) => call(rest.handler, 'POST', `batches/${id}/rename`, { token, body: { batch_name } });
    expect((await rename('owner-token', batch_id, '   ')).status).toBe(400);
    expect((await rename('other-token', batch_id, 'mine now')).status).toBe(403);
    expect((await rename('other-token', privateId, 'mine now')).status).toBe(404);
    expect((await rename('viewer-token', batch_id, 'mine now')).status).toBe(403);
    expect((await rest.deps.models.Batch.findOne({ batch_id }).lean())?.batch_name).not.toBe('mine now');
    expect(await rest.deps.models.AuditEvent.countDocuments({ action: 'batch.rename' })).toBe(0);
  });
});

describe('POST jobs/{id}/update', () => {
  it("edits a pending job's parameters, name, priority and attempts", async () => {
    const { job_ids } = await created();
    const res = await call(rest.handler, 'POST', `jobs/${job_ids[0]}/update`, {
      token: 'owner-token',
      body: { job_name: 'Keynote', priority: 9, max_attempts: 5, parameters: { session: 'Keynote', url: 'https://example.org/k', target_language: 'fr' } },
    });
    expect(res.status).toBe(200);
    expect(res.json.message).toBe('Job updated');
    expect(res.json.data.job).toMatchObject({
      job_name: 'Keynote',
      priority: 9,
      max_attempts: 5,
      status: 'pending',
      parameters: { session: 'Keynote', url: 'https://example.org/k', target_language: 'fr', source_language: 'en' },
    });
    // Replaced as a whole: the old event and track are gone.
    expect(res.json.data.job.parameters.event).toBeUndefined();
    const audit = await rest.deps.models.AuditEvent.findOne({ action: 'job.update' }).lean();
    expect(audit?.details).toMatchObject({ fields: expect.arrayContaining(['job_name', 'priority', 'max_attempts', 'parameters']) });
  });

  it('edits a failed job too, but not a processing or completed one (409, unchanged)', async () => {
    const { job_ids } = await created();
    const claim = async () => (await call(rest.handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w' } })).json.data;
    const first = await claim();
    await call(rest.handler, 'POST', `worker/jobs/${first.job.job_id}/fail`, {
      token: 'worker-token',
      body: { token: first.lease.token, error: { code: 'E', message: 'm' }, retryable: false },
    });
    const failedEdit = await call(rest.handler, 'POST', `jobs/${first.job.job_id}/update`, { token: 'owner-token', body: { priority: 4 } });
    expect(failedEdit.status).toBe(200);
    expect(failedEdit.json.data.job).toMatchObject({ status: 'failed', priority: 4 });

    const second = await claim();
    expect(job_ids).toContain(second.job.job_id);
    const processingEdit = await call(rest.handler, 'POST', `jobs/${second.job.job_id}/update`, { token: 'owner-token', body: { priority: 4 } });
    expect(processingEdit.status).toBe(409);
    expect((await rest.deps.models.Job.findOne({ job_id: second.job.job_id }).lean())?.priority).toBe(0);
  });

  it('refuses an edit that leaves a job without session and URL (400 naming the field)', async () => {
    const { job_ids } = await created();
    const res = await call(rest.handler, 'POST', `jobs/${job_ids[0]}/update`, { token: 'owner-token', body: { parameters: { event: 'E' } } });
    expect(res.status).toBe(400);
    expect(res.json.details.fieldErrors).toHaveProperty(['parameters.session']);
  });

  it('is for writers only: another operator 404 on a private batch, 403 on a public one; a viewer 403', async () => {
    const { job_ids } = await created();
    const { job_ids: publicJobs } = await created('owner-token', { visibility: 'public' });
    const edit = (token: string, id: string) => call(rest.handler, 'POST', `jobs/${id}/update`, { token, body: { priority: 1 } });
    expect((await edit('other-token', job_ids[0] as string)).status).toBe(404);
    expect((await edit('other-token', publicJobs[0] as string)).status).toBe(403);
    expect((await edit('viewer-token', publicJobs[0] as string)).status).toBe(403);
    expect(await rest.deps.models.AuditEvent.countDocuments({ action: 'job.update' })).toBe(0);
  });
});

describe('the OpenAPI document of the new routes', () => {
  it('documents rename and update, batch_id in the create answer, and message in every success envelope', async () => {
    const doc = (await call(rest.handler, 'GET', 'openapi.json')).json;
    expect(doc.paths['/api/event-job/batches/{batchId}/rename'].post.operationId).toBe('renameBatch');
    expect(doc.paths['/api/event-job/jobs/{jobId}/update'].post.operationId).toBe('updateJob');
    const created = doc.paths['/api/event-job/batches'].post.responses['201'].content['application/json'].schema;
    expect(created.required).toEqual(['status', 'data', 'message']);
    expect(created.properties.data.properties).toHaveProperty('batch_id');
    expect(created.properties.data.required).toContain('batch_id');
  });
});
