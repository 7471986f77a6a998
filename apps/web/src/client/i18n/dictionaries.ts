// The UI languages and how a request picks one. The texts are one file per language (en.ts defines
// the shape, de.ts must match it: the type checks that).
import { de } from './de';
import { en, type Dictionary } from './en';

export type { Dictionary };

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'em-locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export const DICTIONARIES: Record<Locale, Dictionary> = { en, de };

/** The locale from a cookie value, else from Accept-Language (German browsers get German). */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  const first = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag !== '')
    .sort((a, b) => b.q - a.q)[0];
  return first?.tag.startsWith('de') ? 'de' : 'en';
}
