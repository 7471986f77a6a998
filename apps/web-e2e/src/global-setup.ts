import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '@playwright/test';
import { startLiveServer } from '@event-monitor/testing-live';
import { ensureChromium } from './browser';
import { stateDir, type LiveInfo } from './live';

async function signIn(url: string, email: string, password: string, file: string): Promise<void> {
  const context = await request.newContext({ baseURL: url, extraHTTPHeaders: { origin: url } });
  const response = await context.post('/api/auth/sign-in/email', { data: { email, password } });
  if (!response.ok())
    throw new Error(`sign-in of ${email} failed: ${response.status()} ${await response.text()}`);
  await context.storageState({ path: file });
  await context.dispose();
}

/** Starts one live server for the run; the returned function stops it (Playwright's teardown). */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await ensureChromium();
  const server = await startLiveServer();
  const dir = stateDir();
  process.env['E2E_STATE_DIR'] = dir;
  mkdirSync(dir, { recursive: true });
  const viewer = await server.createUser('viewer');
  const operator = await server.createUser('operator');
  const info: LiveInfo = {
    url: server.url,
    admin: server.admin,
    viewer: { email: viewer.email, password: viewer.password },
    operator: { email: operator.email, password: operator.password },
    workerToken: await server.createToken(['worker', 'read']),
    adminToken: await server.createToken(['read', 'write'], 'admin'),
    adminState: join(dir, 'admin.json'),
    viewerState: join(dir, 'viewer.json'),
  };
  await signIn(server.url, server.admin.email, server.admin.password, info.adminState);
  await signIn(server.url, viewer.email, viewer.password, info.viewerState);
  writeFileSync(join(dir, 'live.json'), JSON.stringify(info, null, 2));
  process.env['E2E_BASE_URL'] = server.url;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
