import { testServerUri } from '@event-monitor/testing';
import { runBenchmarks, SMOKE_SIZES } from './lib/run';

// `npm run bench -- --smoke --only search` at tiny sizes, in process: what it found, not how fast.
describe('npm run bench -- --smoke --only search', () => {
  it('indexes every job, finds the word of 1 job in 50 and the one job of an id, and lists the first pages', async () => {
    const lines: string[] = [];
    const report = await runBenchmarks({ smoke: true, only: ['search'], uri: testServerUri(), log: (line) => lines.push(line) });
    const { batches, jobsPerBatch } = SMOKE_SIZES.search;
    expect(report.search).toMatchObject({ jobs: batches * jobsPerBatch, batches, searchHits: (batches * jobsPerBatch) / 50 });
    for (const key of ['searchP50Ms', 'searchRareP50Ms', 'firstPageP50Ms', 'statusPageP50Ms', 'indexSeconds'] as const) {
      expect(report.search?.[key]).toBeGreaterThanOrEqual(0);
    }
    expect(lines.some((line) => line.includes('indexer over'))).toBe(true);
  }, 120_000);
});
