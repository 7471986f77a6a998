import { useTestDatabase } from '@event-monitor/testing';
import type { DomainDeps } from '@event-monitor/domain';
import { call, domainDeps, jobsInput, testHandler } from '../test-support/rest-fixtures';

const db = useTestDatabase();
const JOBS = 1_000;
const CLAIMERS = 32;
let deps: DomainDeps;

beforeAll(async () => {
  deps = await domainDeps(db.current.connection);
});

it('32 concurrent HTTP claimers over 1,000 jobs get each job exactly once', async () => {
  const handler = testHandler(deps);
  const created = await call(handler, 'POST', 'batches', { token: 'owner-token', body: { jobs: jobsInput(JOBS) } });
  expect(created.status).toBe(201);
  const jobIds: string[] = created.json.data.job_ids;

  const claimed: string[] = [];
  const perClaimer = await Promise.all(
    Array.from({ length: CLAIMERS }, async (_, i) => {
      let mine = 0;
      for (;;) {
        const res = await call(handler, 'POST', 'worker/claim', { token: 'worker-token', body: { worker_id: `w-${i}` } });
        expect(res.status).toBe(200);
        if (res.json.data.job === null) return mine;
        claimed.push(res.json.data.job.job_id);
        mine++;
      }
    }),
  );

  expect(claimed).toHaveLength(JOBS);
  expect(new Set(claimed)).toEqual(new Set(jobIds));
  expect(perClaimer.filter((n) => n > 0).length).toBeGreaterThan(1);
  expect(await deps.models.Job.countDocuments({ status: 'processing', attempts: 1 })).toBe(JOBS);
  const batch = await call(handler, 'GET', `batches/${created.json.data.batch.batch_id}`, { token: 'owner-token' });
  expect(batch.json.data.batch).toMatchObject({ status: 'processing', pending_jobs: 0, processing_jobs: JOBS });
}, 120_000);
