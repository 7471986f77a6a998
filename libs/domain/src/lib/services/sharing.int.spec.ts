import { Types } from 'mongoose';
import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { actors, checkAllDocuments, domainDeps, jobsInput } from '../../test-support/domain-fixtures';
import { createBatch, getBatch, listBatches } from './batch.service';
import { getJob } from './job.service';
import { findUsers, shareBatch } from './sharing.service';

const db = useTestDatabase();
let deps: DomainDeps;
const bea = new Types.ObjectId();

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

beforeEach(async () => {
  await deps.models.Job.deleteMany({});
  await deps.models.Batch.deleteMany({});
  const users = deps.models.Batch.db.collection('user');
  await users.deleteMany({});
  // better-auth's shapes: an ObjectId _id; the fixtures' actors as plain string ids.
  await users.insertMany([
    { _id: bea, name: 'Bea Berger', email: 'bea@example.org', role: 'operator' },
    { _id: 'rita', name: 'Rita Reader', email: 'rita@example.org', role: 'operator' },
    { _id: 'walt', name: 'Walt Writer', email: 'walt@example.org', role: 'operator' },
    { _id: 'otto', name: 'Otto Other', email: 'otto@example.org', role: 'operator' },
    { _id: 'olga', name: 'Olga Owner', email: 'olga@example.org', role: 'operator' },
    { _id: 'gone', name: 'Gone Gina', email: 'gina@example.org', role: 'operator', deactivated: true },
  ] as never[]);
});

async function privateBatch() {
  const { batch, job_ids } = await createBatch(deps, actors.owner, {
    visibility: 'private',
    read_access: ['rita'],
    write_access: ['walt'],
    admin_access: [],
    jobs: jobsInput(2),
  });
  return { batchId: batch.batch_id, jobIds: job_ids };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: unknown) => (err instanceof DomainError ? err.code : String(err)),
  );

