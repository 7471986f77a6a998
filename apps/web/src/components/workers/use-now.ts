'use client';

import { useEffect, useState } from 'react';
import type { Locale } from '../../client/i18n/dictionaries';

/**
 * The current time, re-read every `everyMs`, so relative times ("2 min ago") move on by themselves.
 * Null on the server and during hydration: the server's clock is not the browser's, and a time
 * read while rendering would make the two HTMLs differ (React error #418).
 */
export function useNow(everyMs = 10_000): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "3 minutes ago" / "vor 3 Minuten"; `justNow` under 5 seconds. Future times read "in …". */
export function formatRelative(value: Date | string, now: number, locale: Locale, justNow: string): string {
  const ms = new Date(value).getTime() - now;
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 5_000) return justNow;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(ms) >= size || unit === 'second') return format.format(Math.round(ms / size), unit);
  }
  return justNow;
}
