import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { redirect } from 'next/navigation';
import type { Principal } from '@event-monitor/auth';
import { LOCALE_COOKIE, negotiateLocale, type Locale } from '../client/i18n/dictionaries';
import { isDatabaseUnavailable } from '@event-monitor/db';
import { pageHost } from './page-host';

/**
 * Who is signed in for the page being rendered (session cookie, or the trusted proxy header).
 * Once per request: the layout checks it and the page's data prefetch acts as the same principal.
 */
export const getCurrentPrincipal = cache(async (): Promise<Principal | null> => {
  const request = new Request('http://internal/', { headers: new Headers(await headers()) });
  try {
    return await pageHost().authenticate(request);
  } catch (error) {
    // Database down: nobody can be recognised; pages show the sign-in form instead of a 500
    // (the outage is logged once by the database module and /api/health answers 503).
    if (isDatabaseUnavailable(error)) return null;
    throw error;
  }
});

/** The principal, or a redirect to the sign-in page. */
export async function requirePrincipal(): Promise<Principal> {
  const principal = await getCurrentPrincipal();
  if (!principal) redirect('/sign-in');
  return principal;
}

/** The UI language: the switcher's cookie wins, else German for German browsers, else English. */
export async function getRequestLocale(): Promise<Locale> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return negotiateLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get('accept-language'));
}
