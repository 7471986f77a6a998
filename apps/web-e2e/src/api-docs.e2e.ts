import { expect, test } from './fixtures';
import { live } from './live';

/**
 * /api-docs is Scalar's interactive reference of our own OpenAPI document, its script served by
 * this server (/api-docs/scalar.js; no CDN: the page's CSP allows only this origin, and the
 * fixture fails on the console error a blocked load logs). Its "try it" client reaches
 * /api/event-job on this origin with a pasted bearer token.
 */
test('/api-docs shows our operations and sends a request with a pasted token', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(live().url) && !request.url().startsWith('data:')) outside.push(request.url());
  });
  await page.goto('/api-docs');
  // An operation of ours (the worker's claim), from /api/event-job/openapi.json.
  const sidebar = page.getByRole('complementary', { name: /Sidebar/ });
  await sidebar.getByRole('button', { name: 'Open Group - Worker' }).click({ timeout: 60_000 });
  await sidebar.getByRole('link', { name: /^Take the next job with a lease/ }).click();
  await expect(page.getByRole('heading', { name: /^Take the next job with a lease/ })).toBeVisible();

  // Try it: a read-scoped admin token, pasted into Scalar's client, answers 200 from this origin.
  const operation = page.getByRole('heading', { name: 'Dashboard numbers over the readable batches' });
  await sidebar.getByRole('link', { name: /^Dashboard numbers over the readable batches/ }).click();
  await expect(operation).toBeVisible();
  await page.locator('section', { has: operation }).last().getByRole('button', { name: /Test Request/ }).first().click();
  const client = page.getByRole('dialog', { name: 'API Client' });
  await client.getByRole('textbox', { name: 'Bearer Token' }).fill(live().adminToken);
  const answer = page.waitForResponse((response) => response.url() === `${live().url}/api/event-job/batches/stats`);
  await client.getByRole('button', { name: /^Send get request to / }).click();
  const response = await answer;
  expect(response.status()).toBe(200);
  expect(response.request().headers()['authorization']).toBe(`Bearer ${live().adminToken}`);
  await expect(client.getByRole('region', { name: 'Response' }).getByText('200', { exact: false }).first()).toBeVisible();

  expect(outside, 'requests to other origins').toEqual([]);
});
