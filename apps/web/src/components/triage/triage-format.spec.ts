import { firstLine, formatWait, scheduledRetry, splitLogsByAttempt, type LogLine } from './triage-format';

const line = (message: string, level = 'info'): LogLine => ({ timestamp: '2026-12-03T09:00:00Z', level, message });

describe('scheduled retries', () => {
  const failedOnce = { status: 'pending' as const, error: { code: 'E', message: 'x' }, attempts: 1, max_attempts: 3 };

  it('shows a pending job with an error as its next attempt and the wait', () => {
    const now = Date.parse('2026-12-03T09:00:00Z');
    expect(scheduledRetry({ ...failedOnce, available_at: '2026-12-03T09:00:40Z' }, now)).toEqual({ attempt: 2, max: 3, inMs: 40_000 });
    expect(scheduledRetry({ ...failedOnce, available_at: '2026-12-03T08:59:00Z' }, now)).toEqual({ attempt: 2, max: 3, inMs: 0 });
    expect(scheduledRetry({ ...failedOnce, available_at: '2026-12-03T09:00:40Z' }, null)).toEqual({ attempt: 2, max: 3, inMs: null });
    expect(formatWait(40_000)).toBe('40 s');
    expect(formatWait(125_500)).toBe('2 min 06 s');
  });

  it('is no retry for a failed job, or a pending one without an error', () => {
    expect(scheduledRetry({ ...failedOnce, status: 'failed' }, 0)).toBeNull();
    expect(scheduledRetry({ ...failedOnce, error: undefined }, 0)).toBeNull();
  });

  it('keeps the first line of a message', () => {
    expect(firstLine('Timeout\nTraceback ...')).toBe('Timeout');
    expect(firstLine(undefined)).toBe('');
  });
});

describe('logs per attempt', () => {
  it('cuts the lines where the server ended an attempt or restarted the job', () => {
    const attempts = splitLogsByAttempt([
      line('downloading'),
      line('attempt 1 failed (DownloadError); retry after 2026-12-03T09:00:10.000Z', 'warning'),
      line('downloading again'),
      line('lease of worker w1 expired at 2026-12-03T09:05:00.000Z; back to pending', 'warning'),
      line('third try'),
      line('restarted by olga: fix deployed'),
      line('fresh start'),
    ]);
    expect(attempts.map((a) => [a.run, a.attempt, a.ended, a.lines.map((l) => l.message.slice(0, 12))])).toEqual([
      [0, 1, true, ['downloading', 'attempt 1 fa']],
      [0, 2, true, ['downloading ', 'lease of wor']],
      [0, 3, false, ['third try']],
      [1, 1, false, ['restarted by', 'fresh start']],
    ]);
  });

  it('is one attempt when nothing ended one, and one empty attempt for no lines', () => {
    expect(splitLogsByAttempt([line('a'), line('b')])).toEqual([{ attempt: 1, run: 0, ended: false, lines: [line('a'), line('b')] }]);
    expect(splitLogsByAttempt([])).toEqual([{ attempt: 1, run: 0, ended: false, lines: [] }]);
  });
});
