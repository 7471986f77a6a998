'use client';

import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { ThemeProvider } from 'next-themes';
import superjson from 'superjson';
import { Toaster, TooltipProvider } from '@event-monitor/ui';
import { isLongQueryInput, TRPC_MAX_BATCH_SIZE, TRPC_MAX_URL_LENGTH } from '@event-monitor/contracts';
import { I18nProvider } from './i18n/i18n-provider';
import type { Locale } from './i18n/dictionaries';
import { SignOutProvider } from './sign-out';
import { trpc } from './trpc';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // Auth and permission errors will not heal by retrying.
        retry: (count, error) => {
          const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
          if (code && ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(code)) return false;
          return count < 2;
        },
      },
    },
  });
}

/**
 * Everything client components need: data (React Query + tRPC), theme, toasts, tooltips, texts.
 * `nonce` is the page's CSP script nonce, for next-themes' inline script.
 */
export function Providers({
  locale,
  nonce,
  children,
}: {
  locale: Locale;
  nonce?: string;
  children: ReactNode;
}) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    trpc.createClient({
      links: [
        // Subscriptions (live updates) stream over Server-Sent Events; everything else is batched.
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
          false: splitLink({
            // A query whose input does not fit a URL (a bulk preview of many selected jobs) goes as a POST.
            condition: (op) => op.type === 'query' && isLongQueryInput(op.input),
            true: httpLink({ url: '/api/trpc', transformer: superjson, methodOverride: 'POST' }),
            false: httpBatchLink({
              url: '/api/trpc',
              transformer: superjson,
              maxItems: TRPC_MAX_BATCH_SIZE,
              maxURLLength: TRPC_MAX_URL_LENGTH,
            }),
          }),
        }),
      ],
    }),
  );
  return (
    <ThemeProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
    >
      <trpc.Provider client={trpcClient} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>
          <I18nProvider locale={locale}>
            <TooltipProvider delayDuration={300}>
              <SignOutProvider>{children}</SignOutProvider>
              <Toaster richColors closeButton position="bottom-right" />
            </TooltipProvider>
          </I18nProvider>
        </QueryClientProvider>
      </trpc.Provider>
    </ThemeProvider>
  );
}
