'use client';

import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { useHydrated } from '../hooks/use-hydrated';
import { dateTimeFormat } from './date-format';
import { DICTIONARIES, LOCALE_COOKIE, type Dictionary, type Locale } from './dictionaries';

interface I18nValue {
  locale: Locale;
  t: Dictionary;
  setLocale: (locale: Locale) => void;
  /** Date and time in the browser's time zone (in UTC, marked so, until hydration is done); German in 24 hours. */
  formatDateTime: (value: Date | string | number | undefined | null) => string;
  /** The time of day, same rule. */
  formatTime: (value: Date | string | number | undefined | null) => string;
}

/** The values before and after hydration (see I18nProvider). */
interface ProvidedValue {
  server: I18nValue;
  browser: I18nValue;
}

const I18nContext = createContext<ProvidedValue | null>(null);

/** Gives the client the locale the server negotiated; switching sets a cookie and re-renders. */
export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const router = useRouter();
  const setLocale = useCallback(
    (next: Locale) => {
      document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
      document.documentElement.lang = next;
      router.refresh();
    },
    [router],
  );
  // The server does not know the browser's time zone (Europe/Berlin for the operators, UTC for the
  // server): the server pass and hydration render UTC, the browser's zone follows right after. The
  // provider holds both forms; each component picks one in useI18n with its own hydration flag, so
  // no context value changes above parts of the page that are still hydrating (a context update
  // there makes React discard the server HTML: error #418 on slow machines).
  const value = useMemo<ProvidedValue>(() => {
    const formats = (timeZone: string | undefined, suffix: string) => {
      const format = (target: Intl.DateTimeFormat) => (v: Date | string | number | undefined | null) => {
        if (v === undefined || v === null) return '—';
        const date = v instanceof Date ? v : new Date(v);
        return Number.isNaN(date.getTime()) ? '—' : `${target.format(date)}${suffix}`;
      };
      return {
        formatDateTime: format(dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone })),
        formatTime: format(dateTimeFormat(locale, { timeStyle: 'medium', timeZone })),
      };
    };
    const base = { locale, t: DICTIONARIES[locale], setLocale };
    return { server: { ...base, ...formats('UTC', ' UTC') }, browser: { ...base, ...formats(undefined, '') } };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  // This component's own flag: false while it renders on the server or hydrates, true afterwards.
  const hydrated = useHydrated();
  if (!value) throw new Error('useI18n needs an I18nProvider');
  return hydrated ? value.browser : value.server;
}
