'use client';

import { useEffect, useRef, useState } from 'react';
import { trpc } from '../../../client/trpc';
import type { Job } from '../../../client/types';
import { isLive, useDeletingJob } from './use-job';

// The UI's copy of the worker log levels (filter choices and colours).
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A job's last 1000 log lines at one level (or all), polled every 2 s while the job is live, and
 * `end`, an element kept in view as lines arrive while `follow` is on.
 */
export function useJobLogs(job: Job) {
  const [level, setLevel] = useState<LogLevel | 'all'>('all');
  const [follow, setFollow] = useState(true);
  const end = useRef<HTMLDivElement>(null);
  const deleting = useDeletingJob();
  const logs = trpc.job.logs.useQuery(
    { job_id: job.job_id, level: level === 'all' ? undefined : level, limit: 1000 },
    { refetchInterval: !deleting && isLive(job.status) ? 2_000 : false },
  );
  const lines = logs.data ?? [];
  useEffect(() => {
    if (follow) end.current?.scrollIntoView({ block: 'nearest' });
  }, [follow, lines.length]);
  return { logs, lines, level, setLevel, follow, setFollow, end };
}
