import type { Metadata } from 'next';
import { Suspense } from 'react';
import { HydrateQueries } from '../../../../src/client/hydrate-queries';
import { DEFAULT_JOB_PAGE_SIZE, DEFAULT_JOB_SORT, jobListInput } from '../../../../src/client/list-inputs';
import { BatchView } from '../../../../src/components/event-monitor/batch-view';
import { prefetchQueries } from '../../../../src/server/prefetch';

export const metadata: Metadata = { title: 'Batch' };

export default async function BatchPage({ params }: { params: Promise<{ batchId: string }> }) {
  const batchId = decodeURIComponent((await params).batchId);
  // The batch and its first jobs come with the HTML; the job sheet (?job=) still loads on the client.
  const state = await prefetchQueries((helpers) =>
    Promise.all([
      helpers.batch.get.prefetch({ batch_id: batchId }),
      helpers.job.list.prefetch(jobListInput({ batchId, sort: DEFAULT_JOB_SORT }, DEFAULT_JOB_PAGE_SIZE)),
    ]),
  );
  return (
    <HydrateQueries state={state}>
      <Suspense>
        <BatchView batchId={batchId} />
      </Suspense>
    </HydrateQueries>
  );
}
