import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { Providers } from '../src/client/providers';
import { getRequestLocale } from '../src/server/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Event Monitor', template: '%s · Event Monitor' },
  description: 'Create, watch and steer media-processing batches and their jobs.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0a0a0a' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getRequestLocale();
  // Set by proxy.ts for every page; the theme script before paint needs it to run under the CSP.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    // next-themes sets the class on <html> before hydration.
    <html lang={locale} suppressHydrationWarning>
      <body className="min-h-screen antialiased">
        <Providers locale={locale} nonce={nonce}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
