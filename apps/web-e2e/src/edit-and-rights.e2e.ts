import { createBatchViaApi, expect, newOperator, test, uniqueSuffix } from './fixtures';
import { live } from './live';

test('rename a batch and edit a pending job from the batch page', async ({ page }) => {
  const name = `Rename me ${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(page, name, ['Old session']);
  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Rename' }).click();
  const rename = page.getByRole('alertdialog', { name: `Rename batch "${name}"` });
  await rename.getByLabel('New name').fill(`${name} (renamed)`);
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Batch renamed')).toBeVisible();
  await expect(page.getByRole('heading', { name: `${name} (renamed)`, level: 1 })).toBeVisible();

  await page.getByRole('button', { name: /^Open .*Old session$/ }).first().click();
  const sheet = page.getByRole('dialog', { name: /Old session/ });
  await sheet.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('alertdialog', { name: 'Edit job' });
  await edit.getByLabel('Session').fill('New session');
  await edit.getByLabel('Priority').fill('7');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Job updated')).toBeVisible();
  await sheet.getByRole('tab', { name: 'Parameters' }).click();
  await expect(sheet.getByText('New session', { exact: true })).toBeVisible();
});

test('an untouched create form creates nothing: the row asks for a session or a URL', async ({ page }) => {
  await page.goto('/event-monitor/create-batch');
  await expect(page.getByRole('heading', { name: 'Create batch' })).toBeVisible();
  await page.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByRole('group', { name: 'Row 1' }).getByText('A row needs a session or a URL.')).toBeVisible();
  await expect(page).toHaveURL(/\/event-monitor\/create-batch$/);
  // The server refuses the same input on its own, naming the field.
  const refused = await page.request.post('/api/trpc/batch.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: { json: { jobs: [{ parameters: {} }] } },
  });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain('jobs.0.parameters.session');
});

test('the create form sets job type, priority, max attempts and sharing', async ({ page }) => {
  const name = `Options ${uniqueSuffix()}`;
  await page.goto('/event-monitor/create-batch');
  await page.getByLabel('Batch name').fill(name);
  await page.getByLabel('Job type').fill('e2e-options-nobody-claims');
  await page.getByLabel('Priority').fill('12');
  await page.getByLabel('Max. attempts').fill('5');
  await page.getByRole('combobox', { name: 'Sharing' }).click();
  await page.getByRole('option', { name: 'Public' }).click();
  await page.getByRole('group', { name: 'Row 1' }).getByLabel('Session').fill('With options');
  await page.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const batchId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
  const jobs = await page.request.get(`/api/event-job/jobs?batch_id=${encodeURIComponent(batchId)}`);
  const job = ((await jobs.json()) as { data: { jobs: { job_type: string; priority: number; max_attempts: number }[] } }).data.jobs[0];
  expect(job).toMatchObject({ job_type: 'e2e-options-nobody-claims', priority: 12, max_attempts: 5 });
  const batch = await page.request.get(`/api/event-job/batches/${encodeURIComponent(batchId)}`);
  expect(((await batch.json()) as { data: { batch: { access_control: { visibility: string } } } }).data.batch.access_control.visibility).toBe('public');
});

test("an operator on another user's public batch sees no Restart, Archive, Delete or bulk selection", async ({
  browser,
  page,
  consoleErrors,
}) => {
  const name = `Admin public ${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(page, name, ['Look only'], 'public');
  const operator = await newOperator(browser, page, consoleErrors);
  const own = `Operator own ${uniqueSuffix()}`;
  await createBatchViaApi(operator.page, own, ['Mine']);

  await operator.page.goto('/event-monitor');
  await operator.page.getByRole('searchbox', { name: 'Search batches by name' }).fill(name);
  const card = operator.page.getByRole('article', { name });
  await expect(card.getByRole('button', { name: 'Show jobs' })).toBeVisible();
  for (const action of ['Restart', 'Archive', 'Delete', 'Rename', 'Change language']) {
    await expect(card.getByRole('button', { name: action })).toHaveCount(0);
  }
  await expect(card.getByRole('switch')).toHaveCount(0);

  await operator.page.goto(`/event-monitor/${batchId}`);
  await expect(operator.page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(operator.page.getByRole('button', { name: /^Open .*Look only$/ }).first()).toBeVisible();
  for (const action of ['Restart', 'Archive', 'Delete']) {
    await expect(operator.page.getByRole('button', { name: action, exact: true })).toHaveCount(0);
  }
  await expect(operator.page.getByRole('checkbox')).toHaveCount(0);
  await operator.page.getByRole('button', { name: /^Open .*Look only$/ }).first().click();
  const sheet = operator.page.getByRole('dialog', { name: /Look only/ });
  await expect(sheet.getByRole('tab', { name: 'Logs' })).toBeVisible();
  await expect(sheet.getByRole('button', { name: 'Restart' })).toHaveCount(0);
  await expect(sheet.getByRole('button', { name: 'Edit' })).toHaveCount(0);

  // Their own batch: every action is there.
  await operator.page.goto('/event-monitor');
  await operator.page.getByRole('searchbox', { name: 'Search batches by name' }).fill(own);
  const mine = operator.page.getByRole('article', { name: own });
  for (const action of ['Restart', 'Archive', 'Delete', 'Rename']) {
    await expect(mine.getByRole('button', { name: action })).toBeVisible();
  }
  await operator.context.close();
});

test('a viewer has no way into the create form, and the create route says why', async ({ browser }) => {
  const context = await browser.newContext({ storageState: live().viewerState, baseURL: live().url });
  const viewer = await context.newPage();
  await viewer.goto('/event-monitor');
  await expect(viewer.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await expect(viewer.getByRole('link', { name: 'Create batch' })).toHaveCount(0);
  await viewer.goto('/event-monitor/create-batch');
  await expect(viewer.getByText('Viewers cannot create batches')).toBeVisible();
  await expect(viewer.getByLabel('Batch name')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Create batch' })).toHaveCount(0);
  await context.close();
});
