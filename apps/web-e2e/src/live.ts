import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_DIR = join(__dirname, '..', '.tmp');

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
  cached ??= JSON.parse(readFileSync(join(STATE_DIR, 'live.json'), 'utf8')) as LiveInfo;
  return cached;
}
