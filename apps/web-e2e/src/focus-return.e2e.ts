import type { Locator, Page } from '@playwright/test';
import { createBatchViaApi, expect, test, uniqueSuffix } from './fixtures';

/**
 * Keyboard focus comes back to the control that opened a dialog or the job sheet, whether the
 * dialog is closed with Escape or with its close/cancel button (issue 19, accessibility). Every
 * kind the app has: ConfirmDialog (alertdialog), Dialog, the job Sheet; opened from a button, from
 * a dropdown menu item, lazily mounted (next/dynamic), mounted only while open, and nested in the
 * sheet.
 */

type Close = 'Escape' | 'button';

let opened = 0;

/**
 * Opens the dialog with the keyboard (focus + Enter) and returns it: the newly open dialog that
 * does not contain the opener (the job sheet stays open under its nested dialogs).
 * Retried while it has not appeared: an Enter that lands before the page has hydrated does nothing.
 */
async function openWithKeyboard(page: Page, opener: Locator, role: 'dialog' | 'alertdialog'): Promise<Locator> {
  const mark = String(++opened);
  // A handle, not the locator: role locators skip the opener while the modal hides the page.
  const handle = await opener.elementHandle();
  const markOpened = () =>
    page.evaluate(
      ({ el, role, mark }) => {
        const open = Array.from(document.querySelectorAll(`[role="${role}"][data-state="open"]`)).filter(
          (dialog) => el && !dialog.contains(el) && !dialog.hasAttribute('data-e2e-opened'),
        );
        const dialog = open.at(-1);
        if (!dialog) return false;
        dialog.setAttribute('data-e2e-opened', mark);
        return true;
      },
      { el: handle, role, mark },
    );
  await expect(async () => {
    if (await markOpened()) return;
    await opener.focus();
    await expect(opener).toBeFocused({ timeout: 1000 });
    await page.keyboard.press('Enter');
    await expect.poll(markOpened, { timeout: 5000 }).toBe(true);
  }).toPass({ timeout: 30_000 });
  const dialog = page.locator(`[data-e2e-opened="${mark}"]`);
  await expect(dialog).toBeVisible();
  return dialog;
}

async function close(page: Page, dialog: Locator, how: Close, buttonName: string | RegExp): Promise<void> {
  const button = dialog.getByRole('button', { name: buttonName, exact: typeof buttonName === 'string' }).last();
  // A confirm dialog ignores Escape and disables Cancel while it is busy (e.g. counting a preview).
  await expect(button).toBeEnabled();
  if (how === 'Escape') await page.keyboard.press('Escape');
  else await button.click();
  await expect(dialog).toBeHidden();
}

/** Opens and closes the dialog both ways; after each close the opener has the focus again. */
async function roundTrip(
  page: Page,
  opener: Locator,
  role: 'dialog' | 'alertdialog',
  buttonName: string | RegExp,
  expectedFocus: Locator = opener,
): Promise<void> {
  for (const how of ['Escape', 'button'] as const) {
    const dialog = await openWithKeyboard(page, opener, role);
    // Focus moves into the dialog on open, also into a confirm dialog that opens busy (Cancel disabled).
    await expect.poll(() => dialog.evaluate((el) => el.contains(document.activeElement)), { message: 'focus inside on open' }).toBe(true);
    await close(page, dialog, how, buttonName);
    await expect(expectedFocus, `focus after closing with ${how}`).toBeFocused();
  }
}

