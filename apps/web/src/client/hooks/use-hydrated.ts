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
