import { defineConfig, devices } from '@playwright/test';
import { join } from 'node:path';
import { chromiumPath } from './src/browser';

// Global setup provisions a Chromium when this path has none and sets CHROMIUM_PATH, which the
// workers (they load this file again) inherit.
const chromium = {
  executablePath: chromiumPath(),
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/**
 * One live server (production build, own database) for the whole run; see src/global-setup.ts.
 * Specs run in any order and in parallel: each creates its own batches, gives its jobs and its
 * worker a job type of its own, and acts on everything-it-may-write (fail-all) as an operator of
 * its own. E2E_WORKERS sets the number of workers (2 unless set).
 */
export default defineConfig({
  testDir: join(__dirname, 'src'),
  testMatch: '**/*.e2e.ts',
  outputDir: join(__dirname, 'test-results'),
  globalSetup: join(__dirname, 'src/global-setup.ts'),
  fullyParallel: true,
  workers: Number(process.env['E2E_WORKERS'] ?? 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  // 20 s: CI runs two browsers, the server and the database on two cores; 10 s failed there on
  // charts and 600-row loads that appear in 1-3 s on an idle machine.
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    locale: 'en-GB',
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // As the expect timeout: a click that waits for a client navigation (RSC payload) took over
    // 10 s at load 15 in the merged branch's run.
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    launchOptions: chromium,
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromium } }],
});
