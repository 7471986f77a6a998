import { call, jobsInput, testHandler, useRestHandler } from '../test-support/rest-fixtures';

const rest = useRestHandler({ clean: ['Job', 'Batch'] });

async function createBatch(n = 1): Promise<{ batch_id: string; job_ids: string[] }> {
  const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(n) } });
  expect(res.status).toBe(201);
  return { batch_id: res.json.data.batch.batch_id, job_ids: res.json.data.job_ids };
}

async function claim(body: Record<string, unknown> = { worker_id: 'w1' }, token = 'worker-token') {
  return call(rest.handler, 'POST', 'worker/claim', { token, body });
}

describe('worker protocol', () => {
  it('claim hands out a job with its parameters and a lease token, then {job: null} when none is left', async () => {
    const { job_ids } = await createBatch(1);
    const first = await claim({ worker_id: 'w1', lease_seconds: 60 });
    expect(first.status).toBe(200);
    expect(first.json.status).toBe('success');
    expect(first.json.data.job.job_id).toBe(job_ids[0]);
    expect(first.json.data.job.status).toBe('processing');
    expect(first.json.data.job.parameters).toMatchObject({ event: 'FOSDEM', session: 'Session 0', target_language: 'de' });
    expect(Object.keys(first.json.data.lease).sort()).toEqual(['expires_at', 'token']);
    expect(typeof first.json.data.lease.token).toBe('string');
    expect(new Date(first.json.data.lease.expires_at).toISOString()).toBe(first.json.data.lease.expires_at);
    expect(JSON.stringify(first.json.data.job)).not.toContain(first.json.data.lease.token);

    const second = await claim();
    expect(second.status).toBe(200);
    expect(second.json.data).toEqual({ job: null });
  });

  it('heartbeat, progress, logs and complete under the lease move the job to completed', async () => {
    const { batch_id } = await createBatch(1);
    const { json } = await claim();
    const jobId: string = json.data.job.job_id;
    const token: string = json.data.lease.token;
    const path = (action: string) => `worker/jobs/${jobId}/${action}`;

    const beat = await call(rest.handler, 'POST', path('heartbeat'), { token: 'worker-token', body: { token, lease_seconds: 120 } });
    expect(beat.status).toBe(200);
    expect(Date.parse(beat.json.data.expires_at)).toBeGreaterThan(Date.now() + 100_000);

    const progress = await call(rest.handler, 'POST', path('progress'), {
      token: 'worker-token',
      body: { token, progress: { step: 'transcribing', percent: 40, message: 'half way' } },
    });
    expect(progress.status).toBe(200);
    expect(progress.json.data).toEqual({ job_id: jobId });

    const logs = await call(rest.handler, 'POST', path('logs'), {
      token: 'worker-token',
      body: { token, entries: [{ level: 'info', message: 'one' }, { level: 'warning', message: 'two', timestamp: '2026-01-01T00:00:00Z' }] },
    });
    expect(logs.status).toBe(200);
    expect(logs.json.data).toEqual({ appended: 2 });

    const mid = await call(rest.handler, 'GET', `jobs/${jobId}`, { token: 'owner-token' });
    expect(mid.json.data.job.progress).toEqual({ step: 'transcribing', percent: 40, message: 'half way' });
    expect(mid.json.data.job.logs.map((l: { message: string }) => l.message)).toEqual(expect.arrayContaining(['one', 'two']));

    const done = await call(rest.handler, 'POST', path('complete'), {
      token: 'worker-token',
      body: { token, results: { markdown_file: 'sessions/FOSDEM/de/a.md', markdown_content: '# A', assets: [] } },
    });
    expect(done.status).toBe(200);
    expect(done.json.data).toEqual({ job_id: jobId, status: 'completed' });

    const job = await call(rest.handler, 'GET', `jobs/${jobId}`, { token: 'owner-token' });
    expect(job.json.data.job).toMatchObject({ status: 'completed', results: { markdown_file: 'sessions/FOSDEM/de/a.md' } });
    const batch = await call(rest.handler, 'GET', `batches/${batch_id}`, { token: 'owner-token' });
    expect(batch.json.data.batch).toMatchObject({ status: 'completed', completed_jobs: 1, processing_jobs: 0 });
  });

  it('fail: retryable goes back to pending with available_at; not retryable fails for good', async () => {
    await createBatch(2);
    const a = (await claim()).json.data;
    const retry = await call(rest.handler, 'POST', `worker/jobs/${a.job.job_id}/fail`, {
      token: 'worker-token',
      body: { token: a.lease.token, error: { code: 'NetworkError', message: 'timeout' }, retryable: true },
    });
    expect(retry.status).toBe(200);
    expect(retry.json.data).toMatchObject({ job_id: a.job.job_id, status: 'pending', attempts: 1 });
    expect(Date.parse(retry.json.data.available_at)).toBeGreaterThan(Date.now());

    const b = (await claim()).json.data;
    expect(b.job.job_id).not.toBe(a.job.job_id);
    const fail = await call(rest.handler, 'POST', `worker/jobs/${b.job.job_id}/fail`, {
      token: 'worker-token',
      body: { token: b.lease.token, error: { code: 'ValueError', message: 'bad input', details: { traceback: '...' } } },
    });
    expect(fail.status).toBe(200);
    expect(fail.json.data).toEqual({ job_id: b.job.job_id, status: 'failed', attempts: 1 });
  });

  it('a stale lease token is 409 and nothing is written', async () => {
    await createBatch(1);
    const { job, lease } = (await claim()).json.data;
    const before = await rest.deps.models.Job.findOne({ job_id: job.job_id }).lean();
    const stale = 'not-the-token';
    for (const [action, body] of [
      ['heartbeat', { token: stale }],
      ['progress', { token: stale, progress: { step: 'x', percent: 99 } }],
      ['logs', { token: stale, entries: [{ level: 'info', message: 'intruder' }] }],
      ['complete', { token: stale, results: { markdown_content: 'evil' } }],
      ['fail', { token: stale, error: { code: 'X', message: 'y' } }],
    ] as const) {
      const res = await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/${action}`, { token: 'worker-token', body });
      expect({ action, status: res.status, code: res.json.code }).toEqual({ action, status: 409, code: 'CONFLICT' });
    }
    const after = await rest.deps.models.Job.findOne({ job_id: job.job_id }).lean();
    expect(after).toEqual(before);
    // The real token still works.
    const ok = await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/heartbeat`, { token: 'worker-token', body: { token: lease.token } });
    expect(ok.status).toBe(200);
  });

  it('a lease lost to a restart is 409 for the old holder', async () => {
    await createBatch(1);
    const { job, lease } = (await claim()).json.data;
    await call(rest.handler, 'POST', `jobs/${job.job_id}/cancel`, { token: 'owner-token' });
    const res = await call(rest.handler, 'POST', `worker/jobs/${job.job_id}/complete`, {
      token: 'worker-token',
      body: { token: lease.token, results: {} },
    });
    expect(res.status).toBe(409);
    expect((await rest.deps.models.Job.findOne({ job_id: job.job_id }).lean())?.status).toBe('failed');
  });

  it('unknown job is 404; validation names each field; job_id in the body is refused', async () => {
    const missing = await call(rest.handler, 'POST', 'worker/jobs/job-nope/heartbeat', { token: 'worker-token', body: { token: 't' } });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('NOT_FOUND');

    const bad = await call(rest.handler, 'POST', 'worker/jobs/job-x/progress', {
      token: 'worker-token',
      body: { token: 't', progress: { step: '', percent: 101 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('VALIDATION');
    expect(Object.keys(bad.json.details.fieldErrors).sort()).toEqual(['progress.percent', 'progress.step']);

    const withId = await call(rest.handler, 'POST', 'worker/jobs/job-x/heartbeat', { token: 'worker-token', body: { token: 't', job_id: 'job-y' } });
    expect(withId.status).toBe(400);
    expect(withId.json.details.fieldErrors).toHaveProperty('job_id');

    const claimBad = await claim({ worker_id: 'a b', wait_seconds: 31, lease_seconds: 1 });
    expect(claimBad.status).toBe(400);
    expect(Object.keys(claimBad.json.details.fieldErrors).sort()).toEqual(['lease_seconds', 'wait_seconds', 'worker_id']);
  });

  it('only tokens with the worker scope may call the worker routes', async () => {
    await createBatch(1);
    for (const token of ['owner-nowork-token', 'admin-token', 'viewer-token']) {
      const res = await claim({ worker_id: 'w1' }, token);
      expect({ token, status: res.status, code: res.json.code }).toEqual({ token, status: 403, code: 'FORBIDDEN' });
    }
    const hb = await call(rest.handler, 'POST', 'worker/jobs/job-x/heartbeat', { token: 'owner-token', body: { token: 't' } });
    expect(hb.status).toBe(403);
    const none = await claim({ worker_id: 'w1' }, '');
    expect(none.status).toBe(401);
    expect(await rest.deps.models.Job.countDocuments({ status: 'processing' })).toBe(0);
    // ... and a worker token cannot use the user routes.
    const list = await call(rest.handler, 'GET', 'batches', { token: 'worker-token' });
    expect(list.status).toBe(403);
  });

  it('wait_seconds long-polls: a job created while waiting is returned', async () => {
    const started = Date.now();
    const waiting = claim({ worker_id: 'poller', wait_seconds: 5 });
    await new Promise((r) => setTimeout(r, 600));
    const { job_ids } = await createBatch(1);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.json.data.job.job_id).toBe(job_ids[0]);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('wait_seconds long-polls: {job: null} after the wait', async () => {
    const started = Date.now();
    const res = await claim({ worker_id: 'poller', wait_seconds: 1 });
    const elapsed = Date.now() - started;
    expect(res.json.data).toEqual({ job: null });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('a client that disconnects ends the long poll without taking a job', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = call(rest.handler, 'POST', 'worker/claim', {
      token: 'worker-token',
      body: { worker_id: 'gone', wait_seconds: 20 },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const res = await pending;
    expect(res.json.data).toEqual({ job: null });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('complete with claim_next answers the next job and its lease; the worker is told every outcome', async () => {
    const outcomes: string[] = [];
    const counted = testHandler(rest.deps, { onWorkerOutcome: (outcome) => outcomes.push(outcome) });
    const { batch_id } = await createBatch(2);
    const post = (path: string, body: unknown) => call(counted, 'POST', path, { token: 'worker-token', body });
    const first = (await post('worker/claim', { worker_id: 'w1' })).json.data;
    const claimNext = { worker_id: 'w1', lease_seconds: 60 };
    const done = await post(`worker/jobs/${first.job.job_id}/complete`, {
      token: first.lease.token,
      results: { markdown_file: 'sessions/FOSDEM/de/a.md' },
      claim_next: claimNext,
    });
    expect(done.status).toBe(200);
    expect(done.json.data).toMatchObject({ job_id: first.job.job_id, status: 'completed' });
    const next = done.json.data.next;
    expect(next.job).toMatchObject({ batch_id, status: 'processing' });
    expect(Object.keys(next.lease).sort()).toEqual(['expires_at', 'token']);
    const last = await post(`worker/jobs/${next.job.job_id}/complete`, {
      token: next.lease.token,
      results: { markdown_file: 'sessions/FOSDEM/de/b.md' },
      claim_next: claimNext,
    });
    expect(last.json.data).toEqual({ job_id: next.job.job_id, status: 'completed', next: { job: null } });
    // Without claim_next the answer has no `next`.
    const plain = await post(`worker/jobs/${next.job.job_id}/complete`, { token: next.lease.token, results: { markdown_file: 'sessions/FOSDEM/de/b.md' } });
    expect(plain.json.data).toEqual({ job_id: next.job.job_id, status: 'completed' });
    expect(outcomes).toEqual(['claimed', 'completed', 'claimed', 'completed', 'completed']);
    const batch = await call(rest.handler, 'GET', `batches/${batch_id}`, { token: 'owner-token' });
    expect(batch.json.data.batch).toMatchObject({ status: 'completed', completed_jobs: 2, processing_jobs: 0 });

    const bad = await post(`worker/jobs/${next.job.job_id}/complete`, {
      token: next.lease.token,
      results: {},
      claim_next: { worker_id: 'w1', lease_seconds: 'soon' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('claim_next.lease_seconds');
  });
});
