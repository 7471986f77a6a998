import { expect, test } from './fixtures';

/** The user menu links the system status and the REST API reference, in both languages (issue 19). */
test('the user menu links /status and /api-docs, in English and in German', async ({ page, context, baseURL }) => {
  for (const [locale, status, apiDocs] of [
    ['en', 'System status', 'API reference'],
    ['de', 'Systemstatus', 'API-Referenz'],
  ] as const) {
    await context.addCookies([{ name: 'em-locale', value: locale, url: baseURL as string }]);
    await page.goto('/workers');
    const menu = page.getByRole('button', { name: locale === 'en' ? 'User menu' : 'Benutzermenü' });
    await expect(async () => {
      await menu.click();
      await expect(page.getByRole('menuitem', { name: apiDocs })).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByRole('menuitem', { name: status })).toHaveAttribute('href', '/status');
    await expect(page.getByRole('menuitem', { name: apiDocs })).toHaveAttribute('href', '/api-docs');
    await page.keyboard.press('Escape');
  }
});
