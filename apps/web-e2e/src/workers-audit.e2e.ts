import type { Page } from '@playwright/test';
import { createBatchViaApi, expect, newOperator, screenshot, test, TestWorker, uniqueSuffix } from './fixtures';
import { live } from './live';

// The specs share one live server and run in parallel. This one's worker claims only its own job
// type, and fail-all runs as an operator of its own, which can write only its own batches.

const suffix = uniqueSuffix();
const jobType = `e2e-workers-${suffix}`;
const workerId = `e2e-workers-${suffix}`;
const reason = `Maintenance window ${suffix}`;

async function trpcQuery<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`/api/trpc/${path}`, { headers: { origin: live().url } });
  expect(response.ok(), await response.text()).toBeTruthy();
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/**
 * Makes the browser see `worker.list` answer "nobody", which is what the server answers once no
 * worker has claimed or heartbeated for the window asked (its own clock decides, so the spec cannot
 * age the workers it just ran). Every other procedure of a batched request keeps its real answer.
 */
async function hideWorkers(page: Page): Promise<void> {
  await page.route(/\/api\/trpc\/[^?]*worker\.list/, async (route) => {
    const response = await route.fetch();
    const procedures = decodeURIComponent(
      new URL(route.request().url()).pathname.replace('/api/trpc/', ''),
    ).split(',');
    const empty = { result: { data: { json: [] } } };
    const body: unknown = await response.json();
    const json = Array.isArray(body)
      ? body.map((part, i) => (procedures[i] === 'worker.list' ? empty : part))
      : empty;
    await route.fulfill({ response, json });
  });
}

test('the worker view lists a worker after it processed jobs, links its current job and flags it when it goes quiet', async ({
  page,
}) => {
  await createBatchViaApi(page, 'Worker view batch', ['Worker talk', 'Worker FAIL talk'], 'private', jobType);
  const worker = new TestWorker(jobType, workerId);
  const handled = await worker.drain();
  expect(handled).toHaveLength(2);

  // Then it takes one more job and keeps it: the view shows it as the worker's current job.
  const heldBatch = await createBatchViaApi(page, 'Held job batch', ['Held talk'], 'private', jobType);
  const held = await worker.claim();
  expect(held?.job.parameters.session).toBe('Held talk');

  await page.goto('/event-monitor');
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Workers' })
    .click();
  await expect(page).toHaveURL(/\/workers$/);
  await expect(page.getByRole('heading', { name: 'Workers', level: 1 })).toBeVisible();
  const row = page.getByRole('table', { name: 'Workers' }).getByRole('row').filter({ hasText: workerId });
  await expect(row).toBeVisible();
  const cells = row.getByRole('cell');
  await expect(cells.nth(1)).toContainText('Held talk');
  await expect(cells.nth(2)).toHaveText(/just now|seconds? ago/);
  await expect(cells.nth(3)).toHaveText(String(handled.length + 1));
  const [done, failed] = [Number(await cells.nth(4).innerText()), Number(await cells.nth(5).innerText())];
  expect(done + failed).toBe(handled.length);
  expect(failed).toBeGreaterThanOrEqual(1);
  await expect(row.getByText('Stale')).toHaveCount(0);
  await screenshot(page, 'workers-desktop-light');

  // The window selector asks the server for a wider window; the worker is still there.
  await page.getByLabel('Seen within').click();
  await page.getByRole('option', { name: 'Last 24 hours' }).click();
  await expect(row).toBeVisible();

  // The current job links to its batch page with the job sheet open.
  await row.getByRole('link', { name: /Held talk/ }).click();
  await expect(page).toHaveURL(new RegExp(`/event-monitor/${heldBatch}\\?job=${held!.job.job_id}$`));
  await expect(page.getByRole('dialog', { name: /Held talk/ })).toBeVisible();

  // Six minutes later (browser clock) the worker has been quiet for > 2 min while holding a job,
  // and the job's 5-minute lease has run out: both are flagged.
  await page.clock.setFixedTime(new Date(Date.now() + 6 * 60_000));
  await page.goto('/workers');
  await expect(row.getByText('Stale')).toBeVisible();
  await expect(row.getByText('Lease expired')).toBeVisible();
  await expect(row).toHaveAttribute('data-stale', 'true');

  await worker.complete(held!.job.job_id, held!.token, '# Held talk');
});

