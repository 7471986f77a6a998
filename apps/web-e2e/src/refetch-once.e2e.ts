import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { live } from './live';

/** How long the change feed may take to report a write: a 1 s poll, the 0.5 s burst window, margin. */
const FEED_SETTLES_MS = 4_000;
/** This spec's own job type: it finishes only its own jobs, whatever other specs left pending. */
const JOB_TYPE = 'e2e-refetch-once';

async function worker<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${live().url}/api/event-job/worker/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${live().workerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data: T };
  expect(response.status, JSON.stringify(json)).toBe(200);
  return json.data;
}

/** Claims and completes every job of JOB_TYPE; returns how many. */
async function finishOwnJobs(): Promise<number> {
  let finished = 0;
  for (;;) {
    const claimed = await worker<{ job?: { job_id: string } | null; lease?: { token: string } }>('claim', {
      worker_id: 'e2e-refetch-once',
      job_types: [JOB_TYPE],
    });
    if (!claimed.job || !claimed.lease) return finished;
    await worker(`jobs/${claimed.job.job_id}/complete`, {
      token: claimed.lease.token,
      results: { markdown_content: '# Done' },
    });
    finished += 1;
  }
}

/** The tRPC reads (GET, batched) the page makes from now on; the live subscription is left out. */
function recordReads(page: Page): { reads: string[]; stop: () => void } {
  const reads: string[] = [];
  const onRequest = (request: Request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET' || !url.pathname.startsWith('/api/trpc/')) return;
    if (url.pathname.includes('live.changes')) return;
    reads.push(decodeURIComponent(url.pathname.slice('/api/trpc/'.length)));
  };
  page.on('request', onRequest);
  return { reads, stop: () => page.off('request', onRequest) };
}

/** Waits until the page has made no tRPC read for `quietMs` (the feed's echoes of earlier writes included). */
async function settle(page: Page, quietMs = 2_500): Promise<void> {
  const { reads, stop } = recordReads(page);
  let seen = -1;
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (reads.length !== seen) {
      seen = reads.length;
      quietSince = Date.now();
    }
    await page.waitForTimeout(250);
  }
  stop();
}

test('a batch restart refetches the batch page once, not again when the change feed reports it', async ({ page }) => {
  const name = `Refetch once ${Date.now()}`;
  const created = await page.request.post('/api/trpc/batch.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: {
      json: {
        batch_name: name,
        jobs: ['Refetch one', 'Refetch two', 'Refetch three'].map((session) => ({
          job_type: JOB_TYPE,
          parameters: { event: 'E2E Conf', session },
        })),
      },
    },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const batchId = ((await created.json()) as { result: { data: { json: { batch: { batch_id: string } } } } }).result
    .data.json.batch.batch_id;
  expect(await finishOwnJobs()).toBe(3);

  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  const counters = page.getByTestId('batch-counters');
  await expect(counters).toContainText('Completed: 3');
  await settle(page);

  const { reads, stop } = recordReads(page);
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Restart all jobs' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page.getByText('3 jobs restarted')).toBeVisible();
  await expect(counters).toContainText('Pending: 3');
  await page.waitForTimeout(FEED_SETTLES_MS);
  stop();

  // One batched read after the mutation (the batch and its jobs together); the change feed's
  // report of the same writes, a second later, reads nothing more.
  expect(reads.filter((path) => path.includes('job.list')), reads.join('\n')).toHaveLength(1);
  expect(reads.filter((path) => path.includes('batch.get')), reads.join('\n')).toHaveLength(1);
  expect(reads, reads.join('\n')).toHaveLength(1);

  // A later change the page has not seen (a worker taking a job) still refetches.
  const taken = await worker<{ job: { job_id: string }; lease: { token: string } }>('claim', {
    worker_id: 'e2e-refetch-once',
    job_types: [JOB_TYPE],
  });
  await expect(counters).toContainText('Processing: 1', { timeout: 10_000 });
  await worker(`jobs/${taken.job.job_id}/complete`, { token: taken.lease.token, results: { markdown_content: '# Done' } });
  expect(await finishOwnJobs()).toBe(2);
});
