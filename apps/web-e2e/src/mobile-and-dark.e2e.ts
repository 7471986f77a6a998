import { createBatchViaApi, expect, screenshot, test } from './fixtures';

test.describe('mobile, 375 px', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('cards stack, the job table becomes a list, and nothing scrolls sideways', async ({ page }) => {
    const batchId = await createBatchViaApi(page, 'Mobile batch', [
      'A talk with a rather long session title',
      'Short',
    ]);
    await page.goto('/event-monitor');
    await expect(page.getByRole('article', { name: 'Mobile batch' })).toBeVisible();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'dashboard-mobile-light');

    await page.goto(`/event-monitor/${batchId}`);
    await expect(page.getByTestId('job-item')).toHaveCount(2);
    await expect(page.getByRole('table')).toBeHidden();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'batch-mobile-light');

    await page.getByRole('button', { name: /^Open .*Short$/ }).click();
    await expect(page.getByRole('dialog', { name: /Short/ })).toBeVisible();
    await screenshot(page, 'job-sheet-mobile-light');

    await page.goto('/event-monitor/create-batch');
    await expect(page.getByRole('group', { name: 'Row 1' })).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'create-batch-mobile-light');
  });
});

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('follows the system theme and the toggle', async ({ page }) => {
    const batchId = await createBatchViaApi(page, 'Dark batch', ['Night talk']);
    await page.goto('/event-monitor');
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(page.getByRole('article', { name: 'Dark batch' })).toBeVisible();
    await screenshot(page, 'dashboard-desktop-dark');
    await page.goto(`/event-monitor/${batchId}`);
    await page.getByRole('button', { name: /^Open .*Night talk$/ }).click();
    await expect(page.getByRole('dialog', { name: /Night talk/ })).toBeVisible();
    await screenshot(page, 'job-sheet-desktop-dark');
    await page.keyboard.press('Escape');
    await page.goto('/admin/tokens');
    await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
    await screenshot(page, 'admin-tokens-desktop-dark');

    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.getByRole('menuitemradio', { name: 'Light' }).click();
    await expect(page.locator('html')).not.toHaveClass(/dark/);
  });
});

test('admin creates a user and an API token (shown once) and revokes it', async ({ page }) => {
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const add = page.getByRole('dialog', { name: 'Add user' });
  await add.getByLabel('Email').fill('new-operator@test.local');
  await add.getByLabel('Name').fill('New Operator');
  await add.getByLabel('Password').fill('a-long-password-1');
  await add.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText('User new-operator@test.local created')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'new-operator@test.local' })).toBeVisible();
  await screenshot(page, 'admin-users-desktop-light');

  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByRole('button', { name: 'Create token' }).click();
  const create = page.getByRole('dialog', { name: 'Create token' });
  await create.getByLabel('Token name').fill('e2e worker');
  await create.getByRole('button', { name: 'Create token' }).click();
  const token = create.getByRole('textbox', { name: 'Token created' });
  await expect(token).not.toHaveValue('');
  await create.getByRole('button', { name: 'Close' }).first().click();
  const row = page.getByRole('row', { name: /e2e worker/ });
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('Token revoked')).toBeVisible();
});
