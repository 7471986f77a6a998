import { createBatchViaApi, expect, screenshot, test, TestWorker, uniqueSuffix } from './fixtures';

/** Finished jobs of other specs (running at the same time) count too: compare differences. */
async function totals(page: import('@playwright/test').Page): Promise<{ completed: number; failed: number }> {
  const response = await page.request.get(
    `/api/trpc/metrics.throughput?input=${encodeURIComponent(JSON.stringify({ json: { range: '1h' } }))}`,
  );
  expect(response.ok(), await response.text()).toBeTruthy();
  const body = (await response.json()) as {
    result: { data: { json: { totals: { completed: number; failed: number } } } };
  };
  return body.result.data.json.totals;
}

test.describe('metrics page', () => {
  test('shows jobs a worker finished, the failure code, durations and batch progress', async ({ page }) => {
    const before = await totals(page);
    const suffix = uniqueSuffix();
    const batchName = `Metrics batch ${suffix}`;
    const jobType = `e2e-metrics-${suffix}`;
    const sessions = ['Keynote', 'Panel', 'Lightning talks', 'FAIL: broken stream'];
    await createBatchViaApi(page, batchName, sessions, 'private', jobType);
    const handled = await new TestWorker(jobType).drain();
    expect(handled).toHaveLength(4);
    const after = await totals(page);
    expect(after.completed - before.completed).toBeGreaterThanOrEqual(3);

    await page.goto('/metrics?range=1h');
    await expect(page.getByRole('heading', { name: 'Metrics', level: 1 })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Last hour' })).toHaveAttribute('aria-checked', 'true');

    // The page shows the server's totals; other specs finish jobs meanwhile, so read both again
    // until they agree.
    const throughput = page.getByTestId('metric-throughput');
    await expect(async () => {
      const now = await totals(page);
      await page.reload();
      await expect(throughput.getByTestId('total-completed')).toHaveText(String(now.completed), { timeout: 3_000 });
      await expect(throughput.getByTestId('total-failed')).toHaveText(String(now.failed), { timeout: 3_000 });
    }).toPass({ timeout: 45_000, intervals: [1_000] });
    await expect(
      throughput.getByTestId('throughput-chart').locator('.recharts-bar-rectangle').first(),
    ).toBeVisible();

    const failures = page.getByTestId('metric-failures');
    await expect(failures.getByTestId('failures-chart')).toContainText('DOWNLOAD_FAILED');

    await expect(page.getByTestId('metric-durations').getByTestId('duration-p50')).toHaveText(/\d/);

    const batches = page.getByTestId('metric-batches');
    await expect(batches.getByRole('link', { name: batchName })).toBeVisible();
    await expect(batches.getByRole('progressbar', { name: `Progress: ${batchName}` })).toBeVisible();

    // The server samples the queue on its maintenance tick (every 15 s): wait for one reading.
    const queue = page.getByTestId('metric-queue');
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(queue.getByTestId('queue-chart')).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000, intervals: [2_000] });

    await page.waitForLoadState('networkidle');
    await screenshot(page, 'metrics-desktop-light');

    // The range is in the URL and survives a reload.
    await page.getByRole('radio', { name: 'Last 7 days' }).click();
    await expect(page).toHaveURL(/\?range=7d$/);
    await page.reload();
    await expect(page.getByRole('radio', { name: 'Last 7 days' })).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('metric-throughput').getByTestId('total-completed')).toHaveText(/\d/);
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

    test('the cards stack and nothing scrolls sideways', async ({ page }) => {
      await page.goto('/metrics?range=24h');
      await expect(page.getByTestId('metric-throughput').getByTestId('throughput-chart')).toBeVisible();
      await expect(page.getByTestId('metric-failures').getByTestId('failures-chart')).toBeVisible();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, 'metrics-mobile-light');
    });
  });

  test.describe('in dark mode', () => {
    test.use({ colorScheme: 'dark' });

    test('charts keep their colours and labels readable', async ({ page }) => {
      await page.goto('/metrics?range=1h');
      await expect(page.locator('html')).toHaveClass(/dark/);
      await expect(page.getByTestId('metric-throughput').getByTestId('throughput-chart')).toBeVisible();
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'metrics-desktop-dark');
    });
  });
});
