import { deadlineRisk, startsIn } from '@event-monitor/contracts';
import { estimateEta, progressPercent, sortBatches, type EtaBatch } from './batch-eta';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const MINUTE = 60_000;

function batch(overrides: Partial<EtaBatch> = {}): EtaBatch {
  return {
    batch_name: 'Batch',
    user_id: 'olga',
    status: 'processing',
    created_at: new Date(NOW - 10 * MINUTE),
    total_jobs: 10,
    pending_jobs: 10,
    processing_jobs: 0,
    completed_jobs: 0,
    failed_jobs: 0,
    isActive: true,
    ...overrides,
  };
}

describe('estimateEta', () => {
  it('is unknown until two jobs have finished', () => {
    expect(estimateEta(batch(), NOW)).toBeNull();
    expect(estimateEta(batch({ pending_jobs: 9, completed_jobs: 1 }), NOW)).toBeNull();
  });

  it('extrapolates the observed throughput to the jobs left', () => {
    // 4 finished in 10 minutes: 0.4 per minute; 6 left (5 pending, 1 processing): 15 minutes.
    const eta = estimateEta(
      batch({ pending_jobs: 5, processing_jobs: 1, completed_jobs: 3, failed_jobs: 1 }),
      NOW,
    );
    expect(eta).toBe(15 * MINUTE);
  });

  it('counts failed jobs as finished: they leave the queue too', () => {
    expect(estimateEta(batch({ pending_jobs: 8, failed_jobs: 2 }), NOW)).toBe(40 * MINUTE);
  });

  it('is unknown with nothing pending, for a paused batch and for a creation time not in the past', () => {
    expect(estimateEta(batch({ pending_jobs: 0, processing_jobs: 2, completed_jobs: 8 }), NOW)).toBeNull();
    expect(estimateEta(batch({ pending_jobs: 5, completed_jobs: 5, isActive: false }), NOW)).toBeNull();
    expect(
      estimateEta(batch({ pending_jobs: 5, completed_jobs: 5, created_at: new Date(NOW + MINUTE) }), NOW),
    ).toBeNull();
    expect(
      estimateEta(batch({ pending_jobs: 5, completed_jobs: 5, created_at: 'not a date' }), NOW),
    ).toBeNull();
  });

  it('is 0 when nothing is left', () => {
    expect(
      estimateEta(batch({ pending_jobs: 0, completed_jobs: 9, failed_jobs: 1, status: 'failed' }), NOW),
    ).toBe(0);
  });

  it('reads ISO strings as the REST door sends them', () => {
    expect(
      estimateEta(
        batch({ created_at: new Date(NOW - 4 * MINUTE).toISOString(), pending_jobs: 8, completed_jobs: 2 }),
        NOW,
      ),
    ).toBe(16 * MINUTE);
  });
});

describe('progressPercent', () => {
  it('is the finished share, rounded down, and 0 for an empty batch', () => {
    expect(progressPercent({ total_jobs: 3, completed_jobs: 1, failed_jobs: 1 })).toBe(66);
    expect(progressPercent({ total_jobs: 0, completed_jobs: 0, failed_jobs: 0 })).toBe(0);
  });
});

