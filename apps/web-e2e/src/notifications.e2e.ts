import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { createBatchViaApi, expect, newOperator, screenshot, test, uniqueSuffix } from './fixtures';
import { live } from './live';

/**
 * Notifications through the UI against a real HTTP receiver on 127.0.0.1 (webhooks to loopback
 * are allowed for admins only: the specs' default user is the admin). The receiver records every
 * POST and answers 200, or the statuses queued in `answers`.
 */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  answers: number[];
  close: () => Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST') received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = answers.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Whether the request's Standard Webhooks signature verifies with the secret. */
function verifies(secret: string, request: Received): boolean {
  const header = (name: string) => String(request.headers[name] ?? '');
  try {
    new Webhook(secret).verify(request.body, {
      'webhook-id': header('webhook-id'),
      'webhook-timestamp': header('webhook-timestamp'),
      'webhook-signature': header('webhook-signature'),
    });
    return true;
  } catch {
    return false;
  }
}

/** Reads the secret from the once-only dialog and closes it. */
async function takeSecret(page: Page): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'Your signing secret' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('it will not be shown again')).toBeVisible();
  await expect(dialog.getByText('webhook-id, webhook-timestamp and webhook-signature')).toBeVisible();
  const secret = await dialog.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();
  return secret;
}

async function sendTest(card: Locator, receiver: Receiver): Promise<Received> {
  const before = receiver.received.length;
  await card.getByRole('button', { name: 'Send test' }).click();
  await expect.poll(() => receiver.received.length).toBeGreaterThan(before);
  return receiver.received[receiver.received.length - 1] as Received;
}

