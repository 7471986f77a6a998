import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The budget check lives in tools/scripts (it also runs by hand); here it runs against the build
// that `npm test` makes first, as its own process, and its JSON report is checked.
const ROOT = join(__dirname, '..', '..', '..', '..');

interface Report {
  routes: { route: string; gzip: number; files: { file: string; gzip: number; framework: boolean }[] }[];
  failures: string[];
}

function runBudget(): { status: number | null; report: Report; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'tools/scripts/bundle-budget.ts', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: process.env,
  });
  if (!result.stdout) throw new Error(`bundle-budget printed nothing: ${result.stderr}`);
  return { status: result.status, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

describe('first-load JS budget of the production build', () => {
  const { status, report, stderr } = runBudget();
  const dashboard = report.routes.find((r) => r.route === '/event-monitor');

  it('measures the real first load of /event-monitor: React DOM included, well over 50 KB', () => {
    expect(dashboard).toBeDefined();
    expect(dashboard?.files.some((f) => f.framework)).toBe(true);
    expect(dashboard?.gzip).toBeGreaterThan(50 * 1024);
    // The batch page and the sign-in page are measured too.
    expect(report.routes.map((r) => r.route)).toEqual(expect.arrayContaining(['/event-monitor/[batchId]', '/sign-in']));
  });

  it('keeps /event-monitor under 250 KB gzip', () => {
    expect(report.failures).toEqual([]);
    expect(dashboard?.gzip).toBeLessThanOrEqual(250 * 1024);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  });
});
