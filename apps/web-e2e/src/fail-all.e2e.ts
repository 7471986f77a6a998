import { createBatchViaApi, expect, newOperator, test } from './fixtures';

// Fail-all acts on every current batch the user may write. As an operator of its own, that is
// this spec's batch alone, so the specs running beside it keep theirs.
test('fail all current batches after a confirm dialog that states what it touches', async ({
  browser,
  page,
  consoleErrors,
}) => {
  const operator = await newOperator(browser, page, consoleErrors);
  await createBatchViaApi(operator.page, 'Fail-all target', ['One', 'Two']);
  await operator.page.goto('/event-monitor');
  await operator.page.getByRole('button', { name: 'Fail all' }).click();
  const confirm = operator.page.getByRole('alertdialog', { name: 'Fail all current batches?' });
  await expect(confirm).toContainText('This marks 2 unfinished jobs in 1 current batches as failed');
  await confirm.getByRole('button', { name: 'Fail all' }).click();
  await expect(operator.page.getByText('2 jobs set to failed')).toBeVisible();
  const card = operator.page.getByRole('article', { name: 'Fail-all target' });
  await expect(card.getByText('Failed', { exact: true })).toBeVisible();
  await operator.context.close();
});