test.describe('focus returns to the opener', () => {
  // Each test opens and closes up to a dozen dialogs, each twice, on a shared two-core machine.
  test.setTimeout(180_000);

  test('batch page: confirm dialogs, menu-opened dialog, change language, fail unfinished', async ({ page }) => {
    const batchId = await createBatchViaApi(page, `Focus batch ${uniqueSuffix()}`, ['Focus talk one', 'Focus talk two']);
    await page.goto(`/event-monitor/${batchId}`);
    await expect(page.getByRole('button', { name: /^Open .*Focus talk one$/ })).toBeVisible();

    // ConfirmDialogs opened from a button (lazily loaded on the first open).
    await roundTrip(page, page.getByRole('button', { name: 'Rename', exact: true }), 'alertdialog', 'Cancel');
    await roundTrip(page, page.getByRole('button', { name: 'Archive', exact: true }), 'alertdialog', 'Cancel');
    await roundTrip(page, page.getByRole('button', { name: 'Delete', exact: true }), 'alertdialog', 'Cancel');
    // A Dialog (lazily loaded).
    await roundTrip(page, page.getByRole('button', { name: 'Change language', exact: true }), 'dialog', 'Cancel');
    // A ConfirmDialog mounted only while open (BulkActionDialog).
    await roundTrip(page, page.getByRole('button', { name: 'Fail unfinished jobs', exact: true }), 'alertdialog', 'Cancel');

    // A ConfirmDialog opened from a dropdown menu item: focus returns to the menu's button.
    const restartMenu = page.getByRole('button', { name: 'Restart', exact: true });
    for (const how of ['Escape', 'button'] as const) {
      await restartMenu.focus();
      await page.keyboard.press('Enter');
      const item = page.getByRole('menuitem', { name: 'Restart all jobs' });
      await expect(item).toBeVisible();
      await item.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('alertdialog');
      await expect(dialog).toBeVisible();
      await close(page, dialog, how, 'Cancel');
      await expect(restartMenu, `focus after closing with ${how}`).toBeFocused();
    }
  });

  test('job sheet and the dialogs opened inside it', async ({ page }) => {
    const batchId = await createBatchViaApi(page, `Focus sheet ${uniqueSuffix()}`, ['Sheet talk one', 'Sheet talk two']);
    await page.goto(`/event-monitor/${batchId}`);
    const openJob = page.getByRole('button', { name: /^Open .*Sheet talk one$/ });
    await expect(openJob).toBeVisible();

    // The sheet itself (lazily loaded, opened from state).
    await roundTrip(page, openJob, 'dialog', 'Close');

    // Dialogs inside the sheet: focus returns to their button inside the sheet.
    const sheet = await openWithKeyboard(page, openJob, 'dialog');
    await expect(sheet.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();
    const inSheet = (name: string) => sheet.getByRole('button', { name, exact: true });
    await roundTrip(page, inSheet('Edit'), 'alertdialog', 'Cancel');
    await roundTrip(page, inSheet('Restart'), 'dialog', 'Cancel');
    await roundTrip(page, inSheet('Change language'), 'dialog', 'Cancel');
    await roundTrip(page, inSheet('Cancel job'), 'alertdialog', 'Cancel');
    await roundTrip(page, inSheet('Delete job'), 'alertdialog', 'Cancel');

    // Deleting the job closes the sheet and removes its row: focus lands on the page's main
    // region (the sheet does not return it to the row that is going), never on <body>. The deleted job is never fetched again (that was a 404 of job.get in
    // the console under load, when the refetch ran before the sheet closed): checked on the
    // requests, with the CPU slowed 4x as on the loaded CI machine.
    const jobId = new URL(page.url()).searchParams.get('job');
    expect(jobId).toBeTruthy();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const refetched: string[] = [];
    let deleted = false;
    page.on('request', (request) => {
      const url = decodeURIComponent(request.url());
      if (deleted && /job\.(get|logs)|audit\.forJob/.test(url) && url.includes(jobId as string)) refetched.push(url);
    });
    page.on('response', (response) => {
      if (response.url().includes('job.delete') && response.ok()) deleted = true;
    });
    // The list refetch that removes the row lands late, as under load on CI (it once took longer
    // than the focus return's 5 s watch, and focus fell to <body>).
    await page.route(/job\.list/, async (route) => {
      if (deleted) await new Promise((resolve) => setTimeout(resolve, 6_000));
      await route.continue();
    });
    await inSheet('Delete job').focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(openJob).toHaveCount(0);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    expect(deleted).toBe(true);
    expect(refetched, 'requests for the deleted job').toEqual([]);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('main') !== null && document.activeElement !== document.body))
      .toBe(true);
  });

  test('dashboard dialogs', async ({ page }) => {
    await page.goto('/event-monitor');
    await roundTrip(page, page.getByRole('button', { name: 'Fail all', exact: true }), 'alertdialog', 'Cancel');
    await roundTrip(page, page.getByRole('button', { name: 'All to pending', exact: true }), 'alertdialog', 'Cancel');
  });

  test('admin and create-batch dialogs', async ({ page }) => {
    await page.goto('/admin/users');
    await roundTrip(page, page.getByRole('button', { name: 'Add user', exact: true }), 'dialog', 'Close');
    await page.goto('/admin/tokens');
    await roundTrip(page, page.getByRole('button', { name: 'Create token', exact: true }), 'dialog', 'Close');

    await page.goto('/event-monitor/create-batch');
    await roundTrip(page, page.getByRole('button', { name: 'Import CSV or JSON', exact: true }), 'dialog', 'Close');
  });
});

test.describe('mobile navigation, 375 px', () => {
  test.use({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });

  test('every entry of the main and the admin navigation is visible and works', async ({ page }) => {
    await page.goto('/admin/users');
    const main = page.getByRole('navigation', { name: 'Main navigation' });
    const admin = page.getByRole('navigation', { name: 'Admin', exact: true });
    const inViewport = (link: Locator) =>
      link.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
      });
    const mainLinks = ['Event Monitor', 'Jobs', 'Workers', 'Metrics', 'Failures', 'Notifications', 'Admin'];
    const adminLinks = ['Users', 'API tokens', 'Audit trail', 'Retention'];
    for (const name of mainLinks) {
      const link = main.getByRole('link', { name, exact: true });
      await expect(link).toBeVisible();
      expect(await inViewport(link), `${name} inside the viewport`).toBe(true);
    }
    await expect(main.getByRole('link')).toHaveCount(mainLinks.length);
    for (const name of adminLinks) {
      const link = admin.getByRole('link', { name, exact: true });
      await expect(link).toBeVisible();
      expect(await inViewport(link), `${name} inside the viewport`).toBe(true);
    }
    await expect(admin.getByRole('link')).toHaveCount(adminLinks.length);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // Each one is clickable (trial: the link is the element hit at its centre) and navigates.
    for (const name of mainLinks) await main.getByRole('link', { name, exact: true }).click({ trial: true });
    for (const name of adminLinks) await admin.getByRole('link', { name, exact: true }).click({ trial: true });
    await admin.getByRole('link', { name: 'Retention', exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/retention$/);
    await main.getByRole('link', { name: 'Failures', exact: true }).click();
    await expect(page).toHaveURL(/\/failures/);
  });
});
