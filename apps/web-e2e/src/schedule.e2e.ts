import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createBatchViaApi, expect, screenshot, test, uniqueSuffix } from './fixtures';

/** A datetime-local value `hours` from now in the browser's time zone (computed there, not here). */
const localIn = (page: Page, hours: number) =>
  page.evaluate((h) => {
    const date = new Date(Date.now() + h * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }, hours);

test('a batch created with a start time shows "starts in" on its page and on the dashboard', async ({ page }) => {
  const suffix = uniqueSuffix();
  const name = `Scheduled ${suffix}`;
  await page.goto('/event-monitor/create-batch');
  await page.getByLabel('Batch name').fill(name);
  await page.getByRole('group', { name: 'Row 1' }).getByLabel('Session').fill('Later keynote');
  // datetime-local takes the browser's local time: computed there, not in the test's process.
  const local = (hours: number) => localIn(page, hours);
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

test('the batch page sets, refuses and clears a schedule through its dialog', async ({ page, consoleErrors }) => {
  const name = `Schedule dialog ${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(page, name, ['Talk']);
  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('batch-starts-in')).toHaveCount(0);

  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Schedule of “${name}”` });
  await expect(dialog).toBeVisible();
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(dialog.getByTestId('schedule-time-zone')).toContainText(zone);
  await expect(dialog.getByRole('button', { name: 'Save schedule' })).toBeDisabled();

  // A deadline before the start: the server refuses, the deadline field says why.
  await dialog.getByLabel('Start at', { exact: true }).fill(await localIn(page, 3));
  await dialog.getByLabel('Deadline', { exact: true }).fill(await localIn(page, 2));
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog.getByText('The deadline must be after the start time.')).toBeVisible();
  await expect(dialog.getByLabel('Deadline', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('The schedule was not saved')).toBeVisible();
  // Chromium logs the refused request (400); it is this test's doing.
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('status of 400')));
  await screenshot(page, 'schedule-dialog-refused-desktop-light');
  // The open dialog with its field error, light and dark (as a11y.e2e.ts audits the screens).
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === 'dark') await expect(page.locator('html')).toHaveClass(/(^|\s)dark(\s|$)/);
    const axe = await new AxeBuilder({ page }).include('[role="dialog"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id), colorScheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await dialog.getByLabel('Deadline', { exact: true }).fill(await localIn(page, 6));
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(page.getByText('Schedule saved')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('batch-starts-in')).toHaveText(/^starts in [23] h( \d+ min)?$/);
  await expect(page.getByTestId('batch-deadline')).toHaveText('deadline: ETA unknown');
  await expect(page.getByTestId('batch-schedule')).toContainText('Deadline');

  // Cleared again: both badges and the printed times go.
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(dialog.getByLabel('Start at', { exact: true })).not.toHaveValue('');
  await dialog.getByRole('button', { name: 'Clear start at' }).click();
  await dialog.getByRole('button', { name: 'Clear deadline' }).click();
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('batch-starts-in')).toHaveCount(0);
  await expect(page.getByTestId('batch-deadline')).toHaveCount(0);
  await expect(page.getByTestId('batch-schedule')).toHaveCount(0);
});

