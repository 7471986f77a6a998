import { createBatchViaApi, expect, newOperator, test, uniqueSuffix } from './fixtures';

test('share a private batch with a second user through the picker; that user then sees it', async ({ browser, page, consoleErrors }) => {
  const name = `Share me ${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(page, name, ['Shared talk']);
  const second = await newOperator(browser, page, consoleErrors);
  const search = async () => {
    await second.page.goto('/event-monitor');
    await second.page.getByRole('searchbox', { name: 'Search batches by name' }).fill(name);
  };
  await search();
  await expect(second.page.getByText('No batch matches this search.')).toBeVisible();

  await page.goto(`/event-monitor/${batchId}`);
  const share = page.getByRole('button', { name: 'Share', exact: true });
  await share.click();
  const dialog = page.getByRole('alertdialog', { name: `Share batch "${name}"` });
  const picker = dialog.getByRole('combobox', { name: 'Add a user to "Can read"' });
  await picker.fill(second.name);
  await expect(dialog.getByRole('option', { name: new RegExp(second.name) })).toBeVisible();
  await picker.press('Enter');
  const chip = dialog.getByRole('list', { name: 'Can read' }).getByRole('listitem').filter({ hasText: second.name });
  await expect(chip.getByRole('button', { name: `Remove ${second.name} from "Can read"` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Sharing saved')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(share).toBeFocused();

  await search();
  await expect(second.page.getByRole('article', { name })).toBeVisible();
  await second.context.close();
});