test('fail-all with a reason shows up on the admin audit page and in the batch history and job timeline', async ({
  browser,
  page,
  consoleErrors,
}) => {
  // Two users, four screens and five dialogs: 47-53 s on a quiet machine, so the default 60 s ran
  // out under the clean-clone CI's load (with the delete dialog's Cancel clicked but not yet closed).
  test.setTimeout(120_000);
  // The operator's fail-all touches exactly its own batch: its two jobs.
  const operator = await newOperator(browser, page, consoleErrors);
  const batchId = await createBatchViaApi(operator.page, 'Audit batch', ['Audit one', 'Audit two']);
  await operator.page.goto('/event-monitor');
  await operator.page.getByRole('button', { name: 'Fail all' }).click();
  const confirm = operator.page.getByRole('alertdialog', { name: 'Fail the unfinished jobs of your current batches?' });
  await expect(confirm).toContainText('2 job(s) in 1 batch(es) will change.');
  const jobs = 2;
  await confirm.getByLabel('Reason (required)').fill(reason);
  await confirm.getByRole('button', { name: 'Fail', exact: true }).click();
  await expect(operator.page.getByText(`${jobs} job(s) changed`)).toBeVisible();
  await operator.context.close();

  // The admin reads the audit trail.
  await page.goto('/event-monitor');

  // The admin audit page, reached through the admin navigation, filtered to fail-all events.
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Admin' })
    .click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit trail' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await page.getByLabel('Action', { exact: true }).click();
  await page.getByRole('option', { name: 'Jobs failed (bulk)' }).click();
  const event = page.getByRole('table', { name: 'Audit trail' }).getByRole('row').filter({ hasText: reason });
  await expect(event).toHaveCount(1);
  await expect(event).toContainText('job.bulk_fail');
  await expect(event.getByRole('cell').nth(4)).toHaveText(String(jobs));
  await expect(event).toContainText('Operator');

  // The object filter narrows to the events naming this batch: its creation and the fail-all.
  await page.getByLabel('Action', { exact: true }).click();
  await page.getByRole('option', { name: 'All actions' }).click();
  await page.getByLabel('Object id').fill(batchId);
  await expect(page.getByText('2 events')).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/dark/);
  await screenshot(page, 'audit-desktop-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The batch page's History (collapsed until opened) lists the event with its reason.
  await page.goto(`/event-monitor/${batchId}`);
  const history = page.getByTestId('batch-history');
  await history.getByRole('button', { name: /History/ }).click();
  const entries = history.getByRole('list', { name: 'History' }).getByRole('listitem');
  await expect(entries).toHaveCount(2);
  await expect(entries.first()).toContainText('Jobs failed (bulk)');
  await expect(entries.first()).toContainText(reason);
  await expect(entries.first()).toContainText(`${jobs} jobs`);
  await expect(entries.last()).toContainText('Batch created');

  // Restart the failed jobs with a reason: the dialog says how many, the history shows why.
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Restart failed jobs' }).click();
  const restart = page.getByRole('alertdialog', { name: 'Restart batch "Audit batch"?' });
  await expect(restart).toContainText('2 failed jobs go back to pending.');
  await restart.getByLabel('Reason (optional)').fill(`Retry after ${reason}`);
  await restart.getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByText('2 jobs restarted')).toBeVisible();
  await expect(entries).toHaveCount(3);
  await expect(entries.first()).toContainText('Batch restarted');
  await expect(entries.first()).toContainText(`Retry after ${reason}`);
  await screenshot(page, 'batch-history-desktop-light');

  // Delete states how many jobs go with the batch (cancelled here).
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const remove = page.getByRole('alertdialog', { name: 'Delete batch "Audit batch"?' });
  await expect(remove).toContainText('The batch and its 2 jobs are deleted.');
  await remove.getByRole('button', { name: 'Cancel' }).click();
  await expect(remove).toBeHidden();

  // The job's Timeline merges its own milestones with the audit events, oldest first.
  await page.getByRole('button', { name: /^Open .*Audit one$/ }).click();
  const sheet = page.getByRole('dialog', { name: /Audit one/ });
  await sheet.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = sheet.getByRole('list', { name: 'Timeline' }).getByRole('listitem');
  await expect(timeline).toHaveCount(4);
  await expect(timeline.nth(0)).toContainText('Created');
  await expect(timeline.nth(1)).toContainText('Batch created');
  await expect(timeline.nth(2)).toContainText('Jobs failed (bulk)');
  await expect(timeline.nth(3)).toContainText('Batch restarted');
});

test('the dashboard warns when jobs are pending and no worker was seen for 5 minutes', async ({
  browser,
  page,
  consoleErrors,
}) => {
  // An operator's own batch: one job a worker finished seconds ago, two still pending. The
  // operator's counts hold its own jobs and public ones (other specs may add those meanwhile).
  const operator = await newOperator(browser, page, consoleErrors);
  const ownType = `e2e-banner-${uniqueSuffix()}`;
  await createBatchViaApi(operator.page, 'Banner batch', ['Banner done', 'Banner one', 'Banner two'], 'private', ownType);
  const worker = new TestWorker(ownType);
  const claimed = await worker.claim();
  expect(claimed).not.toBeNull();
  await worker.complete(claimed!.job.job_id, claimed!.token, '# Done');
  const pending = async () => (await trpcQuery<{ jobs: { pending: number } }>(operator.page, 'batch.stats')).jobs.pending;
  expect(await pending()).toBeGreaterThanOrEqual(2);

  // Really: a worker was seen seconds ago, so no warning despite pending jobs.
  const viewer = operator.page;
  const workersSeen = viewer.waitForResponse((r) => r.url().includes('worker.list') && r.ok());
  await viewer.goto('/event-monitor');
  await workersSeen;
  await expect(viewer.getByRole('heading', { name: 'Event processing monitor' })).toBeVisible();
  await expect(viewer.getByTestId('no-worker-banner')).toHaveCount(0);

  // With the server answering "no worker within 5 minutes", the same jobs raise the warning.
  await hideWorkers(viewer);
  const banner = viewer.getByTestId('no-worker-banner');
  await expect(async () => {
    const waiting = await pending();
    await viewer.reload();
    await expect(banner).toContainText('No worker is running', { timeout: 5_000 });
    await expect(banner).toContainText(`${waiting} jobs are waiting, but no worker has been seen for 5 minutes.`, {
      timeout: 3_000,
    });
  }).toPass({ timeout: 45_000, intervals: [1_000] });
  await banner.getByRole('link', { name: 'Open the worker view' }).click();
  await expect(viewer).toHaveURL(/\/workers$/);
  await expect(viewer.getByText('No worker has been seen in this time window.')).toBeVisible();
  await operator.context.close();
});
