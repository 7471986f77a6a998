'use client';

import { createContext, useContext } from 'react';
import { trpc } from '../../../client/trpc';

/** The mark of a job that still changes: it is polled every 2 s (logs and progress arrive). */
export function isLive(status: string | undefined): boolean {
  return status === 'processing' || status === 'pending';
}

/**
 * Set by the job sheet while its job is being deleted: the job's polls stop, so none reaches the
 * server after the delete (a 404 in the console). `useDeleteJob` flips it.
 */
export const JobDeleting = createContext<{ deleting: boolean; setDeleting: (deleting: boolean) => void }>({
  deleting: false,
  setDeleting: () => undefined,
});

export function useDeletingJob(): boolean {
  return useContext(JobDeleting).deleting;
}

/** One job, refetched every 2 s while it is pending or processing; idle while `jobId` is null or it is being deleted. */
export function useJob(jobId: string | null, deleting = false) {
  return trpc.job.get.useQuery(
    { job_id: jobId ?? '' },
    {
      enabled: jobId !== null,
      refetchInterval: (query) => (!deleting && isLive(query.state.data?.status) ? 2_000 : false),
    },
  );
}
