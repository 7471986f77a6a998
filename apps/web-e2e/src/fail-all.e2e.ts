import { createBatchViaApi, expect, newOperator, test } from './fixtures';

// Fail-all acts on the caller's own current batches (an admin's too). As an operator of its own,
// those are this spec's batches alone, so the specs running beside it keep theirs.
test('fail all lists the batches and owners it touches and, beyond one batch, needs the typed phrase', async ({
  browser,
  page,
  consoleErrors,
}) => {
  const operator = await newOperator(browser, page, consoleErrors);
  await createBatchViaApi(operator.page, 'Fail-all target', ['One', 'Two']);
  await createBatchViaApi(operator.page, 'Fail-all second', ['Three']);
  await operator.page.goto('/event-monitor');
  await operator.page.getByRole('button', { name: 'Fail all' }).click();
  const confirm = operator.page.getByRole('alertdialog', { name: 'Fail the unfinished jobs of your current batches?' });
  await expect(confirm).toContainText('3 job(s) in 2 batch(es) will change.');
  const listed = confirm.getByRole('list', { name: 'Batches and owners' }).getByRole('listitem');
  await expect(listed).toHaveCount(2);
  await expect(listed.first()).toContainText('Fail-all target');
  await expect(listed.last()).toContainText('Fail-all second');

  const button = confirm.getByRole('button', { name: 'Fail', exact: true });
  await confirm.getByLabel('Reason (required)').fill('the event was called off');
  // A reason alone is not enough across two batches: the phrase must be typed.
  await expect(button).toBeDisabled();
  await confirm.getByLabel('This reaches more than one batch. Type “fail 3 jobs” to confirm.').fill('fail 3 jobs');
  await button.click();
  await expect(operator.page.getByText('3 job(s) changed')).toBeVisible();
  for (const name of ['Fail-all target', 'Fail-all second']) {
    const card = operator.page.getByRole('article', { name });
    await expect(card.getByText('Failed', { exact: true })).toBeVisible();
  }
  await operator.context.close();
});
