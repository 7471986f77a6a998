import type { Metadata } from 'next';
import { Suspense } from 'react';
import { JobsView } from '../../../src/components/jobs/jobs-view';

export const metadata: Metadata = { title: 'Jobs' };

export default function JobsPage() {
  // The view reads its filters from the URL (useSearchParams), hence the Suspense boundary.
  return (
    <Suspense>
      <JobsView />
    </Suspense>
  );
}
