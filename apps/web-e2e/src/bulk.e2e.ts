import { createBatchViaApi, expect, test, TestWorker, uniqueSuffix } from './fixtures';
import { live } from './live';

test('select all N matching jobs and restart them with one request, a required reason and a confirmation', async ({ page }) => {
  // A worker fails 60 jobs first (four calls each): more than the default minute on a loaded machine.
  test.setTimeout(120_000);
  const jobType = `e2e-bulk-${uniqueSuffix()}`;
  // 60 jobs: more than the 50 a page loads, so "all matching" reaches rows that are not loaded.
  const sessions = Array.from({ length: 60 }, (_, i) => `FAIL bulk ${String(i + 1).padStart(2, '0')}`);
  const batchId = await createBatchViaApi(page, 'Bulk batch', sessions, 'private', jobType);
  expect(await new TestWorker(jobType).drain()).toHaveLength(60);

  await page.goto(`/event-monitor/${batchId}`);
  const counters = page.getByTestId('batch-counters');
  await expect(counters).toContainText('Failed: 60');
  await expect(page.getByTestId('jobs-loaded')).toHaveText('50 of 60 jobs loaded');
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/trpc/')) calls.push(decodeURIComponent(url.pathname));
  });

  await page.getByRole('checkbox', { name: 'Select all loaded jobs' }).check();
  await page.getByRole('toolbar', { name: '50 selected' }).getByRole('button', { name: 'Select all 60 matching' }).click();
  const toolbar = page.getByRole('toolbar', { name: 'All 60 matching jobs selected' });
  await toolbar.getByRole('button', { name: 'Restart' }).click();

  const dialog = page.getByRole('alertdialog', { name: 'Restart jobs' });
  await expect(dialog).toContainText('60 job(s) in 1 batch(es) will change.');
  const confirm = dialog.getByRole('button', { name: 'Restart' });
  // The reason is required: no confirming without one.
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Reason (required)').fill('the download mirror is back');
  // The answer reaches the page 3 s late: meanwhile the dialog polls the run's progress by the
  // run_id it sent, and shows how far the server got.
  await page.route(/job\.bulkRestart/, async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.fulfill({ response });
  });
  await confirm.click();
  await expect(dialog.getByRole('status')).toContainText('60 of 60 job(s) done');

  await expect(page.getByText('60 job(s) changed')).toBeVisible();
  await expect(counters).toContainText('Pending: 60');
  // One request for all 60 jobs, none per job.
  expect(calls.filter((path) => path.includes('job.bulkRestart'))).toHaveLength(1);
  expect(calls.filter((path) => /job\.restart(,|$)/.test(path))).toEqual([]);

  // The batch history names the one bulk event with its reason.
  const history = page.getByTestId('batch-history');
  await history.getByRole('button', { name: /History/ }).click();
  const entries = history.getByRole('list', { name: 'History' }).getByRole('listitem');
  await expect(entries.first()).toContainText('Jobs restarted (bulk)');
  await expect(entries.first()).toContainText('the download mirror is back');
});

test("cancel a processing job from its sheet: the worker's next heartbeat is refused", async ({ page }) => {
  const jobType = `e2e-cancel-${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(page, 'Cancel batch', ['Long talk', 'Short talk', 'Other talk'], 'private', jobType);
  const worker = new TestWorker(jobType);
  const claimed = await worker.claim();
  expect(claimed).not.toBeNull();
  const { job, token } = claimed!;

  await page.goto(`/event-monitor/${batchId}`);
  await page.getByRole('button', { name: new RegExp(`^Open .*${job.parameters.session}$`) }).click();
  const sheet = page.getByRole('dialog', { name: new RegExp(job.parameters.session ?? '') });
  await expect(sheet.getByText('Processing').first()).toBeVisible();
  await sheet.getByRole('button', { name: 'Cancel job' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Cancel this job?' });
  await confirm.getByLabel('Reason (optional)').fill('speaker withdrew');
  await confirm.getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.getByText('Job cancelled')).toBeVisible();
  await expect(sheet.getByText('CANCELLED')).toBeVisible();
  await expect(sheet.getByRole('button', { name: 'Cancel job' })).toHaveCount(0);

  // The worker learns at its next heartbeat: 409, the SDK's "lease lost".
  const heartbeat = await fetch(`${live().url}/api/event-job/worker/jobs/${job.job_id}/heartbeat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${live().workerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(heartbeat.status).toBe(409);
  await page.keyboard.press('Escape');

  // Fail the unfinished jobs of the batch (the two pending ones) from the batch page.
  await page.getByRole('button', { name: 'Fail unfinished jobs' }).click();
  const fail = page.getByRole('alertdialog', { name: 'Fail jobs' });
  await expect(fail).toContainText('2 job(s) in 1 batch(es) will change.');
  await fail.getByLabel('Reason (required)').fill('event cancelled');
  await fail.getByRole('button', { name: 'Fail' }).click();
  await expect(page.getByText('2 job(s) changed')).toBeVisible();
  await expect(page.getByTestId('batch-counters')).toContainText('Failed: 3');
});
