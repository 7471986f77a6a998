import { readFile } from 'node:fs/promises';
import { createBatchViaApi, expect as baseExpect, test, TestWorker, uniqueSuffix } from './fixtures';

// A loaded machine (several suites at once) makes a first page take seconds: room for it.
const expect = baseExpect.configure({ timeout: 30_000 });
test.use({ actionTimeout: 30_000 });

/**
 * Fails every job of `jobType` through the worker protocol: sessions starting with "DL" with a
 * download error whose URL and number vary, "OOM" with another message, both under `code`; the
 * rest complete.
 */
async function failJobs(jobType: string, code: string): Promise<number> {
  const worker = new TestWorker(jobType);
  let handled = 0;
  for (let claimed = await worker.claim(); claimed; claimed = await worker.claim()) {
    const { job, token } = claimed;
    const session = job.parameters.session ?? '';
    const n = handled + 1;
    if (session.startsWith('DL'))
      await worker.fail(
        job.job_id,
        token,
        code,
        `Download of https://cdn${n}.example.org/v/${n * 7}.mp4 failed with HTTP 50${n % 4}\nTraceback (most recent call last)`,
      );
    else if (session.startsWith('OOM'))
      await worker.fail(job.job_id, token, code, `Whisper ran out of memory after ${n * 3} s`);
    else await worker.complete(job.job_id, token, `# ${session}`);
    handled += 1;
  }
  return handled;
}

test('failures grouped across batches; the view is in the URL; restart all of one group', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const suffix = uniqueSuffix();
  const jobType = `e2e-triage-${suffix}`;
  // An error code of this spec's own: the failures view (as admin) also holds other specs' failures.
  const code = `TRIAGE_${suffix.toUpperCase()}`;
  const a = await createBatchViaApi(
    page,
    `Triage A ${suffix}`,
    ['DL one', 'DL two', 'DL three', 'OOM one', 'OK one'],
    'private',
    jobType,
  );
  await createBatchViaApi(page, `Triage B ${suffix}`, ['DL four', 'DL five'], 'private', jobType);
  expect(await failJobs(jobType, code)).toBe(7);

  // The batch's job list: an error column with the code and the first line of the message.
  await page.goto(`/event-monitor/${a}?status=failed`);
  const errors = page.getByRole('table').getByTestId('job-error');
  await expect(errors).toHaveCount(4);
  await expect(errors.first()).toContainText(code);
  await expect(page.getByRole('table')).toContainText(
    /Download of https:\/\/cdn\d\.example\.org\/v\/\d+\.mp4 failed with HTTP 50\d/,
  );
  await expect(page.getByRole('table')).not.toContainText('Traceback');

  // The failures view, narrowed to this spec's code through the URL.
  await page.goto(`/failures?code=${code}`);
  const groups = page.getByTestId('failure-group');
  await expect(groups).toHaveCount(2);
  const download = groups.filter({ hasText: 'Download of <url> failed with HTTP <n>' });
  await expect(download.getByTestId('failure-count')).toHaveText('5');
  await expect(
    groups.filter({ hasText: 'Whisper ran out of memory after <n> s' }).getByTestId('failure-count'),
  ).toHaveText('1');
  await expect(page.getByTestId('failure-total')).toHaveText('6 failed job(s) in 2 group(s)');

  // The group's unresolved jobs; the URL names the group, so a reload shows the same.
  await download.getByRole('button', { name: 'Show jobs' }).click();
  await expect(page).toHaveURL(/[?&]sig=[0-9a-f]{16}/);
  await expect(page.getByTestId('failure-job')).toHaveCount(5);
  const groupUrl = page.url();
  await page.reload();
  await expect(page.getByTestId('failure-job')).toHaveCount(5);
  expect(page.url()).toBe(groupUrl);
  // Back leaves the group, forward returns to it.
  await page.goBack();
  await expect(page.getByTestId('failure-job')).toHaveCount(0);
  await expect(groups).toHaveCount(2);
  await page.goForward();
  await expect(page.getByTestId('failure-job')).toHaveCount(5);

  // Restart all of the group: one bulk request by signature, two batches, so the phrase is typed.
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/trpc/')) calls.push(decodeURIComponent(url.pathname));
  });
  await page
    .getByRole('region', { name: /Unresolved jobs of this group/ })
    .getByRole('button', { name: 'Restart all' })
    .click();
  const dialog = page.getByRole('alertdialog', { name: 'Restart the 5 failed job(s) of this group?' });
  await expect(dialog).toContainText('5 job(s) in 2 batch(es) will change.');
  await dialog.getByLabel('Reason (required)').fill('the CDN is back');
  await dialog.getByLabel(/Type “restart 5 jobs” to confirm/).fill('restart 5 jobs');
  await dialog.getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByText('5 job(s) changed')).toBeVisible();
  expect(calls.filter((path) => path.includes('job.bulkRestart'))).toHaveLength(1);

  // Only the other group is left; the restarted jobs are pending again.
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toContainText('Whisper ran out of memory');
  await page.goto(`/event-monitor/${a}`);
  await expect(page.getByTestId('batch-counters')).toContainText('Pending: 3');
});

