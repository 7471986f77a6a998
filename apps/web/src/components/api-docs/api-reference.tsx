'use client';

import dynamic from 'next/dynamic';

/**
 * Scalar (Vue inside, several hundred KB) is fetched only when /api-docs renders it, in the
 * browser. Nothing else is imported here: modules this entry shared with other pages moved into
 * their common chunks and grew the dashboard's first load.
 */
export const ApiReference = dynamic(() => import('./scalar-reference'), {
  ssr: false,
  loading: () => (
    <p className="text-muted-foreground px-4 py-6 text-sm" aria-busy="true">
      Loading the API reference…
    </p>
  ),
});
