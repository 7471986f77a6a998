import type { Route } from '@playwright/test';
import { createBatchViaApi, expect, test } from './fixtures';

const talks = (n: number) => Array.from({ length: n }, (_, i) => `Talk ${String(i + 1).padStart(3, '0')}`);

test('the dashboard paints its batches from the HTML: no batch.list request on load', async ({ page }) => {
  const name = `Server-rendered ${Date.now().toString(36)}`;
  await createBatchViaApi(page, name, ['Keynote']);

  // Every tRPC request waits until the end of the test's first part.
  const held: Route[] = [];
  let released = false;
  await page.route('**/api/trpc/**', (route) => (released ? route.continue() : void held.push(route)));
  await page.goto('/event-monitor');
  await expect(page.getByRole('article', { name })).toBeVisible();
  await expect(page.getByRole('tab', { name: /Current batches\s*\d+/ })).toBeVisible();
  // The client is hydrated and has asked for what the server did not prefetch (the worker
  // banner's queries, batched into one request); the batch list and tab counts are not among them.
  await expect.poll(() => held.some((r) => r.request().url().includes('worker.list'))).toBe(true);
  const asked = held.map((r) => decodeURIComponent(new URL(r.request().url()).pathname));
  expect(asked.filter((path) => /batch\.(list|tabs)/.test(path))).toEqual([]);

  released = true;
  await Promise.all(held.map((route) => route.continue()));
  // Live updates still work on the hydrated page.
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
});

test('a batch of 600 jobs: pages accumulate, and only the visible rows are in the DOM', async ({ page }) => {
  const batchId = await createBatchViaApi(page, 'Large batch', talks(600));
  await page.goto(`/event-monitor/${batchId}`);
  const loaded = page.getByTestId('jobs-loaded');
  await expect(loaded).toHaveText('50 of 600 jobs loaded');
  await expect(page.getByTestId('job-row')).toHaveCount(50);

  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(loaded).toHaveText('100 of 600 jobs loaded');

  // 500 per load: three requests of at most 200 in a row, each after the previous one's end.
  await page.getByRole('combobox', { name: 'Jobs per load' }).click();
  await page.getByRole('option', { name: '500' }).click();
  await expect(loaded).toHaveText('600 of 600 jobs loaded');
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);

  const table = page.getByRole('table', { name: 'Jobs' });
  await expect(table).toHaveAttribute('aria-rowcount', '601');
  const rowsInDom = await page.getByTestId('job-row').count();
  expect(rowsInDom).toBeGreaterThan(5);
  expect(rowsInDom).toBeLessThan(100);
  await expect(page.getByRole('button', { name: /Talk 600$/ })).toHaveCount(0);

  // Scrolling shows the later rows, still few at a time, in order and without duplicates.
  const scroller = page.getByTestId('job-table-scroll');
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(page.getByRole('button', { name: /Talk 600$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /Talk 001$/ })).toHaveCount(0);
  expect(await page.getByTestId('job-row').count()).toBeLessThan(100);

  // Keyboard: select the last job with Space, open it with Enter.
  const lastBox = page.getByRole('checkbox', { name: /Select .*Talk 600$/ });
  await lastBox.focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('toolbar', { name: '1 selected' })).toBeVisible();
  // The selection survives the row leaving the DOM and coming back.
  await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(page.getByRole('button', { name: /Talk 001$/ })).toBeVisible();
  await expect(lastBox).toHaveCount(0);
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(lastBox).toBeChecked();

  await page.getByRole('button', { name: /^Open .*Talk 600$/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: /Talk 600/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test.describe('mobile, 375 px', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('the job list of a large batch is virtualised too', async ({ page }) => {
    const batchId = await createBatchViaApi(page, 'Large batch on a phone', talks(300));
    await page.goto(`/event-monitor/${batchId}`);
    await page.getByRole('combobox', { name: 'Jobs per load' }).click();
    await page.getByRole('option', { name: '500' }).click();
    await expect(page.getByTestId('jobs-loaded')).toHaveText('300 of 300 jobs loaded');
    expect(await page.getByTestId('job-item').count()).toBeLessThan(60);
    const list = page.getByRole('list', { name: 'Jobs' });
    await list.evaluate((element) => element.parentElement?.scrollTo({ top: element.parentElement.scrollHeight }));
    await expect(page.getByRole('button', { name: /^Open .*Talk 300$/ })).toBeVisible();
  });
});
