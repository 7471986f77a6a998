'use client';

import { useMemo, type ReactNode } from 'react';
import { HydrationBoundary, type DehydratedState } from '@tanstack/react-query';
import superjson, { type SuperJSONResult } from 'superjson';

/** Puts the data a server page prefetched (src/server/prefetch.ts) into the client's query cache. */
export function HydrateQueries({ state, children }: { state: unknown; children: ReactNode }) {
  const dehydrated = useMemo(() => superjson.deserialize<DehydratedState>(state as SuperJSONResult), [state]);
  return <HydrationBoundary state={dehydrated}>{children}</HydrationBoundary>;
}
