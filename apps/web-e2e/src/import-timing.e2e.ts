import { loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test, uniqueSuffix } from './fixtures';

const ROWS = 1000;
/** The targets of issue 19: each keystroke under 100 ms, the submit under 1 s of main-thread time. */
const KEYSTROKE_MS = 100;
const SUBMIT_MS = 1000;

declare global {
  interface Window {
    __perf: { longTasks: { start: number; duration: number }[]; events: { name: string; start: number; duration: number }[] };
  }
}

/** Long tasks and slow events (Event Timing, >= 16 ms) of the page from now on. */
async function observe(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__perf = { longTasks: [], events: [] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__perf.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__perf.events.push({ name: entry.name, start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  });
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** Sum and longest of the long tasks that started in [from, to). */
async function longTasks(page: Page, from: number, to: number): Promise<{ total: number; longest: number; count: number }> {
  return page.evaluate(
    ([a, b]) => {
      const tasks = window.__perf.longTasks.filter((task) => task.start >= a && task.start < b);
      return {
        total: Math.round(tasks.reduce((sum, task) => sum + task.duration, 0)),
        longest: Math.round(Math.max(0, ...tasks.map((task) => task.duration))),
        count: tasks.length,
      };
    },
    [from, to] as const,
  );
}

/** The slowest key and input event (Event Timing: input delay + handlers + next paint) in [from, to). */
async function slowestKey(page: Page, from: number, to: number): Promise<number> {
  return page.evaluate(
    ([a, b]) =>
      Math.max(
        0,
        ...window.__perf.events
          .filter((event) => event.start >= a && event.start < b && /^(keydown|keypress|keyup|beforeinput|input)$/.test(event.name))
          .map((event) => event.duration),
      ),
    [from, to] as const,
  );
}

/**
 * The page's main thread as Chromium counts it (CDP Performance.getMetrics): `ThreadTime` is its
 * CPU time, `TaskDuration` the wall time of its tasks. CPU time is what the page itself costs;
 * on a loaded machine the wall time of the same work grows with the wait for a core.
 */
type Meter = () => Promise<() => Promise<{ cpu: number; tasks: number }>>;

async function mainThreadMeter(page: Page): Promise<Meter> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
    return { cpu: value('ThreadTime'), tasks: value('TaskDuration') };
  };
  return async () => {
    const start = await read();
    return async () => {
      const end = await read();
      return { cpu: Math.round(end.cpu - start.cpu), tasks: Math.round(end.tasks - start.tasks) };
    };
  };
}

/** Types `text` one key at a time; the slowest key's main-thread CPU time (key to updated value). */
async function typeMeasured(page: Page, meter: Meter, input: ReturnType<Page['getByLabel']>, text: string): Promise<number> {
  let slowest = 0;
  for (const key of text) {
    const before = await input.inputValue();
    const cost = await meter();
    await page.keyboard.type(key);
    await expect(input).toHaveValue(before + key);
    slowest = Math.max(slowest, (await cost()).cpu);
  }
  return slowest;
}

test(`a ${ROWS}-row import stays interactive: keystrokes under ${KEYSTROKE_MS} ms, submit under ${SUBMIT_MS} ms of main thread`, async ({
  page,
}) => {
  test.setTimeout(180_000);
  const name = `Import ${ROWS} ${uniqueSuffix()}`;
  const header = 'event,session,track,day,starttime,endtime,speakers,url,source_language,target_language,job_type,priority';
  const lines = Array.from(
    { length: ROWS },
    (_, i) =>
      `PerfConf,Talk ${i + 1},Track ${i % 7},2026-12-0${(i % 3) + 1},10:00,10:30,"Ada; Grace",https://example.org/t/${i + 1},en,de,e2e-import-nobody-claims,${i % 5}`,
  );
  await page.goto('/event-monitor/create-batch');
  await page.getByLabel('Batch name').fill('');
  await observe(page);
  const meter = await mainThreadMeter(page);

  await page.getByRole('button', { name: 'Import CSV or JSON' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import CSV or JSON' });
  await dialog
    .getByLabel('Schedule file')
    .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...lines].join('\n')) });
  await expect(dialog.getByText(`Preview: ${ROWS} rows`, { exact: true })).toBeVisible();
  const importStart = await now(page);
  await dialog.getByRole('button', { name: `Add ${ROWS} valid rows` }).click();
  await expect(page.getByRole('table', { name: `${ROWS} rows` })).toBeVisible();
  const importTasks = await longTasks(page, importStart, await now(page));

  // Typing in the batch name with a thousand rows on the page.
  const nameInput = page.getByLabel('Batch name');
  await nameInput.click();
  const typeStart = await now(page);
  const nameKeyCpu = await typeMeasured(page, meter, nameInput, name);
  const typeEnd = await now(page);
  const nameKey = await slowestKey(page, typeStart, typeEnd);
  const nameTasks = await longTasks(page, typeStart, typeEnd);

  // Editing row 500 in its dialog.
  await page.getByTestId('rows-table-scroll').evaluate((element) => (element.scrollTop = 499 * 49));
  await page.getByRole('button', { name: 'Edit row 500' }).click();
  const rowDialog = page.getByRole('dialog', { name: 'Row 500' });
  const session = rowDialog.getByLabel('Session');
  await session.click();
  await session.press('End');
  const rowStart = await now(page);
  const rowKeyCpu = await typeMeasured(page, meter, session, ' (edited)');
  const rowEnd = await now(page);
  const rowKey = await slowestKey(page, rowStart, rowEnd);
  await rowDialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: /Talk 500 \(edited\)/ })).toBeVisible();

  // Submit: validation of every row, the request, and the batch page.
  // Submit: from the click until the server accepted the batch (the form marks it), then the
  // batch page opening, measured apart.
  const submitCost = await meter();
  const submitStart = await now(page);
  await page.getByRole('button', { name: 'Create batch' }).click();
  await page.waitForFunction(() => performance.getEntriesByName('create-batch:created').length > 0, undefined, {
    timeout: 60_000,
    polling: 100,
  });
  const submitMainThread = await submitCost();
  const created = await page.evaluate(() => performance.getEntriesByName('create-batch:created')[0]?.startTime ?? 0);
  const submitTasks = await longTasks(page, submitStart, created);
  const pageCost = await meter();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible({ timeout: 60_000 });
  const pageMainThread = await pageCost();
  await expect(page.getByTestId('batch-counters')).toContainText(`${ROWS} jobs`);

  const figures = {
    rows: ROWS,
    loadAverage: loadavg().map((n) => Math.round(n * 10) / 10),
    importLongTasksMs: importTasks,
    batchNameSlowestKeyCpuMs: nameKeyCpu,
    batchNameSlowestKeyEventMs: nameKey,
    batchNameLongTasksMs: nameTasks,
    rowEditSlowestKeyCpuMs: rowKeyCpu,
    rowEditSlowestKeyEventMs: rowKey,
    submitLongTasksMs: submitTasks,
    submitMainThreadMs: submitMainThread,
    batchPageMainThreadMs: pageMainThread,
  };
  console.log(`[import-timing] ${JSON.stringify(figures)}`);
  test.info().annotations.push({ type: 'import-timing', description: JSON.stringify(figures) });

  // The targets on the page's own main-thread (CPU) time; the wall-clock figures above also hold
  // the wait for a core, which on a shared machine says more about its load than about the page.
  expect(nameKeyCpu).toBeLessThan(KEYSTROKE_MS);
  expect(rowKeyCpu).toBeLessThan(KEYSTROKE_MS);
  expect(submitMainThread.cpu).toBeLessThan(SUBMIT_MS);
});
