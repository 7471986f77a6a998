import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where global setup leaves the run's server, users and signed-in states: one folder per run
 * (E2E_STATE_DIR, set by global setup and inherited by the workers), so two runs at once (a
 * shard each, or two developers' commands) never read each other's server.
 */
export function stateDir(): string {
  return process.env['E2E_STATE_DIR'] ?? join(__dirname, '..', '.tmp', `run-${process.pid}`);
}

export interface Credentials {
  email: string;
  password: string;
}

/** What global setup hands to the specs: the live server's URL, users and a worker token. */
export interface LiveInfo {
  url: string;
  admin: Credentials;
  viewer: Credentials;
  operator: Credentials;
  workerToken: string;
  /** An API token of a second admin, to change things 'elsewhere' while a page watches. */
  adminToken: string;
  adminState: string;
  viewerState: string;
}

let cached: LiveInfo | undefined;

export function live(): LiveInfo {
  cached ??= JSON.parse(readFileSync(join(stateDir(), 'live.json'), 'utf8')) as LiveInfo;
  return cached;
}
