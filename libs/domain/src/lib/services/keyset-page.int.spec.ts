import { useTestDatabase } from '@event-monitor/testing';
import { JobSortField, SortDirection } from '@event-monitor/contracts';
import type { DomainDeps } from '../context';
import { actors, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { archiveBatch, createBatch, listBatches } from './batch.service';
import { createJob, deleteJob, listJobs } from './job.service';
import { claimNextJob, completeJob, failJob } from './worker.service';
import { reconcileBatch } from './batch-counters';
import { MAX_CURSOR_LENGTH } from './keyset-page';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

interface AnyPage {
  next_cursor: string | null;
}

/** Follows next_cursor to the end; returns the pages. */
async function walk<P extends AnyPage>(read: (cursor: string | undefined) => Promise<P>): Promise<P[]> {
  const pages: P[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.next_cursor ?? undefined;
    if (pages.length > 1000) throw new Error('the walk does not end');
  } while (cursor !== undefined);
  return pages;
}

const owned = { user_id: 'olga', access_control: { visibility: 'private', read_access: ['olga'], write_access: ['olga'], admin_access: ['olga'] } };

/**
 * A batch whose jobs tie on every sort field (one creation instant, repeated names, priorities
 * and statuses) plus legacy rows the Python side or an old script wrote: no created_at, no
 * job_name, no priority, no updated_at, a created_at stored as a string, a priority as a string.
 */
async function tiedBatchWithLegacyRows(): Promise<string> {
  clock.set(new Date('2026-02-01T10:00:00Z'));
  const { batch } = await createBatch(deps, actors.owner, {
    batch_name: 'ties',
    jobs: Array.from({ length: 18 }, (_, i) => ({
      job_type: 'ties',
      job_name: ['alpha', 'beta', 'gamma'][i % 3],
      priority: [0, 5][i % 2],
      parameters: params({ session: `S${i}` }),
    })),
  });
  for (let i = 0; i < 5; i++) {
    clock.advance(1000);
    const claim = await claimNextJob(deps, { worker_id: 'w', job_types: ['ties'] });
    if (i % 2 === 0) await completeJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, results: {} });
    else if (i === 3) await failJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, error: { code: 'X', message: 'x' } });
  }
  const legacy = (n: number, fields: Record<string, unknown>) => ({
    job_id: `job-legacy-${batch.batch_id}-${n}`,
    job_type: '',
    status: 'pending',
    batch_id: batch.batch_id,
    parameters: { event: 'Legacy', session: `L${n}` },
    archived: false,
    ...owned,
    ...fields,
  });
  const at = new Date('2026-01-15T00:00:00Z');
  await deps.models.Job.collection.insertMany([
    legacy(1, { updated_at: at }),
    legacy(2, { updated_at: at }),
    legacy(3, { created_at: at, updated_at: at, job_name: 'beta' }),
    legacy(4, { created_at: null, job_name: null, priority: null, updated_at: null }),
    legacy(5, { created_at: '2026-01-20T00:00:00Z', updated_at: at, job_name: 'zeta', status: 'completed' }),
    legacy(6, { created_at: at, updated_at: at, priority: '5' }),
  ]);
  return batch.batch_id;
}

/** One big query in the same order: what every walk must reproduce. */
async function referenceOrder(filter: Record<string, unknown>, field: string, direction: 1 | -1, idField: string): Promise<string[]> {
  const docs = await deps.models.Job.collection.find(filter).sort({ [field]: direction, _id: direction }).toArray();
  return docs.map((doc) => String(doc[idField]));
}

