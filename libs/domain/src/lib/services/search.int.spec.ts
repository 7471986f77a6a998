import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '../context';
import { actors, domainDeps, manualClock, params } from '../../test-support/domain-fixtures';
import { createBatch } from './batch.service';
import { createJob, listJobs, locateId } from './job.service';
import { indexSearchTerms, SEARCH_SETTLE_MS } from './search-index.service';
import { claimNextJob, completeJob, failJob } from './worker.service';

const db = useTestDatabase();
const clock = manualClock();
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection, clock.now);
});

const names = async (search: string, extra: Record<string, unknown> = {}) =>
  (await listJobs(deps, actors.owner, { search, limit: 200, ...extra })).jobs.map((job) => job.job_name).sort();

describe('job search', () => {
  it('finds a job by its name, id, batch, a URL, a parameter, its error message and its result text, across batches', async () => {
    const first = await createBatch(deps, actors.owner, {
      batch_name: 'Search one',
      jobs: [
        { job_name: 'Keynote Zebrafish', job_type: 'srch', parameters: params({ event: 'Quokkacon', url: 'https://talks.example.org/narwhal-talk' }) },
        { job_name: 'Lightning Axolotl', job_type: 'srch', parameters: params({ speakers: ['Émilie Du Châtelet'] }) },
      ],
    });
    const second = await createBatch(deps, actors.owner, {
      batch_name: 'Search two',
      jobs: [{ job_name: 'Panel Quokka', job_type: 'srch', parameters: params({ session: 'Quokkas at night' }) }],
    });
    const done = await claimNextJob(deps, { worker_id: 'w-search', job_types: ['srch'] });
    await completeJob(deps, {
      job_id: done!.job.job_id,
      token: done!.lease.token,
      results: { markdown_content: '# Summary\nThe speaker explained photosynthesis in detail.' },
    });
    const failing = await claimNextJob(deps, { worker_id: 'w-search', job_types: ['srch'] });
    await failJob(deps, { job_id: failing!.job.job_id, token: failing!.lease.token, error: { code: 'FETCH_FAILED', message: 'Gateway wombat timeout' } });

    expect(await names('zebrafish')).toEqual(['Keynote Zebrafish']);
    expect(await names('KEYNOTE zebra')).toEqual(['Keynote Zebrafish']);
    expect(await names('https://talks.example.org/narwhal-talk')).toEqual(['Keynote Zebrafish']);
    expect(await names('narwhal')).toEqual(['Keynote Zebrafish']);
    expect(await names('quokka')).toEqual(['Keynote Zebrafish', 'Panel Quokka']);
    expect(await names('émilie')).toEqual(['Lightning Axolotl']);
    expect(await names(first.job_ids[1]!)).toEqual(['Lightning Axolotl']);
    expect(await names(second.batch.batch_id)).toEqual(['Panel Quokka']);
    expect(await names('photosynth')).toEqual([done!.job.job_name]);
    expect(await names('wombat')).toEqual([failing!.job.job_name]);
    expect(await names('fetch_failed')).toEqual([failing!.job.job_name]);
    // Every word must match: one word that matches nothing empties the result.
    expect(await names('quokka zebrafish')).toEqual(['Keynote Zebrafish']);
    expect(await names('quokka nosuchword')).toEqual([]);
    // Another user's jobs are not found.
    expect((await listJobs(deps, actors.other, { search: 'zebrafish' })).jobs).toEqual([]);

    // Go-to-id: a job id, a batch id, an unknown id, another user's job.
    expect(await locateId(deps, actors.owner, first.job_ids[0]!)).toEqual({ job: { job_id: first.job_ids[0], batch_id: first.batch.batch_id }, batch: null });
    expect(await locateId(deps, actors.owner, second.batch.batch_id)).toEqual({ job: null, batch: { batch_id: second.batch.batch_id } });
    expect(await locateId(deps, actors.owner, 'job-nope')).toEqual({ job: null, batch: null });
    expect(await locateId(deps, actors.other, first.job_ids[0]!)).toEqual({ job: null, batch: null });
  });

  it('finds a legacy-written job without search_terms after a sweep, and a legacy error change, without touching updated_at', async () => {
    // A legacy write happens now (it sets updated_at to its own clock).
    const updatedAt = clock.now();
    await deps.models.Job.collection.insertOne({
      job_id: 'legacy-search-1',
      job_name: 'Legacy Pangolin',
      status: 'failed',
      created_at: updatedAt,
      updated_at: updatedAt,
      user_id: 'olga',
      batch_id: null,
      parameters: { event: 'Old Event', session: null, url: 'https://legacy.example.org/a' },
      error: { code: 'E1', message: 'first failure' },
    });
    const run = await indexSearchTerms(deps);
    expect(run.written).toBeGreaterThanOrEqual(1);
    const stored = await deps.models.Job.collection.findOne({ job_id: 'legacy-search-1' });
    expect(stored?.['search_terms']).toEqual(expect.arrayContaining(['legacy', 'pangolin', 'first', 'failure']));
    expect(stored?.['updated_at']).toEqual(updatedAt);
    expect(await names('pangolin')).toEqual(['Legacy Pangolin']);

    // The legacy worker rewrites the error (and updated_at, as it always does).
    clock.advance(10_000);
    await deps.models.Job.collection.updateOne(
      { job_id: 'legacy-search-1' },
      { $set: { error: { code: 'E2', message: 'Armadillo overflow' }, updated_at: clock.now() } },
    );
    await indexSearchTerms(deps);
    expect(await names('armadillo')).toEqual(['Legacy Pangolin']);
    expect(await names('first failure')).toEqual([]);
    // A second run over the settle window writes nothing new.
    clock.advance(SEARCH_SETTLE_MS + 1);
    expect((await indexSearchTerms(deps)).written).toBe(0);
  });

  it('pages search results with cursors and combines them with the global filters', async () => {
    const { job_ids } = await createBatch(deps, actors.owner, {
      jobs: Array.from({ length: 5 }, (_, i) => ({
        job_name: `Paging Ibex ${i}`,
        job_type: i % 2 === 0 ? 'even-type' : 'odd-type',
        parameters: params({ target_language: i < 2 ? 'fr' : 'de' }),
      })),
    });
    expect(job_ids).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const list = await listJobs(deps, actors.owner, { search: 'ibex', limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...list.jobs.map((job) => job.job_name!));
      if (!list.next_cursor) break;
      cursor = list.next_cursor;
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `Paging Ibex ${i}`));
    expect(await names('ibex', { job_type: 'even-type' })).toEqual(['Paging Ibex 0', 'Paging Ibex 2', 'Paging Ibex 4']);
    expect(await names('ibex', { language: 'fr' })).toEqual(['Paging Ibex 0', 'Paging Ibex 1']);
    expect(await names('ibex', { owner: 'olga' })).toHaveLength(5);
    expect(await names('ibex', { owner: 'someone-else' })).toEqual([]);
    const created = clock.now();
    expect(await names('ibex', { created_from: created.toISOString() })).toHaveLength(5);
    expect(await names('ibex', { created_to: created.toISOString() })).toEqual([]);
    await expect(listJobs(deps, actors.owner, { created_from: 'yesterday' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      listJobs(deps, actors.owner, { created_from: created.toISOString(), created_to: created.toISOString() }),
    ).rejects.toMatchObject({ code: 'VALIDATION', details: { fieldErrors: { created_to: expect.any(Array) } } });
  });

  it('a job written a moment ago is found before any sweep (the search catches up first)', async () => {
    await createJob(deps, actors.owner, { job_name: 'Fresh Capybara', parameters: params() });
    expect(await names('capybara')).toEqual(['Fresh Capybara']);
  });
});
