// `npm start` / `npm run dev` / `npm run demo`: install what is missing, then hand over to serve.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, workspaceRoot } from './bootstrap.mjs';

try {
  ensureDependencies();
} catch (error) {
  console.error(`[event-monitor] ${error.message}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(workspaceRoot, 'tools/scripts/serve.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: workspaceRoot },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// `kill <npm pid>` ends npm and its shell without passing the signal on; when our parent is
// gone, stop everything instead of running on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