describe('keyset pagination of jobs', () => {
  it('walking every sort field and direction returns each row exactly once, in the order of one sorted query', async () => {
    const batchId = await tiedBatchWithLegacyRows();
    const all = await deps.models.Job.countDocuments({ batch_id: batchId });
    expect(all).toBe(24);
    for (const field of JobSortField.options) {
      for (const direction of SortDirection.options) {
        for (const limit of [1, 4, 7]) {
          const pages = await walk((cursor) =>
            listJobs(deps, actors.owner, { batch_id: batchId, sort: { field, direction }, limit, ...(cursor ? { cursor } : {}) }),
          );
          const walked = pages.flatMap((page) => page.jobs.map((job) => job.job_id));
          const expected = await referenceOrder({ batch_id: batchId }, field, direction === 'asc' ? 1 : -1, 'job_id');
          expect({ field, direction, limit, walked }).toEqual({ field, direction, limit, walked: expected });
          expect(pages.at(-1)!.next_cursor).toBeNull();
          expect(pages.slice(0, -1).every((page) => page.jobs.length === limit && page.next_cursor !== null)).toBe(true);
        }
      }
    }
  });

  it('a walk over all jobs with status and search filters follows the filter; the total is a bounded count', async () => {
    await tiedBatchWithLegacyRows();
    const pending = await walk((cursor) =>
      listJobs(deps, actors.admin, { status: 'pending', search: 'S1', sort: { field: 'created_at', direction: 'asc' }, limit: 2, ...(cursor ? { cursor } : {}) }),
    );
    const expected = await referenceOrder(
      // The search asks for words starting with "s1": here only the sessions S1, S10..S17.
      { status: 'pending', 'parameters.session': { $regex: '^S1', $options: 'i' } },
      'created_at',
      1,
      'job_id',
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(pending.flatMap((page) => page.jobs.map((job) => job.job_id))).toEqual(expected);
    expect(pending[0]).toMatchObject({ total: expected.length, total_exact: true });
  });

  it('sorting all jobs by another column than created_at is refused (it needs one batch)', async () => {
    await expect(listJobs(deps, actors.admin, { sort: { field: 'job_name', direction: 'asc' } })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { 'sort.field': [expect.stringContaining('batch_id')] } },
    });
  });

  it('jobs inserted during a walk cause no repeats and no misses of the rows that were there', async () => {
    clock.set(new Date('2026-03-01T10:00:00Z'));
    const { batch } = await createBatch(deps, actors.owner, {
      jobs: Array.from({ length: 12 }, (_, i) => ({ parameters: params({ session: `C${i}` }) })),
    });
    const before = (await listJobs(deps, actors.owner, { batch_id: batch.batch_id, limit: 200 })).jobs.map((job) => job.job_id);
    for (const direction of SortDirection.options) {
      const seen: string[] = [];
      let inserted = 0;
      await walk(async (cursor) => {
        const page = await listJobs(deps, actors.owner, {
          batch_id: batch.batch_id,
          sort: { field: 'created_at', direction },
          limit: 5,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.jobs.map((job) => job.job_id));
        // Between pages other writers add jobs: at the same instant (a tie) and later ones.
        if (inserted < 4) {
          await createJob(deps, actors.owner, { batch_id: batch.batch_id, parameters: params({ session: 'tie' }) });
          clock.advance(1000);
          await createJob(deps, actors.owner, { batch_id: batch.batch_id, parameters: params({ session: 'later' }) });
          inserted += 2;
        }
        return page;
      });
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(before));
    }
  });

  it('a job name too long for the cursor is read back from its row; a deleted row ends the cursor with VALIDATION', async () => {
    clock.set(new Date('2026-04-01T10:00:00Z'));
    const long = (c: string) => c.repeat(480) + 'ä'.repeat(20);
    const { batch, job_ids } = await createBatch(deps, actors.owner, {
      jobs: ['a', 'b', 'c', 'd'].map((c) => ({ job_name: long(c), parameters: params() })),
    });
    const sort = { field: 'job_name', direction: 'asc' } as const;
    const pages = await walk((cursor) => listJobs(deps, actors.owner, { batch_id: batch.batch_id, sort, limit: 1, ...(cursor ? { cursor } : {}) }));
    expect(pages.flatMap((page) => page.jobs.map((job) => job.job_name))).toEqual(['a', 'b', 'c', 'd'].map(long));
    for (const page of pages) expect((page.next_cursor ?? '').length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);

    const first = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, sort, limit: 1 });
    await deleteJob(deps, actors.owner, job_ids[0]!);
    await expect(listJobs(deps, actors.owner, { batch_id: batch.batch_id, sort, limit: 1, cursor: first.next_cursor! })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { fieldErrors: { cursor: [expect.stringContaining('gone')] } },
    });
  });

  it('refuses broken, foreign and mismatched cursors and skip with a cursor, always as VALIDATION naming cursor', async () => {
    clock.set(new Date('2026-05-01T10:00:00Z'));
    const { batch } = await createBatch(deps, actors.owner, { jobs: [0, 1, 2].map(() => ({ parameters: params() })) });
    const first = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, limit: 1 });
    const good = first.next_cursor!;
    const wire = JSON.parse(Buffer.from(good, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forge = (changes: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...wire, ...changes })).toString('base64url');
    const batchCursor = (await listBatches(deps, actors.owner, { limit: 1 })).next_cursor;
    const bad: [string, Record<string, unknown>][] = [
      ['!!!', {}],
      ['x'.repeat(MAX_CURSOR_LENGTH + 1), {}],
      [Buffer.from('not json').toString('base64url'), {}],
      [Buffer.from('[1,2,3]').toString('base64url'), {}],
      [forge({ v: 2 }), {}],
      [forge({ i: 'zz' }), {}],
      [forge({ k: ['d', 'yesterday'] }), {}],
      [forge({ k: ['d', 1e20] }), {}],
      [forge({ k: ['x', 1] }), {}],
      [forge({ extra: true }), {}],
      [forge({ f: 'status' }), {}],
      [good, { sort: { field: 'created_at', direction: 'asc' } }],
      [good, { sort: { field: 'priority', direction: 'desc' } }],
      [good, { skip: 0 }],
      [good, { skip: 5 }],
      [forge({ l: 'b' }), {}],
    ];
    for (const [cursor, extra] of bad) {
      const error = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, cursor, ...extra }).catch((e: unknown) => e);
      expect({ cursor, error }).toMatchObject({ cursor, error: { code: 'VALIDATION', details: { fieldErrors: { cursor: expect.any(Array) } } } });
    }
    expect(batchCursor).not.toBeNull();
    await expect(listJobs(deps, actors.owner, { cursor: batchCursor! })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(listBatches(deps, actors.owner, { cursor: good })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(listBatches(deps, actors.owner, { cursor: batchCursor!, skip: 1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    // A well-formed cursor naming no row is just the position it names: here, before nothing.
    const nowhere = forge({ i: '0'.repeat(24) });
    expect((await listJobs(deps, actors.owner, { batch_id: batch.batch_id, cursor: nowhere })).jobs).toHaveLength(0);
  });
});

describe('list totals', () => {
  it('the jobs of a batch (all, or one status) take their total from the counters, which equal a recount', async () => {
    clock.set(new Date('2026-06-01T10:00:00Z'));
    const { batch } = await createBatch(deps, actors.owner, {
      jobs: Array.from({ length: 7 }, () => ({ job_type: 'tot', parameters: params() })),
    });
    for (let i = 0; i < 4; i++) {
      const claim = await claimNextJob(deps, { worker_id: 'w', job_types: ['tot'] });
      if (i === 0) await completeJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, results: {} });
      if (i === 1) await failJob(deps, { job_id: claim!.job.job_id, token: claim!.lease.token, error: { code: 'X', message: 'x' } });
    }
    await createJob(deps, actors.owner, { batch_id: batch.batch_id, job_type: 'tot', parameters: params() });
    // No count query runs: the totals come from the batch document alone.
    const spy = jest.spyOn(deps.models.Job, 'countDocuments');
    const all = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, limit: 1 });
    expect(all).toMatchObject({ total: 8, total_exact: true });
    for (const status of ['pending', 'processing', 'completed', 'failed'] as const) {
      const page = await listJobs(deps, actors.owner, { batch_id: batch.batch_id, status, limit: 1 });
      const recount = await deps.models.Job.collection.countDocuments({ batch_id: batch.batch_id, status });
      expect({ status, total: page.total, exact: page.total_exact }).toEqual({ status, total: recount, exact: true });
    }
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(await reconcileBatch(deps, batch.batch_id)).toMatchObject({ repaired: false });
  });

  it('past the count cap the total stops there and says it is not exact', async () => {
    clock.set(new Date('2026-07-01T10:00:00Z'));
    const capped: DomainDeps = { ...deps, countCap: 3 };
    const { batch } = await createBatch(deps, actors.owner, {
      batch_name: 'cap',
      jobs: Array.from({ length: 5 }, (_, i) => ({ parameters: params({ event: i < 3 ? 'CapConf' : 'OtherConf' }) })),
    });
    // A search cannot use the counters: bounded count.
    expect(await listJobs(capped, actors.owner, { batch_id: batch.batch_id, search: 'main', limit: 1 })).toMatchObject({ total: 3, total_exact: false });
    expect(await listJobs(capped, actors.owner, { batch_id: batch.batch_id, search: 'capconf', limit: 1 })).toMatchObject({ total: 3, total_exact: true });
    expect(await listJobs(capped, actors.owner, { batch_id: batch.batch_id, limit: 1 })).toMatchObject({ total: 5, total_exact: true });
    for (let i = 0; i < 3; i++) await createBatch(deps, actors.owner, { batch_name: `cap ${i}`, jobs: [{ parameters: params() }] });
    expect(await listBatches(capped, actors.owner, { search: 'cap', limit: 1 })).toMatchObject({ total: 3, total_exact: false });
    expect(await listBatches(deps, actors.owner, { search: 'cap', limit: 1 })).toMatchObject({ total: 4, total_exact: true });
  });
});

