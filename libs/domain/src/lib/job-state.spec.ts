import { DomainError } from './errors';
import { assertTransition, canTransition, deriveBatchStatus, retryBackoffMs, transitionDelta, TRANSITIONS } from './job-state';
import type { JobStatus } from '@event-monitor/contracts';

const STATUSES: JobStatus[] = ['pending', 'processing', 'completed', 'failed'];
const ALLOWED = new Set([
  'pending->processing',
  'processing->completed',
  'processing->failed',
  'processing->pending',
  'completed->pending',
  'failed->pending',
  'pending->failed',
]);

describe('job state machine', () => {
  it.each(STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const)))('%s -> %s is allowed only if listed', (from, to) => {
    const key = `${from}->${to}`;
    expect(canTransition(from, to)).toBe(ALLOWED.has(key));
    if (ALLOWED.has(key)) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
  });

  it('refuses a status the Python enum does not know', () => {
    expect(() => assertTransition('running', 'completed')).toThrow(DomainError);
  });

  it('every table entry names only known states', () => {
    for (const t of TRANSITIONS) {
      expect(STATUSES).toContain(t.to);
      for (const from of t.from) expect(STATUSES).toContain(from);
    }
  });

  it('a transition moves exactly one job between two counters', () => {
    expect(transitionDelta('pending', 'processing')).toEqual({ pending_jobs: -1, processing_jobs: 1 });
    expect(transitionDelta('failed', 'pending', 7)).toEqual({ failed_jobs: -7, pending_jobs: 7 });
    expect(transitionDelta('failed', 'failed')).toEqual({});
  });
});

describe('batch status from counters', () => {
  const c = (pending: number, processing: number, completed: number, failed: number) => ({
    total_jobs: pending + processing + completed + failed,
    pending_jobs: pending,
    processing_jobs: processing,
    completed_jobs: completed,
    failed_jobs: failed,
  });

  it('is pending while nothing has started', () => expect(deriveBatchStatus(c(3, 0, 0, 0))).toEqual({ status: 'pending', done: false }));
  it('is processing once something started and not all are done', () => {
    expect(deriveBatchStatus(c(2, 1, 0, 0)).status).toBe('processing');
    expect(deriveBatchStatus(c(2, 0, 1, 0)).status).toBe('processing');
    expect(deriveBatchStatus(c(0, 1, 0, 1)).status).toBe('processing');
  });
  it('is completed when all are done and none failed', () => expect(deriveBatchStatus(c(0, 0, 4, 0))).toEqual({ status: 'completed', done: true }));
  it('is failed when all are done and one failed', () => expect(deriveBatchStatus(c(0, 0, 3, 1))).toEqual({ status: 'failed', done: true }));
  it('treats a batch without jobs as completed', () => expect(deriveBatchStatus(c(0, 0, 0, 0))).toEqual({ status: 'completed', done: true }));
  it('ignores a transiently negative counter', () => expect(deriveBatchStatus(c(-1, 1, 0, 0)).status).toBe('processing'));
});

describe('retry backoff', () => {
  it('doubles from 10 s and stops at 10 minutes', () => {
    expect(retryBackoffMs(1)).toBe(10_000);
    expect(retryBackoffMs(2)).toBe(20_000);
    expect(retryBackoffMs(6)).toBe(320_000);
    expect(retryBackoffMs(7)).toBe(600_000);
    expect(retryBackoffMs(30)).toBe(600_000);
  });
});
