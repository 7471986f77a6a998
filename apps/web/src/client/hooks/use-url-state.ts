'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';

export type UrlChanges = Record<string, string | number | null | undefined>;

/**
 * A view's state in the URL's query string, so reload and a copied link restore it. `set` pushes a
 * history entry (back and forward step through the views) or, for typing, replaces the current
 * one. Next.js keeps `useSearchParams` in step with `history.pushState` without a server round
 * trip; an empty value removes the key, so the default view has a clean URL.
 */
export function useUrlState() {
  const params = useSearchParams();
  const pathname = usePathname();
  const set = useCallback(
    (changes: UrlChanges, mode: 'push' | 'replace' = 'push') => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === undefined || value === '') next.delete(key);
        else next.set(key, String(value));
      }
      const query = next.toString();
      const url = `${pathname}${query ? `?${query}` : ''}${window.location.hash}`;
      if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
      if (mode === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [pathname],
  );
  return { params, set };
}

/**
 * A search box whose value lives in the URL under `key`: typed text shows at once, the URL follows
 * (replace, no history entry per key stroke), and a URL changed by back/forward refills the box.
 * `reset` goes into the URL with every typed change (e.g. back to the first page).
 */
export function useUrlSearch(key: string, reset: UrlChanges = {}) {
  const { params, set } = useUrlState();
  const inUrl = params.get(key) ?? '';
  const [text, setText] = useState(inUrl);
  useEffect(() => {
    // Back/forward (or a link) changed the URL: show what it says.
    setText((current) => (current.trim() === inUrl.trim() ? current : inUrl));
  }, [inUrl]);
  const change = (value: string) => {
    setText(value);
    set({ ...reset, [key]: value.trim() }, 'replace');
  };
  return { text, value: inUrl.trim(), change };
}

/** A positive integer from the URL, or `fallback` when absent or not one (a hand-edited link). */
export function intParam(value: string | null, fallback: number, max = 1000): number {
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

/** One of `choices` from the URL, or `fallback`. */
export function choiceParam<T extends string>(value: string | null, choices: readonly T[], fallback: T): T {
  return choices.includes(value as T) ? (value as T) : fallback;
}