test('the batch page keeps status, search and pages in the URL: reload, back and forward restore them', async ({ page }) => {
  test.setTimeout(300_000);
  const jobType = `e2e-url-${uniqueSuffix()}`;
  const sessions = Array.from({ length: 55 }, (_, i) => `Talk ${String(i + 1).padStart(2, '0')}`);
  const batchId = await createBatchViaApi(page, 'URL state batch', sessions, 'private', jobType);
  // Two jobs fail, so the status filter has something to leave out.
  const worker = new TestWorker(jobType);
  for (let i = 0; i < 2; i++) {
    const claimed = await worker.claim();
    await worker.fail(claimed!.job.job_id, claimed!.token, 'E2E', 'failed on purpose');
  }

  await page.goto(`/event-monitor/${batchId}`);
  const loaded = page.getByTestId('jobs-loaded');
  const search = page.getByRole('searchbox', { name: 'Search event, session, track, speakers' });
  await expect(loaded).toHaveText('50 of 55 jobs loaded');
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Pending' }).click();
  await expect(page).toHaveURL(/[?&]status=pending/);
  await expect(loaded).toHaveText('50 of 53 jobs loaded');
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(loaded).toHaveText('53 of 53 jobs loaded');
  await expect(page).toHaveURL(/[?&]pages=2/);

  // A reload (or the copied link) shows the same view.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Filter by status' })).toHaveText('Pending');
  await expect(loaded).toHaveText('53 of 53 jobs loaded');

  await search.fill('Talk 0');
  await expect(page).toHaveURL(/[?&]q=Talk\+0/);
  await expect(page).not.toHaveURL(/pages=/);
  await expect(loaded).toHaveText(/^[1-9] of [1-9] jobs loaded$/);
  const searched = await loaded.textContent();
  await page.reload();
  await expect(search).toHaveValue('Talk 0');
  await expect(loaded).toHaveText(searched ?? '');

  // Back: the unfiltered list; forward: the filtered one again, search box included.
  await page.goBack();
  await expect(loaded).toHaveText('50 of 55 jobs loaded');
  await expect(search).toHaveValue('');
  await page.goForward();
  await expect(loaded).toHaveText(searched ?? '');
  await expect(search).toHaveValue('Talk 0');

  // The dashboard's tab is in the URL too.
  await page.goto('/event-monitor?tab=archive');
  await expect(page.getByRole('tab', { name: /Archive/ })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: /Current/ }).click();
  await expect(page).not.toHaveURL(/tab=/);
  await page.goBack();
  await expect(page.getByRole('tab', { name: /Archive/ })).toHaveAttribute('aria-selected', 'true');
});

test('export the filtered job list as CSV: a download with formula-safe cells', async ({ page }) => {
  const batchId = await createBatchViaApi(
    page,
    'Export batch',
    ['=HYPERLINK("http://evil.example","click")', '@SUM(A1)', 'Plain talk'],
    'private',
  );
  await page.goto(`/event-monitor/${batchId}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^jobs-${batchId}-[\\w-]+\\.csv$`));
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toMatch(/^job_id,batch_id,job_name,/);
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  expect(text).toContain("'@SUM(A1)");
  // No cell starts a formula.
  expect(lines.flatMap((line) => line.split(',')).filter((cell) => /^"?[=+\-@]/.test(cell))).toEqual([]);
});

test("a group's jobs load 50 at a time: the count, and Load more until all are there", async ({ page }) => {
  test.setTimeout(120_000);
  const suffix = uniqueSuffix();
  const jobType = `e2e-triage-more-${suffix}`;
  const code = `TRIAGE_MORE_${suffix.toUpperCase()}`;
  const sessions = Array.from({ length: 52 }, (_, index) => `DL ${index}`);
  await createBatchViaApi(page, `Triage more ${suffix}`, sessions, 'private', jobType);
  expect(await failJobs(jobType, code)).toBe(52);

  await page.goto(`/failures?code=${code}`);
  await page.getByTestId('failure-group').getByRole('button', { name: 'Show jobs' }).click();
  await expect(page.getByTestId('failure-jobs-total')).toHaveText(/^50 of 52\+? jobs loaded$/);
  await expect(page.getByTestId('failure-job')).toHaveCount(50);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page).toHaveURL(/[?&]pages=2/);
  await expect(page.getByTestId('failure-jobs-total')).toHaveText(/^52 of 52\+? jobs loaded$/);
  await expect(page.getByTestId('failure-job')).toHaveCount(52);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
});
