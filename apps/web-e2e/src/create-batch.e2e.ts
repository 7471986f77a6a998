import { expect, screenshot, test } from './fixtures';

test('create a batch with the form', async ({ page }) => {
  await page.goto('/event-monitor');
  await page.getByRole('link', { name: 'Create batch' }).first().click();
  await expect(page.getByRole('heading', { name: 'Create batch' })).toBeVisible();

  await page.getByLabel('Batch name').fill('Form batch');
  const row1 = page.getByRole('group', { name: 'Row 1' });
  await row1.getByLabel('Event', { exact: true }).fill('SFSCON');
  await row1.getByLabel('Session').fill('Opening keynote');
  await row1.getByLabel('Video URL').fill('ftp://nope');
  await row1.getByRole('button', { name: 'Duplicate row 1' }).click();
  const row2 = page.getByRole('group', { name: 'Row 2' });
  await expect(row2.getByLabel('Session')).toHaveValue('Opening keynote');
  await row2.getByLabel('Session').fill('Closing talk');

  await page.getByRole('button', { name: 'Create batch' }).click();
  // The URL check is per field, on both rows.
  await expect(row1.getByText('Must be an http(s) URL')).toBeVisible();
  await expect(row2.getByText('Must be an http(s) URL')).toBeVisible();
  await screenshot(page, 'create-batch-errors-desktop-light');
  await row1.getByLabel('Video URL').fill('https://example.org/v1.mp4');
  await row2.getByLabel('Video URL').fill('');

  await page.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByText('Batch "Form batch" created with 2 jobs')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Form batch', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Open .*Closing talk$/ }).first()).toBeAttached();
});

test('create a batch by importing a CSV schedule with a preview and per-row errors', async ({ page }) => {
  await page.goto('/event-monitor/create-batch');
  await page.getByLabel('Batch name').fill('CSV batch');
  await page.getByRole('button', { name: 'Import CSV or JSON' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import CSV or JSON' });
  const csv = [
    'event,session,track,day,starttime,endtime,speakers,video_url,source_language,target_language',
    'SFSCON,Rust in space,Main,2025-11-07,10:00,10:30,"Ada; Linus",https://example.org/a.mp4,en,de',
    'SFSCON,Broken row,Main,2025-11-07,11:00,11:30,Grace,not-a-url,en,de',
    'SFSCON,Open data,Side,2025-11-07,12:00,12:30,Tim,,en,it',
  ].join('\n');
  await dialog
    .getByLabel('Schedule file')
    .setInputFiles({ name: 'schedule.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByText('Preview: 3 rows, 1 with errors')).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Broken row/ })).toContainText('Must be an http(s) URL');
  await screenshot(page, 'import-preview-desktop-light');
  await dialog.getByRole('button', { name: 'Add 2 valid rows' }).click();

  await expect(page.getByRole('group', { name: 'Row 2' }).getByLabel('Session')).toHaveValue('Open data');
  await expect(page.getByRole('group', { name: 'Row 3' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Create batch' }).click();
  await expect(page.getByRole('heading', { name: 'CSV batch', level: 1 })).toBeVisible();
  await expect(page.getByTestId('batch-counters')).toContainText('2 jobs');
});