describe('keyset pagination of batches', () => {
  it('walks current and archived batches newest first with ties and a legacy batch without created_at', async () => {
    clock.set(new Date('2026-08-01T10:00:00Z'));
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      if (i % 3 === 0) clock.advance(1000); // three batches per instant: ties on created_at
      ids.push((await createBatch(deps, actors.admin, { batch_name: `walk ${i}`, jobs: [{ parameters: params() }] })).batch.batch_id);
    }
    await archiveBatch(deps, actors.admin, ids[4]!);
    await deps.models.Batch.collection.insertOne({
      batch_id: 'batch-legacy-no-created-at',
      batch_name: 'walk legacy',
      status: 'pending',
      updated_at: new Date(),
      total_jobs: 0,
      archived: false,
    });
    for (const archived of [false, true]) {
      const pages = await walk((cursor) => listBatches(deps, actors.admin, { archived, search: 'walk', limit: 2, ...(cursor ? { cursor } : {}) }));
      const walked = pages.flatMap((page) => page.batches.map((b) => b.batch_id));
      const docs = await deps.models.Batch.collection
        .find({ archived: archived ? true : { $ne: true }, batch_name: /walk/ })
        .sort({ created_at: -1, _id: -1 })
        .toArray();
      expect(walked).toEqual(docs.map((doc) => String(doc['batch_id'])));
      expect(pages[0]).toMatchObject({ total: walked.length, total_exact: true, skip: 0 });
    }
    expect((await listBatches(deps, actors.admin, { search: 'walk', limit: 100 })).batches.at(-1)!.batch_id).toBe('batch-legacy-no-created-at');
  });
});
