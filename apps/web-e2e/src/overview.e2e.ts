import type { Page } from '@playwright/test';
import { createBatchViaApi, expect, screenshot, test, TestWorker, uniqueSuffix } from './fixtures';

interface Overview {
  now: { pending: number; processing: number };
  last_hour: { completed: number; failed: number };
  workers: { active: number };
}

/** The server's strip numbers (other specs change them at the same time: compare differences). */
async function overview(page: Page): Promise<Overview> {
  const response = await page.request.get('/api/trpc/batch.overview');
  expect(response.ok(), await response.text()).toBeTruthy();
  return ((await response.json()) as { result: { data: { json: Overview } } }).result.data.json;
}

const strip = (page: Page, key: string) =>
  page.getByTestId('overview-strip').getByTestId(`overview-${key}`).getByTestId('overview-value');

test.describe('dashboard overview', () => {
  test('the strip shows the jobs a worker finished in the last hour and the active workers, live', async ({
    page,
  }) => {
    // The page first: the worker's jobs must reach the strip through the live feed, not a reload.
    await page.goto('/event-monitor');
    await expect(page.getByRole('region', { name: 'At a glance' })).toBeVisible();
    // The strip loads after hydration (a skeleton until then): wait for its numbers, not for time.
    for (const key of ['pending', 'processing', 'completed', 'failed', 'workers']) {
      await expect(strip(page, key)).toHaveText(/^\d[\d,]*$/);
    }
    const before = await overview(page);
    const suffix = uniqueSuffix();
    const jobType = `e2e-overview-${suffix}`;
    await createBatchViaApi(
      page,
      `Overview strip ${suffix}`,
      ['Keynote', 'Panel', 'Lightning talks', 'FAIL: broken stream'],
      'private',
      jobType,
    );
    expect(await new TestWorker(jobType).drain()).toHaveLength(4);
    const after = await overview(page);
    expect(after.last_hour.completed - before.last_hour.completed).toBeGreaterThanOrEqual(3);
    expect(after.last_hour.failed - before.last_hour.failed).toBeGreaterThanOrEqual(1);
    expect(after.workers.active).toBeGreaterThanOrEqual(1);

    // Other specs finish jobs meanwhile: poll the server and the (never reloaded) page until they
    // agree. Within 20 s, under the strip's 30 s interval: the live feed must have refreshed it.
    await expect(async () => {
      const now = await overview(page);
      const shown = await Promise.all(
        ['completed', 'failed', 'workers'].map((key) => strip(page, key).textContent()),
      );
      expect(shown).toEqual([
        now.last_hour.completed.toLocaleString('en-GB'),
        now.last_hour.failed.toLocaleString('en-GB'),
        String(now.workers.active),
      ]);
    }).toPass({ timeout: 20_000 });
  });

  test('the compact table: in the URL, sortable, ETA unknown until two jobs finished', async ({ page }) => {
    const suffix = uniqueSuffix();
    const jobType = `e2e-overview-table-${suffix}`;
    // Alpha is worked on by this spec's worker; Beta's jobs have the default type nobody claims.
    await createBatchViaApi(page, `Alpha ${suffix}`, ['One', 'Two', 'Three', 'Four'], 'private', jobType);
    await createBatchViaApi(page, `Beta ${suffix}`, ['Five', 'Six']);

    await page.goto(`/event-monitor?q=${suffix}`);
    await page.getByRole('radio', { name: 'Table' }).click();
    await expect(page).toHaveURL(/view=table/);
    const table = page.getByTestId('batch-table');
    const rows = table.getByTestId('batch-row');
    await expect(rows).toHaveCount(2);
    const row = (name: string) => rows.filter({ has: page.getByRole('link', { name: `${name} ${suffix}` }) });
    await expect(row('Alpha').getByTestId('batch-eta')).toHaveText('unknown');
    await expect(row('Alpha').getByTestId('batch-owner')).not.toBeEmpty();

    const worker = new TestWorker(jobType);
    for (let i = 0; i < 2; i++) {
      const claim = await worker.claim();
      if (!claim) throw new Error('the worker found no job of its type');
      await worker.complete(claim.job.job_id, claim.token, '# done');
    }
    // Two of four done: 50 %, and an estimate from the observed rate, shown by the live feed.
    await expect(row('Alpha').getByTestId('batch-progress')).toContainText('50%');
    await expect(row('Alpha').getByTestId('batch-eta')).toHaveText(/^≈ \d/);
    await expect(row('Beta').getByTestId('batch-eta')).toHaveText('unknown');

    const names = rows.getByRole('link');
    await page.getByRole('button', { name: 'Sort by Progress' }).click();
    await expect(page).toHaveURL(/sort=progress/);
    await expect(page.getByRole('columnheader', { name: 'Sort by Progress' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await expect(names).toHaveText([`Beta ${suffix}`, `Alpha ${suffix}`]);
    await page.getByRole('button', { name: 'Sort by Progress' }).click();
    await expect(page).toHaveURL(/dir=desc/);
    await expect(page.getByRole('columnheader', { name: 'Sort by Progress' })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    await expect(names).toHaveText([`Alpha ${suffix}`, `Beta ${suffix}`]);

    // The view and its sort survive a reload (a shared link shows the same table).
    await page.reload();
    await expect(rows).toHaveCount(2);
    await expect(names).toHaveText([`Alpha ${suffix}`, `Beta ${suffix}`]);
    // Unknown ETAs go last, ascending and descending.
    await page.getByRole('button', { name: 'Sort by ETA' }).click();
    await expect(page).toHaveURL(/sort=eta/);
    await expect(names).toHaveText([`Alpha ${suffix}`, `Beta ${suffix}`]);
    await page.getByRole('button', { name: 'Sort by Batch' }).click();
    await page.getByRole('button', { name: 'Sort by Batch' }).click();
    await expect(names).toHaveText([`Beta ${suffix}`, `Alpha ${suffix}`]);
    await screenshot(page, 'dashboard-table-desktop-light');

    // Back to the cards: the toggle is a radio group.
    await page.getByRole('radio', { name: 'Cards' }).click();
    await expect(page).not.toHaveURL(/view=table/);
    await expect(page.getByTestId('batch-card')).toHaveCount(2);
  });
});
