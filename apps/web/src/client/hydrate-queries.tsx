'use client';

import { useMemo, type ReactNode } from 'react';
import { HydrationBoundary, type DehydratedState } from '@tanstack/react-query';
import superjson, { type SuperJSONResult } from 'superjson';

/**
 * Puts the data a server page prefetched (src/server/prefetch.ts) into the client's query cache.
 * The data counts as fetched when it reaches the client, not when the server read it: otherwise a
 * page whose hydration took longer than the cache's staleTime (5 s: a slow device, a loaded
 * server) asked for everything it had just received once more. Changes after the server's read
 * come through the live updates like any other.
 */
export function HydrateQueries({ state, children }: { state: unknown; children: ReactNode }) {
  const dehydrated = useMemo(() => {
    const received = superjson.deserialize<DehydratedState>(state as SuperJSONResult);
    const now = Date.now();
    return {
      ...received,
      queries: received.queries.map((query) => ({ ...query, state: { ...query.state, dataUpdatedAt: Math.max(query.state.dataUpdatedAt, now) } })),
    };
  }, [state]);
  return <HydrationBoundary state={dehydrated}>{children}</HydrationBoundary>;
}
