import type { Page, Request } from '@playwright/test';
import { createBatchViaApi, expect, test, TestWorker } from './fixtures';

/** How long the change feed may take to report a write: a 1 s poll, the 0.5 s burst window, margin. */
const FEED_SETTLES_MS = 4_000;

/** The tRPC reads (GET, batched) the page makes from now on; the live subscription is left out. */
function recordReads(page: Page): { reads: string[]; stop: () => void } {
  const reads: string[] = [];
  const onRequest = (request: Request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET' || !url.pathname.startsWith('/api/trpc/')) return;
    if (url.pathname.includes('live.changes')) return;
    reads.push(decodeURIComponent(url.pathname.slice('/api/trpc/'.length)));
  };
  page.on('request', onRequest);
  return { reads, stop: () => page.off('request', onRequest) };
}

/** Waits until the page has made no tRPC read for `quietMs` (the feed's echoes of earlier writes included). */
async function settle(page: Page, quietMs = 2_500): Promise<void> {
  const { reads, stop } = recordReads(page);
  let seen = -1;
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (reads.length !== seen) {
      seen = reads.length;
      quietSince = Date.now();
    }
    await page.waitForTimeout(250);
  }
  stop();
}

test('a batch restart refetches the batch page once, not again when the change feed reports it', async ({ page }) => {
  const name = `Refetch once ${Date.now()}`;
  const batchId = await createBatchViaApi(page, name, ['Refetch one', 'Refetch two', 'Refetch three']);
  expect((await new TestWorker().drain()).length).toBeGreaterThanOrEqual(3);

  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  const counters = page.getByTestId('batch-counters');
  await expect(counters).toContainText('Completed: 3');
  await settle(page);

  const { reads, stop } = recordReads(page);
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Restart all jobs' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.getByText('3 jobs restarted')).toBeVisible();
  await expect(counters).toContainText('Pending: 3');
  await page.waitForTimeout(FEED_SETTLES_MS);
  stop();

  // One batched read after the mutation: the batch, its jobs and its history, together.
  expect(reads.filter((path) => path.includes('job.list')), reads.join('\n')).toHaveLength(1);
  expect(reads.filter((path) => path.includes('batch.get')), reads.join('\n')).toHaveLength(1);
  expect(reads, reads.join('\n')).toHaveLength(1);
});
