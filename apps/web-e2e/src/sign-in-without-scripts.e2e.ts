import { expect, test } from './fixtures';
import { live } from './live';

// The sign-in form before its scripts run (slow network, a blocked chunk, JavaScript off): the
// browser submits it by itself. Without a method that was GET /sign-in?email=...&password=...
test.describe('sign in without JavaScript', () => {
  test.use({ javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });

  test('submitting the form never puts the password in a URL', async ({ page }) => {
    const password = `no-url-${Date.now()}-secret`;
    const requests: { method: string; url: string; body: string | null }[] = [];
    page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), body: request.postData() }));

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(live().admin.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('load');

    // The browser posted the form (the password in the body, to our own page) ...
    const submitted = requests.find((r) => r.body?.includes(encodeURIComponent(password)));
    expect(submitted).toMatchObject({ method: 'POST', url: `${live().url}/sign-in` });
    // ... no URL it asked for carries it, and it lands on a clean sign-in page.
    expect(requests.filter((r) => r.url.includes(password)).map((r) => r.url)).toEqual([]);
    expect(page.url()).toBe(`${live().url}/sign-in`);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('credentials put in the sign-in URL by hand are stripped by a redirect', async ({ page }) => {
    const response = await page.goto(`/sign-in?email=a%40b.c&password=typed-into-the-url`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${live().url}/sign-in`);
    expect(await page.content()).not.toContain('typed-into-the-url');
  });
});
