// Scheduled batches (issue 20 item 4): whether a deadline holds, from the ETA of eta.ts, and the
// wait until the start. Pure functions of a batch's counters and the current time, shared by the
// server (`deadline_risk` in the batch JSON) and the dashboard's badges, so both say the same.

import { estimateEta, type EtaBatch } from './eta';

const timeOf = (value: Date | string): number => new Date(value).getTime();

export const DEADLINE_RISKS = ['on_track', 'at_risk', 'missed', 'unknown'] as const;
export type DeadlineRisk = (typeof DEADLINE_RISKS)[number];

/**
 * Whether the batch makes its deadline, from its ETA: `missed` once the deadline passed with work
 * left (or the work finished after it), `on_track` when done in time or the ETA ends before the
 * deadline, `at_risk` when it ends after, `unknown` while there is no ETA. Undefined without a deadline.
 */
export function deadlineRisk(batch: EtaBatch, now: number): DeadlineRisk | undefined {
  if (batch.deadline === undefined) return undefined;
  const deadline = timeOf(batch.deadline);
  if (batch.pending_jobs + batch.processing_jobs === 0) {
    const finished = batch.completed_at === undefined ? now : timeOf(batch.completed_at);
    return finished <= deadline ? 'on_track' : 'missed';
  }
  if (now > deadline) return 'missed';
  const eta = estimateEta(batch, now);
  if (eta === null) return 'unknown';
  return now + eta <= deadline ? 'on_track' : 'at_risk';
}

/** Ms until a scheduled batch may start; null when it has no start time or the time has passed. */
export function startsIn(batch: Pick<EtaBatch, 'not_before'>, now: number): number | null {
  if (batch.not_before === undefined) return null;
  const left = timeOf(batch.not_before) - now;
  return left > 0 ? left : null;
}
