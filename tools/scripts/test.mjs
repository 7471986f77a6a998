// `npm test`: install what is missing, then lint, typecheck and every test project through Nx.
import { ensureDependencies, run } from './bootstrap.mjs';

const targets = ['lint', 'typecheck', 'test'];

try {
  ensureDependencies();
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
  ], { env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' } });
} catch (error) {
  console.error(`[event-monitor] ${error.message}`);
  process.exit(1);
}
