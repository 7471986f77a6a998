import type { BrowserContext } from '@playwright/test';
import { expect, newOperator, test, uniqueSuffix } from './fixtures';
import { live } from './live';

async function userIdOf(context: BrowserContext): Promise<string> {
  const me = await context.request.get('/api/trpc/user.me');
  return ((await me.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
}

test('an admin deactivates a signed-in user, resets the password and reactivates them', async ({
  browser,
  page,
  consoleErrors,
}) => {
  const operator = await newOperator(browser, page, consoleErrors);
  // A token of the operator's, used once (so the server holds it in its token cache).
  const made = await page.request.post('/api/trpc/token.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: { json: { name: 'deactivation', scopes: ['read'], user_id: await userIdOf(operator.context) } },
  });
  expect(made.ok(), await made.text()).toBeTruthy();
  const token = ((await made.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
  const withToken = async () => {
    const headers = { 'x-api-key': token };
    const trpc = await page.request.get('/api/trpc/user.me', { headers });
    const rest = await page.request.get('/api/event-job/batches/stats', { headers });
    return [trpc.status(), rest.status()];
  };
  expect(await withToken()).toEqual([200, 200]);
  await page.goto('/admin/users');
  const row = page.getByRole('row').filter({ hasText: operator.email });
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  // The operator signed in: a date, not "never".
  await expect(row.getByRole('cell').nth(4)).not.toHaveText('never');

  await row.getByRole('button', { name: 'Deactivate' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Deactivate ${operator.email}?` });
  await confirm.getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByText(`${operator.email} deactivated`)).toBeVisible();
  await expect(row.getByText('Deactivated', { exact: true })).toBeVisible();
  // Their token is refused on the next request, through both doors.
  expect(await withToken()).toEqual([401, 401]);

  // Their session ended: the next page load asks for a sign-in, which names the reason.
  await operator.page.goto('/event-monitor');
  await expect(operator.page).toHaveURL(/\/sign-in$/);
  await operator.page.getByLabel('Email').fill(operator.email);
  await operator.page.getByLabel('Password').fill(`${operator.email.split('@')[0]}-password`);
  await operator.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(operator.page.getByRole('alert').filter({ hasText: 'This account is deactivated.' })).toBeVisible();
  // Chromium logs the refused sign-in (403): the expected one.
  expect(consoleErrors.filter((e) => e.includes('status of 403'))).toHaveLength(1);
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('status of 403')));

  await row.getByRole('button', { name: 'Reset password' }).click();
  const reset = page.getByRole('dialog', { name: `New password for ${operator.email}` });
  await reset.getByLabel('New password').fill('a-brand-new-password');
  await reset.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByText(`Password of ${operator.email} reset`)).toBeVisible();

  await row.getByRole('button', { name: 'Reactivate' }).click();
  await page.getByRole('alertdialog', { name: `Reactivate ${operator.email}?` }).getByRole('button', { name: 'Reactivate' }).click();
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  const signedIn = await operator.context.request.post('/api/auth/sign-in/email', {
    headers: { origin: live().url },
    data: { email: operator.email, password: 'a-brand-new-password' },
  });
  expect(signedIn.status()).toBe(200);
  expect(await withToken()).toEqual([200, 200]);
  await operator.context.close();
});

test('an admin creates a token for another user; the list names its owner', async ({ page }) => {
  const suffix = uniqueSuffix();
  const owner = { email: `token-owner-${suffix}@e2e.local`, name: `Token Owner ${suffix}`, password: `owner-${suffix}-password` };
  const created = await page.request.post('/api/trpc/user.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: { json: { ...owner, role: 'viewer' } },
  });
  expect(created.ok(), await created.text()).toBeTruthy();

  await page.goto('/admin/tokens');
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Token name').fill(`for ${suffix}`);
  await dialog.getByRole('combobox', { name: 'For user' }).click();
  await page.getByRole('option', { name: `${owner.name} (${owner.email})` }).click();
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const secret = await dialog.getByRole('textbox', { name: 'Token created' }).inputValue();
  expect(secret).toMatch(/^em_/);
  await dialog.getByRole('button', { name: 'Close' }).first().click();

  const row = page.getByRole('row').filter({ hasText: `for ${suffix}` });
  await expect(row.getByRole('cell', { name: owner.name })).toBeVisible();
  // The token acts as its owner, a viewer.
  const me = await page.request.get('/api/trpc/user.me', { headers: { authorization: `Bearer ${secret}` } });
  expect(((await me.json()) as { result: { data: { json: { email: string; role: string } } } }).result.data.json).toMatchObject({
    email: owner.email,
    role: 'viewer',
  });
});
