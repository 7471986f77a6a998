import { createBatchViaApi, expect, test } from './fixtures';
import { live } from './live';

/** Archives or unarchives a batch through the REST API, as another admin would. */
async function archiveElsewhere(batchId: string, action: 'archive' | 'unarchive'): Promise<void> {
  const response = await fetch(`${live().url}/api/event-job/batches/${batchId}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${live().adminToken}` },
  });
  expect(response.ok, await response.text()).toBeTruthy();
}

test('without live updates the page polls every 10 s, and it goes live again when the stream is back', async ({
  page,
  consoleErrors,
}) => {
  const batchId = await createBatchViaApi(page, 'Fallback batch', ['Only talk']);

  // The live stream is unreachable (a proxy that drops Server-Sent Events, a network loss).
  await page.route('**/api/trpc/live.changes**', (route) => route.abort('connectionrefused'));
  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByTestId('live-state')).not.toHaveAttribute('data-state', 'live');
  const archivedBadge = page.getByText('Archived', { exact: true });
  await expect(page.getByRole('heading', { name: 'Fallback batch', level: 1 })).toBeVisible();
  await expect(archivedBadge).toHaveCount(0);

  await archiveElsewhere(batchId, 'archive');
  // Nothing streams in; the 10 s fallback refresh shows the change without a reload.
  await expect(archivedBadge).toBeVisible({ timeout: 15_000 });

  // The stream comes back: the link reconnects by itself and changes arrive live again.
  await page.unroute('**/api/trpc/live.changes**');
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await archiveElsewhere(batchId, 'unarchive');
  await expect(archivedBadge).toHaveCount(0, { timeout: 3_000 });

  // The refused stream requests are logged by Chromium; they are this test's doing.
  const unexpected = consoleErrors.filter(
    (e) => !/ERR_CONNECTION_REFUSED|live\.changes|EventSource|Failed to load resource/.test(e),
  );
  consoleErrors.splice(0, consoleErrors.length, ...unexpected);
});
