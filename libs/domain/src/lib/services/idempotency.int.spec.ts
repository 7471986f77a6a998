import { connectMongoose } from '@event-monitor/db';
import { useTestDatabase } from '@event-monitor/testing';
import type { Connection } from 'mongoose';
import type { DomainDeps } from '../context';
import { DomainError } from '../errors';
import { createDomainModels } from '../models/domain-models';
import { actors, checkAllDocuments, counterDrift, domainDeps, jobsInput, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { deleteExpiredIdempotencyKeys, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_MS } from './idempotency.service';
import { createJob } from './job.service';

const db = useTestDatabase();
const clock = manualClock(new Date());
let deps: DomainDeps;
const extra: Connection[] = [];
let seq = 0;
const newKey = () => `key-${++seq}-${Math.random().toString(36).slice(2)}`;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
  for (let i = 0; i < 3; i++) extra.push(await connectMongoose({ uri: db.current.uri, dbName: db.current.dbName }));
});

afterAll(async () => {
  await Promise.all(extra.map((c) => c.close()));
});

const batchesOf = (name: string) => deps.models.Batch.countDocuments({ batch_name: name });

describe('idempotent batch creation', () => {
  it('answers a retry with the same key with the first answer and creates one batch', async () => {
    const key = newKey();
    const input = { batch_name: 'retry-once', jobs: jobsInput(3), idempotency_key: key };
    const first = await createBatch(deps, actors.owner, input);
    const second = await createBatch(deps, actors.owner, input);
    expect(second).toEqual(first);
    expect(await batchesOf('retry-once')).toBe(1);
    expect(await deps.models.Job.countDocuments({ batch_id: first.batch.batch_id })).toBe(3);
    // Only one creation was audited.
    expect(await deps.models.AuditEvent.countDocuments({ action: 'batch.create', 'target.ids': first.batch.batch_id })).toBe(1);
  });

  it('32 concurrent identical requests over 4 connections create one batch and get 32 equal answers', async () => {
    const key = newKey();
    const input = { batch_name: 'concurrent-32', jobs: jobsInput(50), idempotency_key: key };
    const connections = [db.current.connection, ...extra];
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) => createBatch({ models: createDomainModels(connections[i % connections.length]!) }, actors.owner, input)),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await batchesOf('concurrent-32')).toBe(1);
    expect(await deps.models.Job.countDocuments({ batch_id: answers[0]!.batch.batch_id })).toBe(50);
    expect(await counterDrift(deps)).toEqual([]);
  }, 60_000);

  it('refuses the same key with another body (IDEMPOTENCY_KEY_REUSED naming the key) and creates nothing', async () => {
    const key = newKey();
    await createBatch(deps, actors.owner, { batch_name: 'reused-a', jobs: jobsInput(1), idempotency_key: key });
    const error = await createBatch(deps, actors.owner, { batch_name: 'reused-b', jobs: jobsInput(1), idempotency_key: key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotency_key: key } });
    expect((error as Error).message).toContain(key);
    expect(await batchesOf('reused-b')).toBe(0);
  });

  it('scopes keys per principal: another user with the same key creates their own batch', async () => {
    const key = newKey();
    const input = { batch_name: 'per-principal', jobs: jobsInput(1), idempotency_key: key };
    const mine = await createBatch(deps, actors.owner, input);
    const theirs = await createBatch(deps, actors.other, input);
    expect(theirs.batch.batch_id).not.toBe(mine.batch.batch_id);
    expect(await batchesOf('per-principal')).toBe(2);
  });

  it('answers the first answer after a server restart (new connection, new models)', async () => {
    const key = newKey();
    const input = { batch_name: 'across-restart', jobs: jobsInput(2), idempotency_key: key };
    const first = await createBatch(deps, actors.owner, input);
    const restarted = await connectMongoose({ uri: db.current.uri, dbName: db.current.dbName });
    try {
      const again = await createBatch({ models: createDomainModels(restarted) }, actors.owner, input);
      expect(again).toEqual(first);
    } finally {
      await restarted.close();
    }
    expect(await batchesOf('across-restart')).toBe(1);
  });

  it('a retry after a crash between "key reserved" and "answer stored" finishes the batch without duplicates', async () => {
    const key = newKey();
    const input = { batch_name: 'crashed', jobs: jobsInput(5), idempotency_key: key };
    const first = await createBatch(deps, actors.owner, input);
    // The state a crash leaves: the key pending under a lease that ran out, the batch and 2 of 5 jobs written.
    await deps.models.IdempotencyKey.collection.updateOne(
      { key },
      { $set: { state: 'pending', lease_token: 'dead', lease_until: new Date(clock.now().getTime() - 1) }, $unset: { answer: 1 } },
    );
    await deps.models.Job.deleteMany({ job_id: { $in: first.job_ids.slice(2) } });

    const retried = await createBatch(deps, actors.owner, input);
    expect(retried.batch.batch_id).toBe(first.batch.batch_id);
    expect(retried.job_ids).toEqual(first.job_ids);
    expect(await batchesOf('crashed')).toBe(1);
    const jobs = await deps.models.Job.find({ batch_id: first.batch.batch_id }, { job_id: 1 }).lean();
    expect(jobs.map((job) => job.job_id).sort()).toEqual([...first.job_ids].sort());
    expect(await deps.models.IdempotencyKey.countDocuments({ key, state: 'done' })).toBe(1);
  });

  it('a retry while the first request still holds a live lease waits and answers its answer', async () => {
    const key = newKey();
    const input = { batch_name: 'waits', jobs: jobsInput(1), idempotency_key: key };
    const first = await createBatch(deps, actors.owner, input);
    // Pretend it is still running, then let it "finish" a little later.
    await deps.models.IdempotencyKey.collection.updateOne(
      { key },
      { $set: { state: 'pending', lease_token: 'live', lease_until: new Date(clock.now().getTime() + IDEMPOTENCY_LEASE_MS) } },
    );
    setTimeout(() => void deps.models.IdempotencyKey.collection.updateOne({ key }, { $set: { state: 'done' } }), 200);
    const started = Date.now();
    const again = await createBatch(deps, actors.owner, input);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(again).toEqual(first);
    expect(await batchesOf('waits')).toBe(1);
  });

  it('a first request that fails releases its key: the retry runs again', async () => {
    const key = newKey();
    const taken = await createBatch(deps, actors.owner, { jobs: jobsInput(1) });
    const input = { batch_id: taken.batch.batch_id, jobs: jobsInput(1), idempotency_key: key };
    await expect(createBatch(deps, actors.owner, input)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await deps.models.IdempotencyKey.countDocuments({ key })).toBe(0);
    await deps.models.Batch.deleteOne({ batch_id: taken.batch.batch_id });
    await deps.models.Job.deleteMany({ batch_id: taken.batch.batch_id });
    const created = await createBatch(deps, actors.owner, input);
    expect(created.batch.batch_id).toBe(taken.batch.batch_id);
  });

  it('forgets keys after 24 hours: the sweep deletes them and the key creates again', async () => {
    const key = newKey();
    const input = { batch_name: 'expires', jobs: jobsInput(1), idempotency_key: key };
    const first = await createBatch(deps, actors.owner, input);
    clock.advance(IDEMPOTENCY_TTL_MS - 1000);
    expect(await deleteExpiredIdempotencyKeys(deps)).toBe(0);
    expect(await createBatch(deps, actors.owner, input)).toEqual(first);
    clock.advance(2000);
    expect(await deleteExpiredIdempotencyKeys(deps)).toBeGreaterThanOrEqual(1);
    expect(await deps.models.IdempotencyKey.countDocuments({ key })).toBe(0);
    // A forgotten key is a new key: the request creates again (new derived ids).
    const later = await createBatch(deps, actors.owner, input);
    expect(later.batch.batch_id).not.toBe(first.batch.batch_id);
    expect(await batchesOf('expires')).toBe(2);
  });
});

describe('idempotent job creation', () => {
  it('creates one job for 32 concurrent identical requests, every answer the same', async () => {
    const key = newKey();
    const { batch } = await createBatch(deps, actors.owner, { batch_name: 'job-keys', jobs: jobsInput(1) });
    const input = { batch_id: batch.batch_id, job_name: 'keyed job', parameters: params(), idempotency_key: key };
    const connections = [db.current.connection, ...extra];
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) => createJob({ models: createDomainModels(connections[i % connections.length]!) }, actors.owner, input)),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await deps.models.Job.countDocuments({ batch_id: batch.batch_id, job_name: 'keyed job' })).toBe(1);
    expect(await counterDrift(deps)).toEqual([]);
  }, 60_000);

  it('leaves every document readable by the legacy worker', async () => {
    expect(await checkAllDocuments(deps)).toEqual([]);
  });
});
