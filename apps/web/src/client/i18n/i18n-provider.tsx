'use client';

import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { DICTIONARIES, LOCALE_COOKIE, type Dictionary, type Locale } from './dictionaries';

interface I18nValue {
  locale: Locale;
  t: Dictionary;
  setLocale: (locale: Locale) => void;
  formatDateTime: (value: Date | string | number | undefined | null) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

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
  const value = useMemo<I18nValue>(() => {
    const formatter = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    return {
      locale,
      t: DICTIONARIES[locale],
      setLocale,
      formatDateTime: (v) => {
        if (v === undefined || v === null) return '—';
        const date = v instanceof Date ? v : new Date(v);
        return Number.isNaN(date.getTime()) ? '—' : formatter.format(date);
      },
    };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider');
  return value;
}
