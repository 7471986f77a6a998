import { expect, test } from './fixtures';
import { live } from './live';

// The operators' own zone; the live server runs in UTC. Any hydration mismatch (React error #418)
// is a console error or page error, which fails the test through the fixture.
test.use({ timezoneId: 'Europe/Berlin' });

const JOB_TYPE = 'e2e-hydration';

interface WorkerAnswer {
  job?: { job_id: string } | null;
  lease?: { token: string };
}

async function worker(path: string, body: unknown): Promise<WorkerAnswer> {
  const response = await fetch(`${live().url}/api/event-job/worker/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${live().workerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data: WorkerAnswer };
  expect(response.status, JSON.stringify(json)).toBe(200);
  return json.data;
}

/** Claims a job of this spec's own type, so jobs other specs left pending are not taken. */
async function claim(): Promise<{ jobId: string; token: string }> {
  const data = await worker('claim', { worker_id: 'e2e-hydration', job_types: [JOB_TYPE] });
  expect(data.job).toBeTruthy();
  return { jobId: data.job?.job_id ?? '', token: data.lease?.token ?? '' };
}

test('pages render the same on server and browser in another time zone, with a job running', async ({ page }) => {
  test.setTimeout(180_000);
  const created = await page.request.post('/api/trpc/batch.create', {
    headers: { 'content-type': 'application/json', origin: live().url },
    data: {
      json: {
        batch_name: 'Hydration batch',
        jobs: ['Done talk', 'Running talk'].map((session) => ({ job_type: JOB_TYPE, parameters: { event: 'E2E Conf', session } })),
      },
    },
  });
  expect(created.ok(), await created.text()).toBeTruthy();
  const batchId = ((await created.json()) as { result: { data: { json: { batch: { batch_id: string } } } } }).result.data.json.batch.batch_id;
  const done = await claim();
  await worker(`jobs/${done.jobId}/complete`, { token: done.token, results: { markdown_content: '# Done' } });
  const running = await claim();
  await worker(`jobs/${running.jobId}/progress`, { token: running.token, progress: { step: 'transcribe', percent: 40 } });

  const paths = [`/event-monitor/${batchId}`, '/event-monitor', '/workers', '/metrics', '/status', '/admin/audit', '/admin/users', '/admin/tokens'];
  for (const path of paths) {
    const response = await page.goto(path);
    expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
    // Hydration runs right after the scripts load; a mismatch is reported within this pause.
    await page.waitForLoadState('load');
    await page.waitForTimeout(1_000);
  }

  // After hydration the batch page shows the browser's zone, not the server pass's UTC.
  await page.goto(`/event-monitor/${batchId}`);
  await expect(page.getByRole('heading', { name: 'Hydration batch', level: 1 })).toBeVisible();
  await expect(page.locator('p', { hasText: /^Created / }).first()).not.toContainText('UTC');
  // The running job's duration counts once the page has hydrated (the server pass renders '—').
  await expect(page.getByRole('row', { name: /Running talk/ }).getByText(/\d+ s$/)).toBeVisible();
  await page.getByRole('button', { name: /^Open .*Running talk$/ }).click();
  await expect(page.getByRole('dialog', { name: /Running talk/ })).toBeVisible();
  await page.waitForTimeout(1_000);
  await worker(`jobs/${running.jobId}/complete`, { token: running.token, results: { markdown_content: '# Running' } });
});
