'use client';

import { trpc } from '../../../client/trpc';

/** The mark of a job that still changes: it is polled every 2 s (logs and progress arrive). */
export function isLive(status: string | undefined): boolean {
  return status === 'processing' || status === 'pending';
}

/** One job, refetched every 2 s while it is pending or processing; idle while `jobId` is null. */
export function useJob(jobId: string | null) {
  return trpc.job.get.useQuery(
    { job_id: jobId ?? '' },
    {
      enabled: jobId !== null,
      refetchInterval: (query) => (isLive(query.state.data?.status) ? 2_000 : false),
    },
  );
}
