import { createBatchViaApi, expect, screenshot, test } from './fixtures';

test('archive a batch after confirming and find it in the archive tab', async ({ page }) => {
  await createBatchViaApi(page, 'Archive me', ['Talk A', 'Talk B']);
  await page.goto('/event-monitor');
  await page.getByRole('searchbox', { name: 'Search batches by name' }).fill('Archive me');
  const card = page.getByRole('article', { name: 'Archive me' });
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Show jobs' }).click();
  await expect(card.getByRole('link', { name: /Talk A/ })).toBeVisible();
  await screenshot(page, 'dashboard-desktop-light');

  // Archive asks first; cancelling leaves the batch where it is.
  await card.getByRole('button', { name: 'Archive' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Archive batch "Archive me"?' });
  await expect(confirm).toContainText('its 2 jobs');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Archive' }).click();
  await page.getByRole('alertdialog', { name: 'Archive batch "Archive me"?' }).getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByText('Batch archived')).toBeVisible();
  await expect(card).toBeHidden();

  await page.getByRole('tab', { name: /Archive/ }).click();
  const archived = page.getByRole('article', { name: 'Archive me' });
  await expect(archived).toBeVisible();
  await expect(archived.getByText('Archived', { exact: true })).toBeVisible();
  await archived.getByRole('button', { name: 'Unarchive' }).click();
  await expect(page.getByText('Batch restored from the archive')).toBeVisible();
});

test('delete a batch after confirming', async ({ page }) => {
  await createBatchViaApi(page, 'Delete me', ['Only talk']);
  await page.goto('/event-monitor');
  await page.getByRole('searchbox', { name: 'Search batches by name' }).fill('Delete me');
  const card = page.getByRole('article', { name: 'Delete me' });
  await card.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete batch "Delete me"?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Batch deleted')).toBeVisible();
  await expect(page.getByText('No batch matches this search.')).toBeVisible();
});
