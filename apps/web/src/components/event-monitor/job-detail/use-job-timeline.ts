'use client';

import { useI18n } from '../../../client/i18n/i18n-provider';
import { trpc } from '../../../client/trpc';
import type { Job } from '../../../client/types';
import type { AuditEvent } from '../../audit/audit-event';

/** A milestone of the job itself (created, started, completed or failed) or an audit event (someone acted). */
export type TimelineEntry = { key: string; at: Date } & ({ milestone: string } | { event: AuditEvent });

/**
 * The job's milestones merged in time order with the audit events that name the job or its batch
 * (restarts, language changes, fail-all, ...); `trail` is the audit query (pending, error).
 */
export function useJobTimeline(job: Job) {
  const { t } = useI18n();
  const trail = trpc.audit.forJob.useQuery({ job_id: job.job_id, limit: 50 });
  const milestones: [string, Date | string | undefined][] = [
    [t.job.createdAt, job.created_at],
    [t.job.startedAt, job.processing_started_at],
    // completed_at is when the job finished either way: a failed job's says why, not "Completed".
    [job.status === 'failed' ? t.job.failedWith(job.error?.code ?? '') : t.job.completedAt, job.completed_at],
  ];
  const entries: TimelineEntry[] = [
    ...milestones.flatMap(([label, at]) => (at ? [{ key: label, at: new Date(at), milestone: label }] : [])),
    ...(trail.data?.events ?? []).map((event) => ({ key: event.event_id, at: new Date(event.at), event })),
  ].sort((x, y) => x.at.getTime() - y.at.getTime());
  return { entries, trail };
}
