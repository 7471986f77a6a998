import type { Page } from '@playwright/test';
import { createBatchViaApi, expect, newOperator, screenshot, test, uniqueSuffix } from './fixtures';
import { live } from './live';

// A browser whose own default is 12-hour times (en-US): the German UI must still show 24 hours.
test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

async function trpc<T>(page: Page, path: string, input: unknown, mutation = false): Promise<T> {
  const headers = { 'content-type': 'application/json', origin: live().url };
  const response = mutation
    ? await page.request.post(`/api/trpc/${path}`, { headers, data: { json: input } })
    : await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
  expect(response.ok(), await response.text()).toBeTruthy();
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

const TWELVE_HOUR = /\b(AM|PM|am|pm)\b/;

test("the batch history names who acted and lists its jobs' actions; a failed job's timeline says Failed, in 24 hours in German", async ({
  browser,
  page,
  consoleErrors,
}) => {
  const suffix = uniqueSuffix();
  const reason = `Wrong talk ${suffix}`;
  const operator = await newOperator(browser, page, consoleErrors);
  const batchId = await createBatchViaApi(operator.page, `History batch ${suffix}`, ['History one', 'History two']);
  const { jobs } = await trpc<{ jobs: { job_id: string; parameters: { session?: string } }[] }>(operator.page, 'job.list', {
    batch_id: batchId,
  });
  const one = jobs.find((job) => job.parameters.session === 'History one')!;
  const two = jobs.find((job) => job.parameters.session === 'History two')!;
  // Job-level actions: cancel one (with a reason), change the other's language.
  await trpc(operator.page, 'job.cancel', { job_id: one.job_id, reason }, true);
  await trpc(operator.page, 'job.changeLanguage', { job_id: two.job_id, target_language: 'fr' }, true);
  await operator.context.close();

  // The admin opens the batch: its History holds the batch's and its jobs' events, by name.
  await page.goto(`/event-monitor/${batchId}`);
  const history = page.getByTestId('batch-history');
  await history.getByRole('button', { name: /History/ }).click();
  const entries = history.getByRole('list', { name: 'History' }).getByRole('listitem');
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(0)).toContainText('Language changed');
  await expect(entries.nth(0)).toContainText(two.job_id);
  await expect(entries.nth(1)).toContainText('Job cancelled');
  await expect(entries.nth(1)).toContainText(`by ${operator.name}`);
  await expect(entries.nth(1)).toContainText(reason);
  await expect(entries.nth(1)).toContainText(one.job_id);
  await expect(entries.nth(2)).toContainText('Batch created');
  await expect(entries.nth(2)).toContainText(`by ${operator.name}`);
  await screenshot(page, 'batch-history-names-desktop-light');

  // The cancelled job's timeline: "Failed: CANCELLED", never "Completed".
  await page.getByRole('button', { name: /^Open .*History one$/ }).click();
  const sheet = page.getByRole('dialog', { name: /History one/ });
  await sheet.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = sheet.getByRole('list', { name: 'Timeline' });
  await expect(timeline).toContainText('Failed: CANCELLED');
  await expect(timeline).not.toContainText('Completed');
  await expect(timeline).toContainText(`by ${operator.name}`);

  // The audit page names the actor with name and e-mail, not the id.
  await page.goto(`/admin/audit?target_id=${encodeURIComponent(batchId)}`);
  const row = page.getByRole('table', { name: 'Audit trail' }).getByRole('row').filter({ hasText: 'batch.create' });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toContainText(operator.name);
  await expect(row.getByRole('cell').nth(1)).toContainText(operator.email);

  // German: log times, timeline and history times in 24 hours though the browser says en-US.
  await page.context().addCookies([{ name: 'em-locale', value: 'de', url: live().url }]);
  await page.goto(`/event-monitor/${batchId}?job=${one.job_id}`);
  const sheetDe = page.getByRole('dialog', { name: /History one/ });
  await expect(sheetDe.getByRole('tab', { name: 'Zeitleiste' })).toBeVisible();
  const log = sheetDe.getByRole('log', { name: 'Logs' });
  await expect(log).toBeVisible();
  // After hydration the browser's zone is used (no " UTC" suffix); every line starts with HH:MM:SS.
  await expect(log).not.toContainText('UTC');
  const logText = await log.innerText();
  expect(logText).not.toMatch(TWELVE_HOUR);
  expect(logText).toMatch(/^\d{2}:\d{2}:\d{2}\s/m);
  await sheetDe.getByRole('tab', { name: 'Zeitleiste' }).click();
  const timelineDe = sheetDe.getByRole('list', { name: 'Zeitleiste' });
  await expect(timelineDe).toContainText('Fehlgeschlagen: CANCELLED');
  // Created, batch created, job cancelled, failed: all four with their times in the browser's zone.
  await expect(timelineDe.locator('time')).toHaveCount(4);
  await expect(timelineDe).not.toContainText('UTC');
  const times = await timelineDe.locator('time').allInnerTexts();
  for (const time of times) expect(time).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
});
