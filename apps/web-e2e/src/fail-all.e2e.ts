import { createBatchViaApi, expect, test } from './fixtures';

// Named z-: it fails every current batch, so it runs last (one worker, files in name order).
test('fail all current batches after a confirm dialog that states what it touches', async ({ page }) => {
  await createBatchViaApi(page, 'Fail-all target', ['One', 'Two']);
  await page.goto('/event-monitor');
  await page.getByRole('button', { name: 'Fail all' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Fail all current batches?' });
  await expect(confirm).toContainText(/This marks \d+ unfinished jobs in \d+ current batches as failed/);
  await confirm.getByRole('button', { name: 'Fail all' }).click();
  await expect(page.getByText(/\d+ jobs set to failed/)).toBeVisible();
  const card = page.getByRole('article', { name: 'Fail-all target' });
  await expect(card.getByText('Failed', { exact: true })).toBeVisible();
});
