import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BatchView } from '../../../../src/components/event-monitor/batch-view';

export const metadata: Metadata = { title: 'Batch' };

export default async function BatchPage({ params }: { params: Promise<{ batchId: string }> }) {
  const { batchId } = await params;
  return (
    <Suspense>
      <BatchView batchId={decodeURIComponent(batchId)} />
    </Suspense>
  );
}