describe('shareBatch', () => {
  it('lets another user see the batch and its jobs only after it was shared with them', async () => {
    const { batchId, jobIds } = await privateBatch();
    expect(await codeOf(getBatch(deps, actors.other, batchId))).toBe('NOT_FOUND');
    expect(await codeOf(getJob(deps, actors.other, jobIds[0]!))).toBe('NOT_FOUND');

    const result = await shareBatch(deps, actors.owner, { batch_id: batchId, read_access: ['rita', 'otto'] });

    expect(result.jobs_updated).toBe(2);
    expect(result.access_control.read_access).toEqual(['olga', 'rita', 'otto']);
    expect((await getBatch(deps, actors.other, batchId)).batch_id).toBe(batchId);
    expect((await getJob(deps, actors.other, jobIds[0]!)).job_id).toBe(jobIds[0]);
    expect((await listBatches(deps, actors.other, {})).batches.map((b) => b.batch_id)).toEqual([batchId]);
  });

  it('is refused to readers and writers and allowed to admins of the batch', async () => {
    const { batchId } = await privateBatch();
    expect(await codeOf(shareBatch(deps, actors.reader, { batch_id: batchId, visibility: 'public' }))).toBe('FORBIDDEN');
    expect(await codeOf(shareBatch(deps, actors.writer, { batch_id: batchId, visibility: 'public' }))).toBe('FORBIDDEN');
    expect(await codeOf(shareBatch(deps, actors.other, { batch_id: batchId, visibility: 'public' }))).toBe('NOT_FOUND');
    expect((await getBatch(deps, actors.owner, batchId)).access_control.visibility).toBe('private');
    // A listed admin may, and so may an installation admin.
    await shareBatch(deps, actors.owner, { batch_id: batchId, admin_access: ['walt'] });
    expect(await codeOf(shareBatch(deps, actors.writer, { batch_id: batchId, visibility: 'public' }))).toBe('ok');
    expect(await codeOf(shareBatch(deps, actors.admin, { batch_id: batchId, visibility: 'private' }))).toBe('ok');
  });

  it('answers VALIDATION naming the field for an unknown user and changes nothing', async () => {
    const { batchId } = await privateBatch();
    const err = await shareBatch(deps, actors.owner, { batch_id: batchId, write_access: ['walt', 'nobody'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION');
    expect((err as DomainError).details).toEqual({ fieldErrors: { write_access: ['Unknown user: nobody'] }, formErrors: [] });
    expect((await getBatch(deps, actors.owner, batchId)).access_control.write_access).toEqual(['walt']);
  });

  it('keeps the owner in every list, so the batch keeps someone who manages it', async () => {
    const { batchId } = await privateBatch();
    const result = await shareBatch(deps, actors.owner, { batch_id: batchId, read_access: [], write_access: [], admin_access: [] });
    expect(result.access_control).toEqual({ visibility: 'private', read_access: ['olga'], write_access: ['olga'], admin_access: ['olga'] });
    expect(await codeOf(shareBatch(deps, actors.owner, { batch_id: batchId, visibility: 'public' }))).toBe('ok');
  });

  it('updates a legacy-shaped batch in place: legacy keys kept, lists stay arrays, still legacy-readable', async () => {
    const now = new Date();
    await deps.models.Batch.collection.insertOne({
      batch_id: 'batch-legacy-share',
      batch_name: 'legacy',
      status: 'pending',
      created_at: now,
      updated_at: now,
      user_id: 'olga',
      total_jobs: 1,
      completed_jobs: 0,
      failed_jobs: 0,
      access_control: { visibility: 'private', read_access: ['olga'], write_access: ['olga'], admin_access: ['olga'], legacy_note: 'kept' },
      legacy_extra: 42,
    });
    await deps.models.Job.collection.insertOne({
      job_id: 'job-legacy-share',
      job_type: 'event',
      job_name: 'legacy job',
      status: 'pending',
      created_at: now,
      updated_at: now,
      batch_id: 'batch-legacy-share',
      user_id: 'olga',
      access_control: null,
      parameters: { event: 'e', session: 's', url: 'https://example.org', source_language: 'en', target_language: 'de', speakers: [], use_cache: true },
      logs: [],
    } as never);

    const result = await shareBatch(deps, actors.owner, { batch_id: 'batch-legacy-share', visibility: 'public', read_access: [bea.toHexString()] });
    expect(result.jobs_updated).toBe(1);

    const stored = await deps.models.Batch.collection.findOne({ batch_id: 'batch-legacy-share' });
    expect(stored?.['legacy_extra']).toBe(42);
    expect(stored?.['access_control']).toEqual({
      visibility: 'public',
      read_access: ['olga', bea.toHexString()],
      write_access: ['olga'],
      admin_access: ['olga'],
      legacy_note: 'kept',
    });
    const job = await deps.models.Job.collection.findOne({ job_id: 'job-legacy-share' });
    expect(job?.['access_control']).toEqual({ visibility: 'public', read_access: ['olga', bea.toHexString()], write_access: ['olga'], admin_access: ['olga'] });
    expect(await checkAllDocuments(deps)).toEqual([]);
    expect((await getBatch(deps, actors.other, 'batch-legacy-share')).access_control.visibility).toBe('public');
  });

  it('records the old and new sharing by name in the audit trail', async () => {
    const { batchId } = await privateBatch();
    await shareBatch(deps, actors.owner, { batch_id: batchId, visibility: 'public', read_access: [bea.toHexString()] });
    const event = await deps.models.AuditEvent.findOne({ action: 'batch.share', 'target.ids': batchId }).lean();
    expect(event?.details).toMatchObject({
      from: { visibility: 'private', read: ['Rita Reader'], write: ['Walt Writer'], admin: [] },
      to: { visibility: 'public', read: ['Olga Owner', 'Bea Berger'], write: ['Walt Writer'], admin: [] },
    });
  });

  it('is idempotent: sharing again the same way changes nothing more', async () => {
    const { batchId } = await privateBatch();
    const first = await shareBatch(deps, actors.owner, { batch_id: batchId, read_access: ['otto'] });
    const second = await shareBatch(deps, actors.owner, { batch_id: batchId, read_access: ['otto'] });
    expect(second.access_control).toEqual(first.access_control);
    expect(second.jobs_updated).toBe(2);
  });
});

describe('findUsers', () => {
  it('finds active users by name or e-mail prefix, case-insensitive, at most ten', async () => {
    expect((await findUsers(deps, actors.owner, { q: 'bea' })).users).toEqual([
      { id: bea.toHexString(), name: 'Bea Berger', email: 'bea@example.org', active: true },
    ]);
    expect((await findUsers(deps, actors.owner, { q: 'WALT@' })).users.map((u) => u.id)).toEqual(['walt']);
    expect((await findUsers(deps, actors.owner, { q: 'gin' })).users).toEqual([]);
    expect((await findUsers(deps, actors.owner, { q: '.*' })).users).toEqual([]);
    const many = Array.from({ length: 15 }, (_, i) => ({ _id: `many-${i}`, name: `Many ${i}`, email: `many${i}@example.org` }));
    await deps.models.Batch.db.collection('user').insertMany(many as never[]);
    expect((await findUsers(deps, actors.owner, { q: 'many' })).users).toHaveLength(10);
  });

  it('names the users of given ids, deactivated ones marked', async () => {
    const { users } = await findUsers(deps, actors.owner, { ids: ['gone', 'rita', 'missing'] });
    expect(users.map((u) => [u.id, u.active])).toEqual([
      ['gone', false],
      ['rita', true],
    ]);
  });

  it('is refused to viewers', async () => {
    expect(await codeOf(findUsers(deps, actors.viewer, { q: 'b' }))).toBe('FORBIDDEN');
  });
});
