import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createBatchViaApi, expect, test, TestWorker, uniqueSuffix } from './fixtures';

/**
 * axe-core over every screen the built app has, in light and dark, signed in as admin (the
 * sign-in page signed out). The screens come from the build's own route manifest, not from a list
 * kept here: a page added later is checked without anyone remembering to add it. Serious and
 * critical violations fail the test; the numbers per screen are printed for the closing note.
 */
const MANIFEST = join(__dirname, '..', '..', 'web', '.next', 'app-path-routes-manifest.json');

function screens(): string[] {
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new Error(`a11y: no route manifest at ${MANIFEST} (build the web app first): ${String(error)}`);
  }
  // Next's own error routes are not screens of ours; `/` only redirects.
  // Pages only: route handlers (e.g. /api-docs/scalar.js) are no screens.
  return [...new Set(Object.entries(manifest).filter(([entry]) => entry.endsWith('/page')).map(([, route]) => route))]
    .filter((route) => !route.startsWith('/_') && route !== '/')
    .sort();
}

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const BLOCKING = new Set(['serious', 'critical']);

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
  /** axe's explanation for the first node (the measured contrast, the missing id, ...). */
  first: string;
}

async function audit(page: Page, label: string): Promise<Finding[]> {
  // Let entry animations (sheets, dialogs, toasts) settle: axe measures contrast of what is painted.
  await page.waitForTimeout(400);
  const axe = new AxeBuilder({ page }).withTags(WCAG);
  // Scalar's own widget on /api-docs fails color-contrast in its sidebar (placeholder and method
  // labels, 3.16:1): excluded, our part of the page is checked (docs/decisions.md, issue 19).
  if (label.endsWith(' /api-docs')) axe.exclude('.scalar-app');
  const result = await axe.analyze();
  const findings = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    first: v.nodes[0]?.failureSummary ?? '',
  }));
  const blocking = findings.filter((f) => BLOCKING.has(f.impact));
  console.log(
    `[a11y] ${label}: ${result.passes.length} rules passed, ${findings.length} violations (${blocking.length} serious or critical)`,
  );
  return blocking;
}

/** A batch with a job in every status (completed, failed, processing, pending), so every badge shows. */
async function batchInEveryStatus(page: Page): Promise<{ batchId: string; failedJobId: string }> {
  const jobType = `e2e-a11y-${uniqueSuffix()}`;
  const batchId = await createBatchViaApi(
    page,
    'Accessibility batch',
    ['Talk 1', 'Talk 2', 'Talk 3', 'Talk 4'],
    'private',
    jobType,
  );
  const worker = new TestWorker(jobType);
  const claims = [await worker.claim(), await worker.claim(), await worker.claim()];
  const [done, failed, running] = claims.map((claim) => {
    if (!claim) throw new Error('a11y: the worker found fewer jobs than it created');
    return claim;
  }) as [NonNullable<(typeof claims)[0]>, NonNullable<(typeof claims)[0]>, NonNullable<(typeof claims)[0]>];
  await worker.logs(done.job.job_id, done.token, [
    { level: 'info', message: 'Downloading' },
    { level: 'warning', message: 'Slides not found, continuing' },
    { level: 'error', message: 'A recoverable error' },
  ]);
  await worker.complete(
    done.job.job_id,
    done.token,
    '# Result\n\nSummary with a [link](https://example.org).',
  );
  await worker.fail(failed.job.job_id, failed.token, 'DOWNLOAD_FAILED', 'The video could not be downloaded');
  await worker.progress(running.job.job_id, running.token, 'transcribe', 40);
  return { batchId, failedJobId: failed.job.job_id };
}

const SCHEMES = ['light', 'dark'] as const;

/**
 * Audits the page in light, then in dark: the scheme is switched in place (the app follows the
 * system preference, which Playwright emulates), so each screen is loaded once for both.
 */
async function auditBothSchemes(page: Page, label: string): Promise<Record<string, Finding[]>> {
  const found: Record<string, Finding[]> = {};
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // next-themes sets the class on <html> from the media query: wait until it has.
    const dark = /(^|\s)dark(\s|$)/;
    if (scheme === 'dark') await expect(page.locator('html')).toHaveClass(dark);
    else await expect(page.locator('html')).not.toHaveClass(dark);
    found[scheme] = await audit(page, `${scheme} ${label}`);
  }
  return found;
}

test.describe('accessibility (light and dark)', () => {
  // axe walks the whole DOM and computes every colour: seconds per page on a loaded 2-core machine.
  test.describe.configure({ timeout: 180_000 });
  let batch: { batchId: string; failedJobId: string } | undefined;

  for (const route of screens()) {
    test(`${route} has no serious or critical axe violations`, async ({ page, browser, baseURL }) => {
      if (route.includes('[batchId]')) batch ??= await batchInEveryStatus(page);
      let target = page;
      let closeContext: (() => Promise<void>) | undefined;
      if (route === '/sign-in') {
        // Signed out: a signed-in visitor is sent on to the dashboard.
        const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
        target = await context.newPage();
        closeContext = () => context.close();
      }
      try {
        await target.goto(route.replace('[batchId]', batch?.batchId ?? ''));
        // /api-docs: the h1 is Scalar's, rendered in the browser after its script loaded (slow under load).
        await expect(target.locator('h1').first()).toBeVisible({ timeout: 60_000 });
        expect(await auditBothSchemes(target, route)).toEqual({ light: [], dark: [] });
      } finally {
        await closeContext?.();
      }
    });
  }

  test('the job sheet over the batch page has no serious or critical axe violations', async ({ page }) => {
    batch ??= await batchInEveryStatus(page);
    // The failed job's sheet, opened by its address (what a click on its row does).
    await page.goto(`/event-monitor/${batch.batchId}?job=${encodeURIComponent(batch.failedJobId)}`);
    // The sheet is a lazily loaded chunk: give it time on a loaded machine.
    await expect(page.getByRole('dialog', { name: /Talk/ })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('dialog').getByText('DOWNLOAD_FAILED')).toBeVisible();
    expect(await auditBothSchemes(page, 'job sheet')).toEqual({ light: [], dark: [] });
  });

  test('the dashboard as a compact table has no serious or critical axe violations', async ({ page }) => {
    batch ??= await batchInEveryStatus(page);
    await page.goto('/event-monitor?view=table');
    await expect(page.getByTestId('batch-table')).toBeVisible();
    await expect(page.getByTestId('overview-strip').getByTestId('overview-value').first()).toHaveText(/\d/);
    expect(await auditBothSchemes(page, 'dashboard table')).toEqual({ light: [], dark: [] });
  });
});
