// `npm test`: install what is missing, then lint, typecheck and every test project through Nx.
import { ensureDependencies, run } from './bootstrap.mjs';

// `typecheck-all` (tools/typecheck) checks the same files as every project's own `typecheck`, in
// two programs instead of sixteen: each project's typecheck re-checked every lib it imports
// (domain and contracts about a dozen times), 316 s of the last CI's 2-core time.
const targets = ['lint', 'typecheck-all', 'test', 'e2e'];

const nxEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NEXT_TELEMETRY_DISABLED: '1' };

try {
  ensureDependencies();
  // The HTTP, CLI, Python and browser suites run the production build: build it once, first.
  run('npx', ['nx', 'run', '@event-monitor/web:build', '--outputStyle', 'static'], { env: nxEnv });
  run('npx', [
    'nx',
    'run-many',
    '--targets',
    targets.join(','),
    '--parallel',
    process.env.CI ? '2' : '3',
    '--outputStyle',
    'static',
    ...process.argv.slice(2),
  ], { env: nxEnv });
} catch (error) {
  console.error(`[event-monitor] ${error.message}`);
  process.exit(1);
}
