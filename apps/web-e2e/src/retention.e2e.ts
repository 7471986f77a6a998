import { expect, screenshot, test } from './fixtures';

// Specs share one live server: the policy set here (30 and 90 days) touches nothing in a run whose
// batches are minutes old, and the spec turns it off again before it ends.

test('an admin sets the retention policy, sees what the next run would do and turns it off again', async ({ page }) => {
  await page.goto('/admin/users');
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Retention' }).click();
  await expect(page).toHaveURL(/\/admin\/retention$/);
  await expect(page.getByRole('heading', { name: 'Retention', level: 1 })).toBeVisible();

  const form = page.getByRole('form', { name: 'Policy' });
  const archiveDays = form.getByLabel('Archive finished batches after (days)');
  const deleteDays = form.getByLabel('Delete archived batches after (days)');
  await expect(archiveDays).toHaveValue('');
  await archiveDays.fill('30');
  await deleteDays.fill('90');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Retention policy saved')).toBeVisible();

  // Stored: a reload shows the days, and the preview finds nothing due in a fresh installation.
  await page.reload();
  await expect(page.getByRole('form', { name: 'Policy' }).getByLabel('Archive finished batches after (days)')).toHaveValue('30');
  await expect(page.getByRole('form', { name: 'Policy' }).getByLabel('Delete archived batches after (days)')).toHaveValue('90');
  await expect(page.getByTestId('retention-archive')).toContainText('Archive: 0');
  await expect(page.getByTestId('retention-delete')).toContainText('Nothing due.');
  await expect(page.getByRole('button', { name: 'Run now' })).toBeDisabled();
  await screenshot(page, 'retention');

  // Off again: empty fields.
  await page.getByRole('form', { name: 'Policy' }).getByLabel('Archive finished batches after (days)').fill('');
  await page.getByRole('form', { name: 'Policy' }).getByLabel('Delete archived batches after (days)').fill('');
  await page.getByRole('form', { name: 'Policy' }).getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Retention policy saved').first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole('form', { name: 'Policy' }).getByLabel('Archive finished batches after (days)')).toHaveValue('');
  await expect(page.getByRole('form', { name: 'Policy' }).getByLabel('Delete archived batches after (days)')).toHaveValue('');
});
