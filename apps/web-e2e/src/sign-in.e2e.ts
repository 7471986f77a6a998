import { expect, screenshot, test } from './fixtures';
import { live } from './live';

test.describe('sign in', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('an anonymous visitor is sent to sign-in, and a wrong password is refused', async ({
    page,
    consoleErrors,
  }) => {
    await page.goto('/event-monitor');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await screenshot(page, 'sign-in-desktop-light');

    await page.getByLabel('Email').fill(live().admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' })).toBeVisible();
    // Chromium logs every failed fetch; the refused sign-in (401) is the expected one here.
    const expected = consoleErrors.filter((e) => e.includes('status of 401'));
    expect(expected).toHaveLength(1);
    consoleErrors.splice(
      0,
      consoleErrors.length,
      ...consoleErrors.filter((e) => !e.includes('status of 401')),
    );
  });

  test('an admin signs in, sees the dashboard, switches to German and signs out', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(live().admin.email);
    await page.getByLabel('Password').fill(live().admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Event processing monitor' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Admin' })).toBeVisible();

    await page.getByRole('button', { name: /^Language/ }).click();
    await page.getByRole('menuitemradio', { name: 'Deutsch' }).click();
    await expect(page.getByRole('heading', { name: 'Event-Verarbeitungs-Monitor' })).toBeVisible();
    await page.getByRole('button', { name: /^Sprache(?! ändern)/ }).click();
    await page.getByRole('menuitemradio', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Event processing monitor' })).toBeVisible();

    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});

test.describe('German browsers', () => {
  test.use({ locale: 'de-DE', storageState: { cookies: [], origins: [] } });

  test('get the German sign-in page', async ({ page }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  });
});
