'use client';

import { useEffect, useRef } from 'react';
import { trpc } from '../trpc';

export type LiveState = 'connecting' | 'live' | 'offline';

/** How often at most a burst of changes refetches the visible queries. */
const INVALIDATE_EVERY_MS = 500;

/**
 * Follows the server's change feed (a tRPC subscription over SSE) and refetches batches and jobs
 * when something the caller may see changes. The link reconnects by itself and resumes with a
 * `resync`, which refetches the current state. While the state is not `live` (connecting, retrying
 * after a network loss, or refused) the caller falls back to polling.
 */
export function useLiveUpdates(filter: { batch_id?: string; job_id?: string } = {}): LiveState {
  const utils = trpc.useUtils();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const subscription = trpc.live.changes.useSubscription(filter, {
    onData: (event) => {
      // Changes come as tracked envelopes ({id, data}), heartbeats plain: only changes refetch.
      if (!('data' in event) || timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        void utils.batch.invalidate();
        void utils.job.invalidate();
      }, INVALIDATE_EVERY_MS);
    },
  });

  if (subscription.status === 'pending') return 'live';
  if (subscription.status === 'error') return 'offline';
  return 'connecting';
}
