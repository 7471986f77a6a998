import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FailuresView } from '../../../src/components/triage/failures-view';

export const metadata: Metadata = { title: 'Failures' };

export default function FailuresPage() {
  // The view reads its filter from the URL (useSearchParams), hence the Suspense boundary.
  return (
    <Suspense>
      <FailuresView />
    </Suspense>
  );
}
