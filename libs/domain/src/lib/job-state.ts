import { DomainError, DomainErrorCode } from './errors';
import type { JobStatus } from '@event-monitor/contracts';

/**
 * The job lifecycle. Every service transition is one findOneAndUpdate with `from` in its filter;
 * anything not listed here is refused with INVALID_TRANSITION and writes nothing.
 */
export const TRANSITIONS = [
  { event: 'claim', from: ['pending'], to: 'processing', by: 'worker (claimNextJob)' },
  { event: 'complete', from: ['processing'], to: 'completed', by: 'worker with the lease (completeJob)' },
  { event: 'fail', from: ['processing'], to: 'failed', by: 'worker with the lease (failJob), lease expiry without attempts left' },
  { event: 'requeue', from: ['processing'], to: 'pending', by: 'retryable failJob, lease expiry (recoverExpiredLeases)' },
  { event: 'restart', from: ['completed', 'failed'], to: 'pending', by: 'user (restartJob, restartBatch, setAllPending, changeLanguage)' },
  { event: 'cancel', from: ['pending', 'processing'], to: 'failed', by: 'user (cancelJob, failAllBatches), legacy timeout' },
] as const satisfies readonly { event: string; from: readonly JobStatus[]; to: JobStatus; by: string }[];

export type JobEvent = (typeof TRANSITIONS)[number]['event'];

export function canTransition(from: string, to: JobStatus): boolean {
  return TRANSITIONS.some((t) => t.to === to && (t.from as readonly string[]).includes(from));
}

/** The source states of an event, for the filter of its conditional update. */
export function sourcesOf(event: JobEvent): readonly JobStatus[] {
  const transition = TRANSITIONS.find((t) => t.event === event);
  if (!transition) throw new Error(`Unknown job event ${event}`);
  return transition.from;
}

/** Throws INVALID_TRANSITION unless `event` may start from `from`; returns the target state. */
export function assertEvent(event: JobEvent, from: string): JobStatus {
  const transition = TRANSITIONS.find((t) => t.event === event);
  if (!transition) throw new Error(`Unknown job event ${event}`);
  if (!(transition.from as readonly string[]).includes(from)) {
    throw new DomainError(DomainErrorCode.INVALID_TRANSITION, `Cannot ${event} a ${from} job`, {
      from,
      to: transition.to,
      event,
    });
  }
  return transition.to;
}

export function assertTransition(from: string, to: JobStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError(DomainErrorCode.INVALID_TRANSITION, `A job cannot go from ${from} to ${to}`, { from, to });
  }
}

export interface BatchCounters {
  total_jobs: number;
  pending_jobs: number;
  processing_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
}

export type CounterKey = keyof BatchCounters;

export function counterOf(status: JobStatus): Exclude<CounterKey, 'total_jobs'> {
  return `${status}_jobs`;
}

/** The $inc for one job moving from one status to another. */
export function transitionDelta(from: JobStatus, to: JobStatus, count = 1): Partial<BatchCounters> {
  if (from === to || count === 0) return {};
  return { [counterOf(from)]: -count, [counterOf(to)]: count };
}

/**
 * The batch status as a function of its counters. Decision: a batch without jobs (all deleted)
 * counts as completed, like the legacy rule "completed + failed >= total".
 */
export function deriveBatchStatus(counters: BatchCounters): { status: JobStatus; done: boolean } {
  const pending = Math.max(0, counters.pending_jobs);
  const processing = Math.max(0, counters.processing_jobs);
  const completed = Math.max(0, counters.completed_jobs);
  const failed = Math.max(0, counters.failed_jobs);
  if (pending + processing === 0) return { status: failed > 0 ? 'failed' : 'completed', done: true };
  if (processing + completed + failed === 0) return { status: 'pending', done: false };
  return { status: 'processing', done: false };
}

/** Exponential retry backoff: 2^attempts * 5 s, at most 10 minutes. */
export function retryBackoffMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts) * 5_000, 10 * 60 * 1000);
}

export const DEFAULT_MAX_ATTEMPTS = 3;
