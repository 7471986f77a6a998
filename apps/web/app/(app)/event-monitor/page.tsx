import type { Metadata } from 'next';
import { Suspense } from 'react';
import { HydrateQueries } from '../../../src/client/hydrate-queries';
import { batchListInput } from '../../../src/client/list-inputs';
import { Dashboard } from '../../../src/components/event-monitor/dashboard';
import { prefetchQueries } from '../../../src/server/prefetch';

export const metadata: Metadata = { title: 'Batches' };

export default async function EventMonitorPage() {
  // The first page of current batches and the tab counts come with the HTML: no client waterfall.
  const state = await prefetchQueries((helpers) =>
    Promise.all([helpers.batch.list.prefetch(batchListInput({ archived: false })), helpers.batch.tabs.prefetch()]),
  );
  return (
    <HydrateQueries state={state}>
      {/* The view's tab, search and page come from the URL (useSearchParams). */}
      <Suspense>
        <Dashboard />
      </Suspense>
    </HydrateQueries>
  );
}
