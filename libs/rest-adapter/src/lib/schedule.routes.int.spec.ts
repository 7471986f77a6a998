import { call, jobsInput, useRestHandler } from '../test-support/rest-fixtures';

const rest = useRestHandler({ clean: ['Job', 'Batch'] });
const MINUTE = 60_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

const claim = () => call(rest.handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: 'w-rest' } });

describe('scheduled batches over REST', () => {
  it('creates a batch with not_before and deadline, answers them as ISO strings with deadline_risk, and the claim waits', async () => {
    const notBefore = iso(10 * MINUTE);
    const deadline = iso(60 * MINUTE);
    const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(2), not_before: notBefore, deadline } });
    expect(res.status).toBe(201);
    expect(res.json.data.batch).toMatchObject({ not_before: notBefore, deadline, deadline_risk: 'unknown' });
    const read = await call(rest.handler, 'GET', `batches/${res.json.data.batch_id}`, { token: 'owner-token' });
    expect(read.json.data.batch).toMatchObject({ not_before: notBefore, deadline });
    const claimed = await claim();
    expect(claimed.status).toBe(200);
    expect(claimed.json.data.job).toBeNull();
  });

  it('refuses bad dates with a 400 naming the field, and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ not_before: 'next tuesday' }, 'not_before'],
      [{ deadline: iso(-MINUTE) }, 'deadline'],
      [{ not_before: iso(2 * MINUTE), deadline: iso(MINUTE) }, 'deadline'],
      [{ deadline: null }, 'deadline'],
    ];
    for (const [schedule, field] of cases) {
      const res = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(1), ...schedule } });
      expect({ schedule, status: res.status, fields: Object.keys(res.json.details?.fieldErrors ?? {}) }).toEqual({ schedule, status: 400, fields: [field] });
    }
    expect(await rest.deps.models.Batch.countDocuments()).toBe(0);
  });

  it('POST batches/{id}/update sets and removes the start time; the jobs follow and the claim with them', async () => {
    const created = await call(rest.handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(1) } });
    const batchId = created.json.data.batch_id as string;
    expect(created.json.data.batch).not.toHaveProperty('not_before');
    const later = iso(10 * MINUTE);
    const set = await call(rest.handler, 'POST', `batches/${batchId}/update`, { token: 'owner-token', body: { not_before: later } });
    expect(set.status).toBe(200);
    expect(set.json.message).toBe('Batch updated');
    expect(set.json.data.batch.not_before).toBe(later);
    expect((await claim()).json.data.job).toBeNull();
    const bad = await call(rest.handler, 'POST', `batches/${batchId}/update`, { token: 'owner-token', body: { deadline: iso(5 * MINUTE) } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.details.fieldErrors)).toEqual(['deadline']);
    const viewer = await call(rest.handler, 'POST', `batches/${batchId}/update`, { token: 'viewer-token', body: { not_before: null } });
    expect([403, 404]).toContain(viewer.status);
    const cleared = await call(rest.handler, 'POST', `batches/${batchId}/update`, { token: 'owner-token', body: { not_before: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.data.batch).not.toHaveProperty('not_before');
    expect((await claim()).json.data.job.batch_id).toBe(batchId);
  });

  it('documents the fields, the risk values and the update route in the OpenAPI document', async () => {
    const doc = (await call(rest.handler, 'GET', 'openapi.json')).json;
    expect(doc.paths['/api/event-job/batches/{batchId}/update'].post.operationId).toBe('updateBatch');
    const batch = doc.components.schemas.Batch;
    expect(batch.properties.deadline_risk.enum).toEqual(['on_track', 'at_risk', 'missed', 'unknown']);
    expect(batch.properties.not_before.format).toBe('date-time');
    expect(batch.properties.deadline.format).toBe('date-time');
    const createBody = doc.paths['/api/event-job/batches'].post.requestBody.content['application/json'].schema;
    const body = createBody.$ref ? doc.components.schemas[createBody.$ref.split('/').pop()] : createBody;
    expect(body.properties).toHaveProperty('not_before');
    expect(body.properties).toHaveProperty('deadline');
  });
});
