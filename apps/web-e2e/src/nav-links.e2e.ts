import { expect, test } from './fixtures';

/** The user menu links the system status, the REST API reference and notifications, in both languages (issues 19, 20). */
test('the user menu links /status, /api-docs and /notifications, in English and in German', async ({ page, context, baseURL }) => {
  for (const [locale, status, apiDocs, notifications] of [
    ['en', 'System status', 'API reference', 'Notifications'],
    ['de', 'Systemstatus', 'API-Referenz', 'Benachrichtigungen'],
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
    await expect(page.getByRole('menuitem', { name: notifications })).toHaveAttribute('href', '/notifications');
    await page.keyboard.press('Escape');
  }
});
