import type { Locale } from './dictionaries';

/** The language tag the UI formats with: German as in Germany, English with a day-month date. */
export const localeTag = (locale: Locale): string => (locale === 'de' ? 'de-DE' : 'en-GB');

/**
 * A date/time format in the UI language. German times are always 24-hour from 00 to 23 (h23):
 * a runtime may apply the system's 12-hour preference to the language's default (WebKit does),
 * and `hour12: false` gives "24:05" after midnight in some engines. English keeps its default.
 */
export function dateTimeFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(localeTag(locale), locale === 'de' ? { ...options, hourCycle: 'h23' } : options);
}
