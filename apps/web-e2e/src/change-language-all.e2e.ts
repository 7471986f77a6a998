import { createBatchViaApi, expect, newOperator, test } from './fixtures';
import { live } from './live';

// "Set language of all" changes every job of the caller's current batches the caller may change. As an
// operator of its own, those are this spec's two batches alone (the specs beside it keep theirs).
test('the dashboard changes the target language of all current batches at once', async ({ browser, page, consoleErrors }) => {
  const operator = await newOperator(browser, page, consoleErrors);
  const first = await createBatchViaApi(operator.page, 'Language-all first', ['One', 'Two']);
  const second = await createBatchViaApi(operator.page, 'Language-all second', ['Three']);
  await operator.page.goto('/event-monitor');
  await operator.page.getByRole('button', { name: 'Set language of all' }).click();
  const dialog = operator.page.getByRole('dialog', { name: 'Change target language' });
  await expect(dialog).toContainText('every job of all current batches you may change');
  await dialog.getByRole('combobox', { name: 'Target language' }).click();
  await operator.page.getByRole('option', { name: 'fr — Français' }).click();
  await dialog.getByRole('button', { name: 'Change language' }).click();
  await expect(operator.page.getByText('Language changed for 3 jobs', { exact: true })).toBeVisible();
  await expect(dialog).toBeHidden();

  // Stored: every job of both batches now has the new language.
  for (const batchId of [first, second]) {
    const input = encodeURIComponent(JSON.stringify({ json: { batch_id: batchId, limit: 10 } }));
    const response = await operator.page.request.get(`/api/trpc/job.list?input=${input}`, { headers: { origin: live().url } });
    expect(response.ok(), await response.text()).toBeTruthy();
    const body = (await response.json()) as { result: { data: { json: { jobs: { parameters: { target_language?: string } }[] } } } };
    const languages = body.result.data.json.jobs.map((job) => job.parameters.target_language);
    expect(languages.length).toBeGreaterThan(0);
    expect(languages.every((language) => language === 'fr')).toBe(true);
  }
  await operator.context.close();
});
