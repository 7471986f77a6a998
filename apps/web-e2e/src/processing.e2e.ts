import { createBatchViaApi, expect, screenshot, test, TestWorker, uniqueSuffix } from './fixtures';

test('watch jobs progress while a worker processes them, read logs and result, restart and change language', async ({
  page,
}) => {
  const jobType = `e2e-processing-${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(page, 'Processing batch', ['Keynote', 'Panel', 'FAIL session'], 'private', jobType);
  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByRole('heading', { name: 'Processing batch', level: 1 })).toBeVisible();
  const counters = page.getByTestId('batch-counters');
  await expect(counters).toContainText('Pending: 3');

  // Live updates: the worker's changes arrive through the change feed, without reload or refresh.
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  const worker = new TestWorker(jobType);
  const handled = await worker.drain();
  expect(handled).toHaveLength(3);

  await expect(counters).toContainText('Completed: 2', { timeout: 3_000 });
  await expect(counters).toContainText('Failed: 1', { timeout: 3_000 });
  await screenshot(page, 'batch-desktop-light');

  // A completed job: logs and the rendered (sanitised) markdown result.
  await page.getByRole('button', { name: /^Open .*Keynote$/ }).click();
  const sheet = page.getByRole('dialog', { name: /Keynote/ });
  await expect(sheet.getByText('Completed').first()).toBeVisible();
  const result = sheet.getByTestId('job-result');
  await expect(result.getByRole('heading', { name: 'Keynote' })).toBeVisible();
  await expect(result.locator('strong')).toHaveText('Keynote');
  await expect(result.locator('script')).toHaveCount(0);
  await sheet.getByRole('tab', { name: 'Logs' }).click();
  await expect(sheet.getByRole('log')).toContainText('Downloading Keynote');
  await expect(sheet.getByRole('log')).toContainText('Slides not found');
  await screenshot(page, 'job-sheet-desktop-light');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  // The failed job: its error, then a restart with options.
  await page.getByRole('button', { name: /^Open .*FAIL session$/ }).click();
  const failed = page.getByRole('dialog', { name: /FAIL session/ });
  await expect(failed.getByText('DOWNLOAD_FAILED')).toBeVisible();
  await failed.getByRole('button', { name: 'Restart' }).click();
  const restart = page.getByRole('dialog', { name: 'Restart job' });
  await restart.getByLabel('Bypass the cache (recompute everything)').check();
  await restart.getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByText('Job restarted')).toBeVisible();
  await expect(failed.getByText('Pending').first()).toBeVisible();

  // Change the target language of that job.
  await failed.getByRole('button', { name: 'Change language' }).click();
  const language = page.getByRole('dialog', { name: 'Change target language' });
  await language.getByRole('combobox', { name: 'Target language' }).click();
  await page.getByRole('option', { name: 'fr — Français' }).click();
  await language.getByRole('button', { name: 'Change language' }).click();
  await expect(page.getByText('Language changed for 1 job', { exact: true })).toBeVisible();
  await failed.getByRole('tab', { name: 'Parameters' }).click();
  await expect(failed.getByText('fr', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  // Bulk: select two jobs and change their language from the table.
  await page.getByRole('checkbox', { name: /^Select .*Keynote$/ }).check();
  await page.getByRole('checkbox', { name: /^Select .*Panel$/ }).check();
  await page
    .getByRole('toolbar', { name: '2 selected' })
    .getByRole('button', { name: 'Change language' })
    .click();
  const bulk = page.getByRole('dialog', { name: 'Change target language' });
  await bulk.getByRole('combobox', { name: 'Target language' }).click();
  await page.getByRole('option', { name: 'it — Italiano' }).click();
  await bulk.getByRole('button', { name: 'Change language' }).click();
  await expect(page.getByText('Language changed for 2 jobs')).toBeVisible();
  await expect(page.getByRole('row', { name: /Keynote/ })).toContainText('en → it');
});