/** Creates a webhook subscription through the tRPC HTTP API as the signed-in user of `page`. */
async function subscribeViaApi(page: Page, input: { name: string; url: string; events: string[] }): Promise<void> {
  const response = await page.request.post('/api/trpc/notify.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: { json: input },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's serious and critical findings (as a11y.e2e.ts), once dialogs and toasts finished sliding in. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForTimeout(400);
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join(', ')}`);
}

test.describe('notifications', () => {
  let receiver: Receiver;
  test.beforeEach(async () => {
    receiver = await startReceiver();
  });
  test.afterEach(async () => {
    await receiver.close();
  });

  test('a webhook subscription: signed test, failed answer in the log, rotated secret, delete', async ({ page }) => {
    const name = `Hook ${uniqueSuffix()}`;
    await page.goto('/event-monitor');
    // The menu opens once the header has hydrated (as nav-links.e2e.ts).
    await expect(async () => {
      await page.getByRole('button', { name: 'User menu' }).click();
      await expect(page.getByRole('menuitem', { name: 'Notifications' })).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    await page.getByRole('menuitem', { name: 'Notifications' }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Notifications' })).toHaveAttribute(
      'aria-current',
      'page',
    );

    await page.getByRole('button', { name: 'New subscription' }).click();
    const dialog = page.getByRole('dialog', { name: 'New subscription' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Webhook URL').fill(receiver.url);
    // Thresholds only with their events.
    await expect(dialog.getByLabel('Failure rate threshold (%)')).toHaveCount(0);
    await dialog.getByLabel('too many jobs of a batch failed').check();
    await expect(dialog.getByLabel('Failure rate threshold (%)')).toHaveValue('20');
    await dialog.getByLabel('Failure rate threshold (%)').fill('35');
    await expect(dialog.getByLabel('Minutes without a worker')).toHaveCount(0);
    await dialog.getByLabel('no worker was seen while jobs are waiting').check();
    await expect(dialog.getByLabel('Minutes without a worker')).toHaveValue('10');
    await dialog.getByLabel('no worker was seen while jobs are waiting').uncheck();
    await expect(dialog.getByLabel('Minutes without a worker')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create subscription' }).click();
    const secret = await takeSecret(page);
    await expect(dialog).toBeHidden();
    // Shown once: after its dialog closed, the secret is nowhere on the page.
    expect(await page.content()).not.toContain(secret);

    const card = page.getByTestId('subscription').filter({ hasText: name });
    await expect(card).toContainText(receiver.url);
    await expect(card).toContainText('All my batches');
    await expect(card).toContainText('Failure rate ≥ 35%');
    await expect(card).toContainText(`Secret …${secret.slice(-4)}`);
    await expect(card).toContainText('Nothing sent yet');

    // A test: the receiver gets a POST signed with the secret; the answer shows in the card and the log.
    const first = await sendTest(card, receiver);
    expect(verifies(secret, first)).toBe(true);
    expect(verifies(`whsec_${Buffer.from('another secret of 24 b.').toString('base64')}`, first)).toBe(false);
    await expect(page.getByText('Test delivered: HTTP 200')).toBeVisible();
    await expect(card.getByTestId('test-answer')).toHaveText('Test: HTTP 200');
    await expect(card.getByTestId('last-delivery')).toContainText('Delivered');
    await expect(card.getByTestId('last-delivery')).toContainText('HTTP 200');
    await card.getByRole('button', { name: 'Delivery log' }).click();
    const log = card.getByRole('table', { name: `Delivery log of ${name}` });
    await expect(log.getByTestId('delivery-row').first()).toContainText('Test');
    await expect(log.getByTestId('delivery-row').first()).toContainText('HTTP 200');

    // The receiver fails once: the error code is in the log, newest first.
    receiver.answers.push(500);
    await sendTest(card, receiver);
    await expect(page.getByText('Test not delivered: HTTP 500')).toBeVisible();
    await expect(card.getByTestId('test-answer')).toHaveText('Test: HTTP 500');
    await expect(log.getByTestId('delivery-row').first()).toContainText('HTTP 500');
    await expect(log.getByTestId('delivery-row').nth(1)).toContainText('HTTP 200');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'notifications');
    // The card's badges, the log's error text and the toasts in dark as well.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveClass(/(^|\s)dark(\s|$)/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    // A new secret: the old one no longer verifies the next test.
    await card.getByRole('button', { name: 'Rotate secret' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Rotate the secret of “${name}”?` });
    await confirm.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await takeSecret(page);
    expect(rotated).not.toBe(secret);
    await expect(card).toContainText(`Secret …${rotated.slice(-4)}`);
    const seen = receiver.received.length;
    const next = await sendTest(card, receiver);
    expect(verifies(rotated, next)).toBe(true);
    expect(verifies(secret, next)).toBe(false);
    // Retries of the failed test, if any arrived meanwhile, are signed with the new secret too.
    for (const request of receiver.received.slice(seen)) expect(verifies(secret, request)).toBe(false);

    // Off and on again; then deleted.
    await card.getByRole('switch', { name: `Disable ${name}` }).click();
    await expect(page.getByText('Subscription disabled')).toBeVisible();
    await expect(card.getByRole('switch', { name: `Enable ${name}` })).not.toBeChecked();
    await card.getByRole('switch', { name: `Enable ${name}` }).click();
    await expect(card.getByRole('switch', { name: `Disable ${name}` })).toBeChecked();
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog', { name: `Delete “${name}”?` }).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('Subscription deleted')).toBeVisible();
    await expect(card).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Subscriptions' })).toBeVisible();
    await expect(page.getByTestId('subscription').filter({ hasText: name })).toHaveCount(0);
  });

  test('Edit changes the events, threshold and url of a subscription; only the changes are sent', async ({ page }) => {
    const name = `Edit hook ${uniqueSuffix()}`;
    await subscribeViaApi(page, { name, url: receiver.url, events: ['batch.finished', 'job.failed'] });
    await page.goto('/notifications');
    const card = page.getByTestId('subscription').filter({ hasText: name });
    await expect(card).toContainText('Job failed');

    await card.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit “${name}”` });
    // Prefilled with the subscription; channel and batch are not offered.
    await expect(dialog.getByLabel('Name')).toHaveValue(name);
    await expect(dialog.getByLabel('Webhook URL')).toHaveValue(receiver.url);
    await expect(dialog.getByLabel('a batch finished (every job completed or failed)')).toBeChecked();
    await expect(dialog.getByLabel('a job failed after its last attempt')).toBeChecked();
    await expect(dialog.getByLabel('a batch may miss its deadline')).not.toBeChecked();
    await expect(dialog.getByLabel('Batch id (optional)')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);

    const updates: unknown[] = [];
    page.on('request', (request) => {
      if (request.url().includes('notify.update')) updates.push(request.postDataJSON());
    });
    const moved = receiver.url.replace('/hook', '/moved');
    await dialog.getByLabel('Webhook URL').fill(moved);
    await dialog.getByLabel('a job failed after its last attempt').uncheck();
    await dialog.getByLabel('a batch may miss its deadline').check();
    await dialog.getByLabel('too many jobs of a batch failed').check();
    await dialog.getByLabel('Failure rate threshold (%)').fill('40');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Subscription saved')).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(card).toContainText(moved);
    await expect(card).toContainText('Deadline at risk');
    await expect(card).toContainText('Failure rate ≥ 40%');
    await expect(card).not.toContainText('Job failed');
    // The name did not change: it is not in the request (notify.update keeps what is left out).
    expect(JSON.stringify(updates)).not.toContain('"name"');
    expect(JSON.stringify(updates)).toContain('"url"');

    // Opened again: the saved values. Saved without a change: closed, and no request.
    await card.getByRole('button', { name: 'Edit' }).click();
    await expect(dialog.getByLabel('Webhook URL')).toHaveValue(moved);
    await expect(dialog.getByLabel('Failure rate threshold (%)')).toHaveValue('40');
    const sent = updates.length;
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    expect(updates).toHaveLength(sent);
    await page.reload();
    await expect(page.getByTestId('subscription').filter({ hasText: name })).toContainText(moved);
  });

  test('an operator editing a url to a private address sees the error under the url field', async ({ browser, page, consoleErrors }) => {
    const operator = await newOperator(browser, page, consoleErrors);
    const name = `Operator hook ${uniqueSuffix()}`;
    await subscribeViaApi(operator.page, { name, url: 'https://hooks.invalid/event-monitor', events: ['job.failed'] });
    await operator.page.goto('/notifications');
    const card = operator.page.getByTestId('subscription').filter({ hasText: name });
    await card.getByRole('button', { name: 'Edit' }).click();
    const dialog = operator.page.getByRole('dialog', { name: `Edit “${name}”` });
    const url = dialog.getByLabel('Webhook URL');
    await url.fill(receiver.url);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    // The server's 400 names `url`: its message is under the field, which is marked invalid.
    await expect(url).toHaveAttribute('aria-invalid', 'true');
    await expect(url).toHaveAccessibleDescription(/127\.0\.0\.1/);
    await expect(dialog).toBeVisible();
    expect(await seriousViolations(operator.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(card).toContainText('https://hooks.invalid/event-monitor');
    // The refused save's 400 is the one expected console error.
    expect(consoleErrors.filter((e) => e.includes('status of 400'))).toHaveLength(1);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('status of 400')));
    await operator.context.close();
  });

  test('the batch page subscribes its batch; the subscription shows there and on /notifications', async ({ page }) => {
    const batchName = `Notify batch ${uniqueSuffix()}`;
    const name = `Batch hook ${uniqueSuffix()}`;
    const batchId = await createBatchViaApi(page, batchName, ['Talk']);
    await page.goto(`/event-monitor/${batchId}`);
    await page.getByRole('button', { name: 'Notifications', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Notifications for “${batchName}”` });
    await expect(dialog.getByText('You have no subscription to this batch.')).toBeVisible();
    const form = dialog.getByRole('form', { name: 'Subscribe to this batch' });
    await expect(form.getByLabel('Batch id (optional)')).toHaveCount(0);
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Webhook URL').fill(receiver.url);
    await form.getByRole('button', { name: 'Subscribe to this batch' }).click();
    const secret = await takeSecret(page);

    const card = dialog.getByTestId('subscription').filter({ hasText: name });
    await expect(card).toBeVisible();
    await expect(card.getByTestId('subscription-batch-link')).toHaveText(batchId);
    await expect(form.getByLabel('Name')).toHaveValue('');
    const received = await sendTest(card, receiver);
    expect(verifies(secret, received)).toBe(true);
    await expect(card.getByTestId('test-answer')).toHaveText('Test: HTTP 200');
    await screenshot(page, 'notifications-batch-dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.goto('/notifications');
    const listed = page.getByTestId('subscription').filter({ hasText: name });
    await listed.getByRole('link', { name: batchId }).click();
    await expect(page).toHaveURL(new RegExp(`/event-monitor/${batchId}$`));
    await expect(page.getByRole('heading', { name: batchName, level: 1 })).toBeVisible();
  });

  test('a viewer sees the page and the batch dialog without any control that changes a subscription', async ({ browser, page }) => {
    const batchName = `Viewer notify ${uniqueSuffix()}`;
    const batchId = await createBatchViaApi(page, batchName, ['Talk'], 'public');
    const context = await browser.newContext({ storageState: live().viewerState, baseURL: live().url });
    const viewer = await context.newPage();
    const errors: string[] = [];
    viewer.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

    await viewer.goto('/notifications');
    await expect(viewer.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    await expect(viewer.getByText('Viewers cannot subscribe')).toBeVisible();
    await expect(viewer.getByText('No subscriptions yet.')).toBeVisible();
    await expect(viewer.getByRole('button', { name: 'New subscription' })).toHaveCount(0);

    await viewer.goto(`/event-monitor/${batchId}`);
    await viewer.getByRole('button', { name: 'Notifications', exact: true }).click();
    const dialog = viewer.getByRole('dialog', { name: `Notifications for “${batchName}”` });
    await expect(dialog.getByText('You have no subscription to this batch.')).toBeVisible();
    await expect(dialog.getByText('Viewers cannot subscribe')).toBeVisible();
    await expect(dialog.getByRole('form')).toHaveCount(0);
    await expect(dialog.getByRole('textbox')).toHaveCount(0);

    // In German as well (the page's own text module).
    await context.addCookies([{ name: 'em-locale', value: 'de', url: live().url }]);
    await viewer.goto('/notifications');
    await expect(viewer.getByRole('heading', { name: 'Benachrichtigungen', level: 1 })).toBeVisible();
    await expect(viewer.getByText('Betrachter können nichts abonnieren')).toBeVisible();
    await expect(viewer.getByText('Noch keine Abonnements.')).toBeVisible();
    expect(errors).toEqual([]);
    await context.close();
  });
});
