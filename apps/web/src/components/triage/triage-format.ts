import type { JobListItem } from '../../client/types';
import { formatDuration } from '../event-monitor/job-format';

/** The first line of an error message, as a table cell shows it. */
export function firstLine(message: string | undefined): string {
  return (message ?? '').split(/\r?\n/, 1)[0]?.trim() ?? '';
}

export interface ScheduledRetry {
  /** The attempt that comes next (1-based) and how many there may be. */
  attempt: number;
  max: number;
  /** Milliseconds until it may be claimed; 0 when due now; null before the clock is read (hydration). */
  inMs: number | null;
}

/**
 * A pending job with an error failed an attempt and waits for the next one (the worker asked for a
 * retry; the error stays until an attempt succeeds). A restart clears the error, so this is only
 * a scheduled retry.
 */
export function scheduledRetry(
  job: Pick<JobListItem, 'status' | 'error' | 'attempts' | 'max_attempts'> & { available_at?: string | Date | undefined },
  now: number | null,
): ScheduledRetry | null {
  if (job.status !== 'pending' || !job.error) return null;
  const at = job.available_at ? new Date(job.available_at).getTime() : NaN;
  const inMs = now === null ? null : Number.isFinite(at) ? Math.max(0, at - now) : 0;
  return { attempt: job.attempts + 1, max: job.max_attempts, inMs };
}

/** "40 s", "3 min 05 s": a wait as shown next to a retry. */
export function formatWait(ms: number): string {
  return formatDuration(Math.ceil(ms / 1000) * 1000);
}

export interface LogLine {
  timestamp: string | Date;
  level: string;
  message: string;
}

export interface LogAttempt {
  /** 1-based attempt number within its run (a restart starts a new run at 1). */
  attempt: number;
  /** The run: 0 before the first restart, then one more per restart. */
  run: number;
  lines: LogLine[];
  /** How the attempt ended, when the server wrote it: retry scheduled, lease lost, ... */
  ended: boolean;
}

// The lines the server writes when an attempt ends (worker.service failJob, maintenance.service
// recoverExpiredLeases) and when a job is restarted (job-updates restartUpdate).
const ATTEMPT_ENDED = [/^attempt \d+ failed \(/, /^lease of worker .* expired at .*; back to pending$/];
const RESTARTED = /^restarted\b/;

/**
 * A job's log lines cut into its attempts, oldest first. The worker's own lines carry no attempt
 * number, so the cut follows the lines the server writes when an attempt ends or the job restarts.
 */
export function splitLogsByAttempt(lines: readonly LogLine[]): LogAttempt[] {
  const attempts: LogAttempt[] = [];
  let current: LogAttempt = { attempt: 1, run: 0, lines: [], ended: false };
  for (const line of lines) {
    if (RESTARTED.test(line.message)) {
      if (current.lines.length > 0) attempts.push(current);
      current = { attempt: 1, run: current.run + 1, lines: [line], ended: false };
      continue;
    }
    current.lines.push(line);
    if (ATTEMPT_ENDED.some((pattern) => pattern.test(line.message))) {
      current.ended = true;
      attempts.push(current);
      current = { attempt: current.attempt + 1, run: current.run, lines: [], ended: false };
    }
  }
  if (current.lines.length > 0 || attempts.length === 0) attempts.push(current);
  return attempts;
}
