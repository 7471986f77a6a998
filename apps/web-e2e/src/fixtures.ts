import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { live } from './live';

export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'artifacts', 'screenshots');

/**
 * Every page is signed in as admin (unless a spec overrides storageState), starts at the live
 * server, and fails its test on any browser console error or uncaught exception.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  // Playwright requires the (empty) fixture-dependency pattern here.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => use(live().url),
  // eslint-disable-next-line no-empty-pattern
  storageState: async ({}, use) => use(live().adminState),
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      await use(errors);
      expect(errors, 'browser console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let sheets and dialogs finish sliding in, so the picture shows the settled screen.
  // Finite ones only: spinners and pulse dots run forever.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

interface ApiEnvelope<T> {
  status: string;
  data: T;
}

/** A short random suffix: names, job types and users of one spec never meet another spec's. */
export const uniqueSuffix = (): string => Math.random().toString(36).slice(2, 8);

/**
 * A minimal worker on the REST API: claims jobs of one job type and completes (or fails) them.
 * Specs run in parallel on one server: each spec gives its jobs (createBatchViaApi's jobType) and
 * its worker the same type of its own, so no spec's worker takes another spec's jobs.
 */
export class TestWorker {
  readonly workerId: string;

  constructor(
    private readonly jobType: string,
    workerId = `e2e-worker-${uniqueSuffix()}`,
  ) {
    this.workerId = workerId;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${live().url}/api/event-job/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${live().workerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as ApiEnvelope<T>;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
    return json.data;
  }

  async claim(): Promise<{
    job: { job_id: string; parameters: { session?: string } };
    token: string;
  } | null> {
    const data = await this.post<{
      job: { job_id: string; parameters: { session?: string } } | null;
      lease?: { token: string };
    }>('worker/claim', { worker_id: this.workerId, job_types: [this.jobType] });
    return data.job && data.lease ? { job: data.job, token: data.lease.token } : null;
  }

  progress(jobId: string, token: string, step: string, percent: number) {
    return this.post(`worker/jobs/${jobId}/progress`, { token, progress: { step, percent } });
  }

  logs(jobId: string, token: string, entries: { level: string; message: string }[]) {
    return this.post(`worker/jobs/${jobId}/logs`, { token, entries });
  }

  complete(jobId: string, token: string, markdown: string) {
    return this.post(`worker/jobs/${jobId}/complete`, { token, results: { markdown_content: markdown } });
  }

  fail(jobId: string, token: string, code: string, message: string) {
    return this.post(`worker/jobs/${jobId}/fail`, { token, error: { code, message }, retryable: false });
  }

  /**
   * Processes every claimable job: sessions containing "FAIL" fail, the rest complete with a
   * small markdown result. Returns the ids it handled.
   */
  async drain(): Promise<string[]> {
    const handled: string[] = [];
    for (let claimed = await this.claim(); claimed; claimed = await this.claim()) {
      const { job, token } = claimed;
      const session = job.parameters.session ?? job.job_id;
      await this.logs(job.job_id, token, [
        { level: 'info', message: `Downloading ${session}` },
        { level: 'warning', message: 'Slides not found, continuing' },
      ]);
      await this.progress(job.job_id, token, 'transcribe', 50);
      if (session.includes('FAIL')) {
        await this.fail(job.job_id, token, 'DOWNLOAD_FAILED', `Video of ${session} could not be downloaded`);
      } else {
        await this.complete(
          job.job_id,
          token,
          `# ${session}\n\nSummary of **${session}**.\n\n- first point\n- second point\n\n<script>alert(1)</script>`,
        );
      }
      handled.push(job.job_id);
    }
    return handled;
  }
}

/**
 * Creates a batch through the tRPC HTTP API as the signed-in user of `page`. Jobs get `jobType`
 * when given (the type a spec's TestWorker claims), the server's default type otherwise (no
 * spec's worker claims those).
 */
export async function createBatchViaApi(
  page: Page,
  name: string,
  sessions: string[],
  visibility: 'private' | 'public' = 'private',
  jobType?: string,
): Promise<string> {
  const response = await page.request.post('/api/trpc/batch.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: {
      json: {
        batch_name: name,
        visibility,
        jobs: sessions.map((session) => ({
          ...(jobType ? { job_type: jobType } : {}),
          parameters: { event: 'E2E Conf', session, source_language: 'en', target_language: 'de' },
        })),
      },
    },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  const body = (await response.json()) as { result: { data: { json: { batch: { batch_id: string } } } } };
  return body.result.data.json.batch.batch_id;
}

export interface Operator {
  email: string;
  name: string;
  context: BrowserContext;
  page: Page;
}

/**
 * A new operator of the calling spec's own, signed in in a browser context of its own. Fail-all
 * and the dashboard's counts act on the batches the user may write or read: an operator's are
 * its own (plus public ones to read), so a spec acting as one leaves the other specs' batches,
 * created by the admin, alone. Console errors of its page fail the test like the admin page's.
 */
export async function newOperator(browser: Browser, admin: Page, consoleErrors: string[]): Promise<Operator> {
  const suffix = uniqueSuffix();
  const user = { email: `operator-${suffix}@e2e.local`, name: `Operator ${suffix}`, password: `operator-${suffix}-password` };
  const created = await admin.request.post('/api/trpc/user.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: { json: { ...user, role: 'operator' } },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const context = await browser.newContext({ baseURL: live().url, storageState: { cookies: [], origins: [] } });
  const signedIn = await context.request.post('/api/auth/sign-in/email', {
    headers: { origin: live().url },
    data: { email: user.email, password: user.password },
  });
  expect(signedIn.ok(), await signedIn.text()).toBeTruthy();
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`operator console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`operator pageerror: ${error.message}`));
  return { email: user.email, name: user.name, context, page };
}
