// Steps that must work on a fresh clone before any dependency is installed: Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: workspaceRoot, ...options });
  if (result.error) throw new Error(`${command} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function modifiedAt(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** Installs npm dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const installed = join(workspaceRoot, 'node_modules', '.package-lock.json');
  const lock = join(workspaceRoot, 'package-lock.json');
  if (existsSync(installed) && modifiedAt(installed) >= modifiedAt(lock)) return;
  console.log('[event-monitor] installing npm dependencies (npm ci) ...');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`[event-monitor] Node.js 20 or newer is required (this is ${process.version}).`);
  process.exit(1);
}
