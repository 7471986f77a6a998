import { createBatchViaApi, expect, screenshot, test, TestWorker, uniqueSuffix } from './fixtures';

// Specs share one live server: this one pauses and limits a job type of its own only, and resumes
// it before it ends (the dashboard of other specs shows paused types meanwhile).

const suffix = uniqueSuffix();
const jobType = `e2e-flow-${suffix}`;

test('an admin limits and pauses a job type on the limits screen; workers and the dashboard show it; the claim obeys', async ({ page }) => {
  await createBatchViaApi(page, 'Flow batch', ['Flow one', 'Flow two', 'Flow three'], 'private', jobType);
  const worker = new TestWorker(jobType, `e2e-flow-${suffix}`);

  // Reached from the workers page.
  await page.goto('/workers');
  await page.getByTestId('flow-link').click();
  await expect(page).toHaveURL(/\/workers\/flow$/);
  await expect(page.getByRole('heading', { name: 'Job types: pause and limits', level: 1 })).toBeVisible();
  await expect(page.getByText('Legacy workers that claim directly in MongoDB do not honour')).toBeVisible();

  // A limit of one job at once: the second claim gets nothing while the first job is held.
  const form = page.getByRole('form', { name: 'Add or edit a job type' });
  await form.getByLabel('Job type').fill(jobType);
  await form.getByLabel('At once').fill('1');
  await form.getByRole('button', { name: 'Save limits' }).click();
  const row = page.getByTestId(`flow-row-${jobType}`);
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await expect(row.getByRole('cell').nth(3)).toHaveText('no limit');

  const first = await worker.claim();
  expect(first).not.toBeNull();
  expect(await worker.claim()).toBeNull();
  await expect(row.getByRole('cell').nth(4)).toHaveText('1', { timeout: 10_000 });
  await screenshot(page, 'flow-limits');
  await worker.complete(first!.job.job_id, first!.token, '# Flow one');

  // Paused: nothing is handed out; the workers page and the dashboard name the type.
  await row.getByRole('button', { name: 'Pause' }).click();
  await expect(row.getByText('Paused')).toBeVisible();
  expect(await worker.claim()).toBeNull();
  await page.goto('/workers');
  await expect(page.getByTestId('paused-types')).toContainText(jobType);
  await page.goto('/event-monitor');
  await expect(page.getByTestId('paused-types')).toContainText(jobType);

  // Resumed: handed out again, still one at a time.
  await page.goto('/workers/flow');
  await page.getByTestId(`flow-row-${jobType}`).getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId(`flow-row-${jobType}`).getByText('Running')).toBeVisible();
  const second = await worker.claim();
  expect(second).not.toBeNull();
  expect(await worker.claim()).toBeNull();
  await worker.complete(second!.job.job_id, second!.token, '# Flow two');

  // Limits removed (empty fields): the rest is handed out without waiting.
  const again = page.getByRole('form', { name: 'Add or edit a job type' });
  await again.getByLabel('Job type').fill(jobType);
  await again.getByRole('button', { name: 'Save limits' }).click();
  await expect(page.getByTestId(`flow-row-${jobType}`)).toHaveCount(0);
  expect(await worker.drain()).toHaveLength(1);
});
