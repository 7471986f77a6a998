import { createBatchViaApi, expect as baseExpect, test, uniqueSuffix } from './fixtures';
import { live } from './live';

// A loaded machine (several suites at once) makes a first page take seconds: room for it.
const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ actionTimeout: 30_000 });

test('the jobs page searches across batches, keeps its filters in the URL and opens a typed id', async ({ page }) => {
  test.setTimeout(120_000);
  const suffix = uniqueSuffix();
  const jobType = `e2e-jobs-${suffix}`;
  const a = await createBatchViaApi(page, `Jobs A ${suffix}`, [`Walrus ${suffix} one`, `Walrus ${suffix} two`], 'private', jobType);
  const b = await createBatchViaApi(page, `Jobs B ${suffix}`, [`Narwhal ${suffix}`], 'private');
  const listed = await page.request.get(`/api/trpc/job.list?input=${encodeURIComponent(JSON.stringify({ json: { batch_id: a } }))}`, {
    headers: { origin: live().url },
  });
  expect(listed.ok(), await listed.text()).toBeTruthy();
  const jobId = ((await listed.json()) as { result: { data: { json: { jobs: { job_id: string }[] } } } }).result.data.json.jobs[0]!.job_id;

  // The main navigation leads to the page.
  await page.goto('/event-monitor');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('heading', { name: 'All jobs' })).toBeVisible();

  // Search words across batches: the suffix is a word of all three sessions.
  const search = page.getByRole('searchbox', { name: 'Search jobs' });
  await search.fill(suffix);
  const rows = page.getByTestId('all-jobs-row');
  await expect(rows).toHaveCount(3);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${suffix}`));
  await search.fill(`walrus ${suffix}`);
  await expect(rows).toHaveCount(2);

  // Filters live in the URL: a reload (or a shared link) shows the same view.
  await page.goto(`/jobs?q=${suffix}&type=${jobType}`);
  await expect(rows).toHaveCount(2);
  await page.goto(`/jobs?q=${suffix}&lang=fr`);
  await expect(page.getByText('No jobs match.')).toBeVisible();
  await page.goto(`/jobs?q=${suffix}&lang=de&status=pending`);
  await expect(rows).toHaveCount(3);
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Failed' }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByText('No jobs match.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Filter by status' })).toContainText('Failed');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/jobs$/);

  // Go-to-id: an unknown id says so; a job id opens its sheet in its batch; a batch id its page.
  await search.fill('job-does-not-exist');
  await search.press('Enter');
  await expect(page.getByText('No job or batch with the id “job-does-not-exist” that you may see.')).toBeVisible();
  await search.fill(jobId);
  await search.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/event-monitor/${a}\\?job=${jobId}`));
  await page.goto('/jobs');
  await page.getByRole('searchbox', { name: 'Search jobs' }).fill(b);
  await page.getByRole('searchbox', { name: 'Search jobs' }).press('Enter');
  await expect(page).toHaveURL(new RegExp(`/event-monitor/${b}$`));
});

test('the jobs page loads 50 jobs at a time: the count, and Load more until all are there', async ({ page }) => {
  const suffix = uniqueSuffix();
  const jobType = `e2e-jobs-more-${suffix}`;
  const sessions = Array.from({ length: 55 }, (_, index) => `Manatee ${suffix} ${index}`);
  await createBatchViaApi(page, `Jobs more ${suffix}`, sessions, 'private', jobType);
  await page.goto(`/jobs?type=${jobType}`);
  const rows = page.getByTestId('all-jobs-row');
  await expect(page.getByTestId('all-jobs-total')).toHaveText(/^50 of 55\+? jobs loaded$/);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page).toHaveURL(/[?&]pages=2/);
  await expect(page.getByTestId('all-jobs-total')).toHaveText(/^55 of 55\+? jobs loaded$/);
  await expect(rows.first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
});