describe('sortBatches', () => {
  const a = batch({
    batch_name: 'alpha',
    user_id: 'zoe',
    status: 'completed',
    pending_jobs: 0,
    completed_jobs: 10,
  });
  const b = batch({
    batch_name: 'Beta',
    user_id: undefined,
    status: 'pending',
    created_at: new Date(NOW - 20 * MINUTE),
  });
  const c = batch({
    batch_name: 'gamma',
    user_id: 'adam',
    status: 'processing',
    pending_jobs: 6,
    completed_jobs: 4,
  });
  const rows = [a, b, c];
  const names = (list: EtaBatch[]) => list.map((x) => x.batch_name);

  it('sorts by name case-insensitively, both ways', () => {
    expect(names(sortBatches(rows, 'name', 'asc', NOW))).toEqual(['alpha', 'Beta', 'gamma']);
    expect(names(sortBatches(rows, 'name', 'desc', NOW))).toEqual(['gamma', 'Beta', 'alpha']);
  });

  it('puts unknown values last in both directions', () => {
    expect(names(sortBatches(rows, 'owner', 'asc', NOW))).toEqual(['gamma', 'alpha', 'Beta']);
    expect(names(sortBatches(rows, 'owner', 'desc', NOW))).toEqual(['alpha', 'gamma', 'Beta']);
    // ETA: alpha is done (0), gamma has one (15 min), Beta none yet.
    expect(names(sortBatches(rows, 'eta', 'asc', NOW))).toEqual(['alpha', 'gamma', 'Beta']);
    expect(names(sortBatches(rows, 'eta', 'desc', NOW))).toEqual(['gamma', 'alpha', 'Beta']);
  });

  it('sorts by progress, status (running first) and creation time', () => {
    expect(names(sortBatches(rows, 'progress', 'desc', NOW))).toEqual(['alpha', 'gamma', 'Beta']);
    expect(names(sortBatches(rows, 'status', 'asc', NOW))).toEqual(['gamma', 'Beta', 'alpha']);
    expect(names(sortBatches(rows, 'created', 'asc', NOW))).toEqual(['Beta', 'alpha', 'gamma']);
  });

  it('keeps the given order for ties and does not change its input', () => {
    const twins = [batch({ batch_name: 'x' }), batch({ batch_name: 'y' })];
    expect(names(sortBatches(twins, 'progress', 'desc', NOW))).toEqual(['x', 'y']);
    expect(names(twins)).toEqual(['x', 'y']);
  });
});

describe('scheduled batches (contracts, shared with the server)', () => {
  const running = { pending_jobs: 5, processing_jobs: 1, completed_jobs: 4 };

  it('counts the throughput from the start time when it is later than the creation', () => {
    // Created 10 min ago, started 5 min ago, 4 done: 0.8 per minute, 6 left: 7.5 minutes.
    expect(estimateEta(batch({ ...running, not_before: new Date(NOW - 5 * MINUTE) }), NOW)).toBe(7.5 * MINUTE);
    expect(estimateEta(batch({ ...running, not_before: new Date(NOW + MINUTE) }), NOW)).toBeNull();
  });

  it('says on track, at risk, missed or unknown from the ETA (15 min here)', () => {
    expect(deadlineRisk(batch(running), NOW)).toBeUndefined();
    expect(deadlineRisk(batch({ ...running, deadline: new Date(NOW + 20 * MINUTE) }), NOW)).toBe('on_track');
    expect(deadlineRisk(batch({ ...running, deadline: new Date(NOW + 10 * MINUTE) }), NOW)).toBe('at_risk');
    expect(deadlineRisk(batch({ ...running, deadline: new Date(NOW - MINUTE) }), NOW)).toBe('missed');
    expect(deadlineRisk(batch({ deadline: new Date(NOW + 10 * MINUTE) }), NOW)).toBe('unknown');
    const done = { pending_jobs: 0, completed_jobs: 10, completed_at: new Date(NOW - 2 * MINUTE) };
    expect(deadlineRisk(batch({ ...done, deadline: new Date(NOW - MINUTE) }), NOW)).toBe('on_track');
    expect(deadlineRisk(batch({ ...done, deadline: new Date(NOW - 3 * MINUTE) }), NOW)).toBe('missed');
  });

  it('counts down to the start time, and stops once it passed', () => {
    expect(startsIn(batch({ not_before: new Date(NOW + 3 * MINUTE) }), NOW)).toBe(3 * MINUTE);
    expect(startsIn(batch({ not_before: new Date(NOW - MINUTE) }), NOW)).toBeNull();
    expect(startsIn(batch(), NOW)).toBeNull();
  });
});
