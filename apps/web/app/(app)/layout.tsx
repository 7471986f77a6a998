import type { ReactNode } from 'react';
import { AppContextProvider } from '../../src/client/session-context';
import { AppHeader } from '../../src/components/app-header';
import { DICTIONARIES } from '../../src/client/i18n/dictionaries';
import { getRequestLocale, requirePrincipal } from '../../src/server/session';

export const dynamic = 'force-dynamic';

/** Everything behind sign-in: the principal is checked here, on the server, before any screen renders. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const principal = await requirePrincipal();
  const t = DICTIONARIES[await getRequestLocale()];
  const value = {
    user: {
      id: principal.actor.userId,
      role: principal.actor.role,
      email: principal.email ?? null,
      name: principal.name ?? null,
    },
  };
  return (
    <AppContextProvider value={value}>
      <a
        href="#main"
        className="bg-background focus-visible:ring-ring/50 sr-only z-50 rounded-md px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus-visible:ring-[3px]"
      >
        {t.app.skipToContent}
      </a>
      <AppHeader />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl px-3 py-6 outline-none sm:px-6">
        {children}
      </main>
    </AppContextProvider>
  );
}
