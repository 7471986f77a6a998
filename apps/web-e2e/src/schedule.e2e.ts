import { expect, test, uniqueSuffix } from './fixtures';

test('a batch created with a start time shows "starts in" on its page and on the dashboard', async ({ page }) => {
  const suffix = uniqueSuffix();
  const name = `Scheduled ${suffix}`;
  await page.goto('/event-monitor/create-batch');
  await page.getByLabel('Batch name').fill(name);
  await page.getByRole('group', { name: 'Row 1' }).getByLabel('Session').fill('Later keynote');
  // datetime-local takes the browser's local time: computed there, not in the test's process.
  const local = (hours: number) =>
    page.evaluate((h) => {
      const date = new Date(Date.now() + h * 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    }, hours);
  await page.getByLabel('Start at (optional)').fill(await local(2));
  await page.getByLabel('Deadline (optional)').fill(await local(5));
  await page.getByRole('button', { name: 'Create batch' }).click();

  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('batch-schedule')).toContainText('Starts');
  await expect(page.getByTestId('batch-schedule')).toContainText('Deadline');
  await expect(page.getByTestId('batch-starts-in')).toHaveText(/^starts in [12] h( \d+ min)?$/);
  await expect(page.getByTestId('batch-deadline')).toHaveText('deadline: ETA unknown');

  // Filtered to this batch: other specs create batches at the same time.
  await page.goto(`/event-monitor?q=${suffix}`);
  const card = page.getByRole('article', { name });
  await expect(card.getByTestId('batch-starts-in')).toHaveText(/^starts in /);
  await expect(card.getByTestId('batch-deadline')).toBeVisible();

  await page.getByRole('radio', { name: 'Table' }).click();
  const row = page.getByTestId('batch-row').filter({ hasText: name });
  await expect(row.getByTestId('batch-starts-in')).toHaveText(/^starts in /);
  await expect(row.getByTestId('batch-deadline')).toHaveText('deadline: ETA unknown');
});
