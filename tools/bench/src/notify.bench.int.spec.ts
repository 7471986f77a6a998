import { testServerUri } from '@event-monitor/testing';
import { runBenchmarks, SMOKE_SIZES } from './lib/run';

// `npm run bench -- --smoke --only notify` at tiny sizes, in process: what it found, not how fast.
describe('npm run bench -- --smoke --only notify', () => {
  it('finds every event of the finished jobs once and sends each delivery once, with one and four senders', async () => {
    const lines: string[] = [];
    const report = await runBenchmarks({ smoke: true, only: ['notify'], uri: testServerUri(), log: (line) => lines.push(line) });
    const { batches, jobsPerBatch } = SMOKE_SIZES.notify;
    expect(report.notify).toMatchObject({ jobs: batches * jobsPerBatch, batches, queued: batches * 4 + batches * Math.round(jobsPerBatch * 0.1), duplicates: 0 });
    for (const key of ['idleSweepP50Ms', 'detectSeconds', 'sendOnePerSecond', 'sendFourPerSecond'] as const) {
      expect(report.notify?.[key]).toBeGreaterThanOrEqual(0);
    }
    expect(lines.some((line) => line.includes('queued'))).toBe(true);
  }, 120_000);
});
