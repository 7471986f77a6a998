import { dateTimeFormat } from '../../client/i18n/date-format';
import type { Dictionary, Locale } from '../../client/i18n/dictionaries';

export const METRICS_RANGES = ['1h', '24h', '7d'] as const;
export type MetricsRange = (typeof METRICS_RANGES)[number];

export function parseRange(value: unknown): MetricsRange {
  return (METRICS_RANGES as readonly unknown[]).includes(value) ? (value as MetricsRange) : '24h';
}

const tag = (locale: Locale) => (locale === 'de' ? 'de-DE' : 'en-GB');

/** "850 ms", "12.3 s", "4 min 5 s", "2 h 10 min" (in the locale's number format). */
export function formatDuration(ms: number | null, locale: Locale): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const number = (value: number, digits = 0) =>
    value.toLocaleString(tag(locale), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  if (ms < 1_000) return `${number(ms)} ms`;
  if (ms < 60_000) return `${number(ms / 1_000, 1)} s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1_000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** "per minute" / "per 15 minutes" / "per hour" for a bucket size. */
export function perBucket(bucketMs: number, t: Dictionary): string {
  if (bucketMs <= 60_000) return t.metrics.perBucket.minute;
  if (bucketMs < 3_600_000) return t.metrics.perBucket.quarterHour;
  return t.metrics.perBucket.hour;
}

/** Axis ticks: the time of day, with the weekday for the 7-day range. */
export function tickFormatter(range: MetricsRange, locale: Locale): (value: number) => string {
  const format = dateTimeFormat(
    locale,
    range === '7d' ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
  );
  return (value) => format.format(new Date(value));
}

/** Tooltip headings: date and time of the bucket's start. */
export function bucketLabelFormatter(locale: Locale): (value: number) => string {
  const format = dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (value) => format.format(new Date(value));
}
