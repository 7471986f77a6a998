'use client';

import { trpc } from '../trpc';

/** Invalidates everything a batch or job change may affect (its timelines too). */
export function useInvalidateAll() {
  const utils = trpc.useUtils();
  return () => Promise.all([utils.batch.invalidate(), utils.job.invalidate(), utils.audit.invalidate()]);
}
