'use client';

import { useContext } from 'react';
import { flushSync } from 'react-dom';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from '@event-monitor/ui';
import { errorMessage } from '../../../client/errors';
import { useInvalidateAll } from '../../../client/hooks/use-invalidate-all';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { trpc } from '../../../client/trpc';
import { JobDeleting } from './use-job';

/**
 * Deletes a job: a toast either way; on success `onDeleted` (the sheet closes), the deleted job's
 * own queries leave the cache, then a refetch of what it changed. In that order: invalidating first
 * made the still-open sheet refetch the deleted job (a 404 of `job.get` in the console). While the
 * delete is in flight the sheet's polls pause (`JobDeleting`).
 */
export function useDeleteJob(onDeleted: () => void) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateAll();
  const { setDeleting } = useContext(JobDeleting);
  return trpc.job.delete.useMutation({
    onMutate: () => setDeleting(true),
    onSuccess: (_data, { job_id }) => {
      toast.success(t.job.deleted);
      // Rendered at once: the sheet's queries of the job are gone (their polling timers too)
      // before the removal below, so nothing rebuilds them.
      flushSync(onDeleted);
      // tRPC's query keys ([path, {input, type}]), matched by prefix: every query of this job.
      for (const path of [['job', 'get'], ['job', 'logs'], ['audit', 'forJob']]) {
        queryClient.removeQueries({ queryKey: [path, { input: { job_id } }] });
      }
      // Focus went back to the job's row, which the refetch removes: then it would fall to <body>
      // (seen under load, when the refetch lands after the sheet closed). Land on the page instead.
      void invalidate().then(() =>
        requestAnimationFrame(() => {
          const active = document.activeElement;
          if (!active || active === document.body || !active.isConnected) document.getElementById('main')?.focus();
        }),
      );
    },
    onError: (error) => {
      setDeleting(false);
      toast.error(errorMessage(error, t));
    },
  });
}

/** Restarts a job (optionally bypassing the cache or with another target language). */
export function useRestartJob(onRestarted: () => void) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  return trpc.job.restart.useMutation({
    onSuccess: () => {
      toast.success(t.job.restarted);
      onRestarted();
      void invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
}

/** Cancels a pending or processing job (its worker loses the lease at its next heartbeat). */
export function useCancelJob() {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  return trpc.job.cancel.useMutation({
    onSuccess: () => {
      toast.success(t.job.cancelled);
      void invalidate();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
  });
}
