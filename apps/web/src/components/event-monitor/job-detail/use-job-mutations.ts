'use client';

import { toast } from '@event-monitor/ui';
import { errorMessage } from '../../../client/errors';
import { useInvalidateAll } from '../../../client/hooks/use-invalidate-all';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { trpc } from '../../../client/trpc';

/** Deletes a job: a toast either way, a refetch of what it changed, then `onDeleted`. */
export function useDeleteJob(onDeleted: () => void) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  return trpc.job.delete.useMutation({
    onSuccess: () => {
      toast.success(t.job.deleted);
      void invalidate();
      onDeleted();
    },
    onError: (error) => toast.error(errorMessage(error, t)),
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
