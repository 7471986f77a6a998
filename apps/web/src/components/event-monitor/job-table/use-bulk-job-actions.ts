'use client';

import { useState } from 'react';
import { toast } from '@event-monitor/ui';
import { errorMessage } from '../../../client/errors';
import { useInvalidateAll } from '../../../client/hooks/use-invalidate-all';
import { useI18n } from '../../../client/i18n/i18n-provider';
import { trpc } from '../../../client/trpc';

/**
 * Restart or delete the selected jobs, one request per job, then one refetch and one toast that
 * counts successes and failures. `onDone` clears the selection.
 */
export function useBulkJobActions(selectedIds: string[], onDone: () => void) {
  const { t } = useI18n();
  const invalidate = useInvalidateAll();
  const [pending, setPending] = useState(false);
  const restart = trpc.job.restart.useMutation();
  const remove = trpc.job.delete.useMutation();

  const run = async (action: (id: string) => Promise<unknown>, message: (ok: number, failed: number) => string) => {
    setPending(true);
    let ok = 0;
    let failed = 0;
    let lastError: unknown;
    for (const id of selectedIds) {
      try {
        await action(id);
        ok += 1;
      } catch (error) {
        failed += 1;
        lastError = error;
      }
    }
    setPending(false);
    onDone();
    void invalidate();
    if (failed > 0) toast.error(`${message(ok, failed)}: ${errorMessage(lastError, t)}`);
    else toast.success(message(ok, failed));
  };

  return {
    pending,
    restartSelected: () => run((job_id) => restart.mutateAsync({ job_id }), t.jobs.bulkRestarted),
    deleteSelected: () => run((job_id) => remove.mutateAsync({ job_id }), t.jobs.bulkDeleted),
  };
}
