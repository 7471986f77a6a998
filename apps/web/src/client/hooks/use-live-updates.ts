'use client';

import { useEffect, useRef } from 'react';
import { useQueryClient, type Query, type QueryClient } from '@tanstack/react-query';
import { burstNeedsRefetch, shownViews, type FeedChange, type ShownQuery } from '../live/seen-changes';
import { trpc } from '../trpc';

export type LiveState = 'connecting' | 'live' | 'offline';

/** How often at most a burst of changes refetches the visible queries. */
const INVALIDATE_EVERY_MS = 500;
/** While a mutation or a refetch of shown objects is under way its answer is awaited (at most this many rounds). */
const AWAIT_ROUNDS = 20;
const SHOWN_PATHS = new Set(['job.list', 'job.get', 'batch.list', 'batch.get']);

function pathOf(query: Query): string {
  const [path] = query.queryKey as [unknown, ...unknown[]];
  return Array.isArray(path) ? path.join('.') : '';
}

function activeQueries(queryClient: QueryClient): ShownQuery[] {
  return queryClient
    .getQueryCache()
    .findAll({ type: 'active' })
    .map((query) => ({
      path: pathOf(query).split('.'),
      input: (query.queryKey[1] as { input?: unknown } | undefined)?.input,
      data: query.state.data,
    }));
}

/** Since the start of the page's latest mutation (kept in the mutation cache for minutes). */
function msSinceOwnMutation(queryClient: QueryClient): number | undefined {
  const started = queryClient
    .getMutationCache()
    .getAll()
    .map((mutation) => mutation.state.submittedAt)
    .filter((at) => at > 0);
  return started.length > 0 ? Date.now() - Math.max(...started) : undefined;
}

/**
 * Follows the server's change feed (a tRPC subscription over SSE) and refetches batches and jobs
 * when something the caller may see changes, except the echo of the page's own mutation that its
 * refetch shows already (see live/seen-changes.ts). The link reconnects by
 * itself and resumes with a `resync`, which refetches the current state. While the state is not
 * `live` (connecting, retrying after a network loss, or refused) the caller falls back to polling.
 */
export function useLiveUpdates(filter: { batch_id?: string; job_id?: string } = {}): LiveState {
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const changes = useRef<(FeedChange | 'resync')[]>([]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const flush = (round: number): void => {
    timer.current = undefined;
    // A mutation in flight refetches when it is done, and a refetch in flight answers first:
    // judging before either would compare with the old data.
    const busy =
      queryClient.isMutating() + queryClient.isFetching({ predicate: (query) => SHOWN_PATHS.has(pathOf(query)) });
    if (busy > 0 && round < AWAIT_ROUNDS) {
      timer.current = setTimeout(() => flush(round + 1), INVALIDATE_EVERY_MS / 2);
      return;
    }
    const burst = changes.current.splice(0);
    const refetch = burstNeedsRefetch(burst, shownViews(activeQueries(queryClient)), msSinceOwnMutation(queryClient));
    // Seen or not, hidden queries are stale now: they refetch when shown again.
    const filters = refetch ? undefined : { refetchType: 'none' as const };
    void utils.batch.invalidate(undefined, filters);
    void utils.job.invalidate(undefined, filters);
  };

  const subscription = trpc.live.changes.useSubscription(filter, {
    onData: (event) => {
      // Changes come as tracked envelopes ({id, data}), heartbeats plain: only changes refetch.
      if (!('data' in event)) return;
      const change = event.data;
      if (change.kind === 'heartbeat') return;
      changes.current.push(change.kind === 'resync' ? 'resync' : change);
      timer.current ??= setTimeout(() => flush(0), INVALIDATE_EVERY_MS);
    },
  });

  if (subscription.status === 'pending') return 'live';
  if (subscription.status === 'error') return 'offline';
  return 'connecting';
}
