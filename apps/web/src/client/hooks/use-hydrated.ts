'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => undefined;

/**
 * False on the server and during hydration, true afterwards. What depends on the browser (its
 * time zone, the current time) renders in a fixed form until then, so the server's HTML and the
 * first client render are identical (React error #418 otherwise).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * Whether to show that a refetch is running (a spinning refresh button, a disabled control). A
 * query can already be fetching during hydration (its server data went stale, or it mounts with a
 * refetch interval) while the server rendered it idle; showing it only after hydration keeps the
 * two HTMLs identical. Found by the accessibility spec: a batch with a processing job broke the
 * batch page's hydration (#418) through the refresh button's spinner.
 */
export function useFetchingShown(...fetching: boolean[]): boolean {
  const hydrated = useHydrated();
  return hydrated && fetching.some(Boolean);
}
