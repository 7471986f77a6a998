import { createBatchViaApi, expect, test } from './fixtures';
import { live } from './live';

test('a viewer sees batches but no controls that change them, and the server refuses a direct mutation', async ({
  browser,
  page,
}) => {
  const batchId = await createBatchViaApi(page, 'Viewer can see', ['Read-only talk'], 'public');
  const context = await browser.newContext({ storageState: live().viewerState, baseURL: live().url });
  const viewer = await context.newPage();
  const errors: string[] = [];
  viewer.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await viewer.goto('/event-monitor');
  const card = viewer.getByRole('article', { name: 'Viewer can see' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('button', { name: 'Show jobs' })).toBeVisible();
  for (const name of ['Create batch', 'Fail all', 'All to pending']) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
    await expect(viewer.getByRole('link', { name })).toHaveCount(0);
  }
  for (const name of ['Archive', 'Delete', 'Restart', 'Change language']) {
    await expect(card.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(card.getByRole('switch')).toHaveCount(0);
  await expect(viewer.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await viewer.goto(`/event-monitor/${batchId}`);
  await expect(viewer.getByRole('heading', { name: 'Viewer can see', level: 1 })).toBeVisible();
  await expect(viewer.getByRole('checkbox')).toHaveCount(0);
  await viewer.getByRole('button', { name: /^Open .*Read-only talk$/ }).click();
  const sheet = viewer.getByRole('dialog', { name: /Read-only talk/ });
  await expect(sheet.getByRole('tab', { name: 'Logs' })).toBeVisible();
  await expect(sheet.getByRole('button', { name: 'Restart' })).toHaveCount(0);
  await expect(sheet.getByRole('button', { name: 'Delete job' })).toHaveCount(0);

  const refused = await viewer.request.post('/api/trpc/batch.delete', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: { json: { batch_id: batchId } },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain('FORBIDDEN');

  await viewer.goto('/admin/users');
  await expect(viewer).toHaveURL(/\/event-monitor$/);
  expect(errors).toEqual([]);
  await context.close();
});
