// First-load JS of every app route of the production web build, gzipped, with a budget for
// /event-monitor. `node --import tsx tools/scripts/bundle-budget.ts [--json]` after `next build`.
//
// What counts as first load: the build's root main files (Next's runtime, React, the Turbopack
// loader) plus the entry chunks of the route's segments (root layout, nested layouts, page) from
// the route's client-reference manifest, each file once. Polyfills (loaded only by browsers
// without ES modules) and chunks loaded later by next/dynamic or import() do not count.
// Sizes are zlib gzip at level 9 of the file as served.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..');

/** The budget of the issue: first-load JS of /event-monitor, gzip. */
export const BUDGETS: Record<string, number> = { '/event-monitor': 250 * 1024 };

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
  /** The chunk holds React DOM (the framework). */
  framework: boolean;
}

export interface RouteReport {
  /** The URL pattern, e.g. /event-monitor/[batchId]. */
  route: string;
  /** The app directory entry, e.g. /(app)/event-monitor/page. */
  entry: string;
  files: ChunkSize[];
  bytes: number;
  gzip: number;
  budget: number | null;
}

export interface BudgetReport {
  distDir: string;
  routes: RouteReport[];
  /** Routes over their budget. */
  failures: string[];
}

interface ClientReferenceManifest {
  entryJSFiles?: Record<string, string[]>;
}

function readManifest(file: string, entry: string): ClientReferenceManifest {
  // The manifest is a script that assigns globalThis.__RSC_MANIFEST[entry]; run it in a sandbox.
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file });
  const manifest = sandbox.__RSC_MANIFEST?.[entry];
  if (!manifest) throw new Error(`${file} has no manifest for ${entry}`);
  return manifest;
}

function findManifests(serverAppDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) walk(path);
      else if (item.name === 'page_client-reference-manifest.js') found.push(path);
    }
  };
  walk(serverAppDir);
  return found.sort();
}

/** `/(app)/event-monitor/[batchId]/page` -> `/event-monitor/[batchId]` (route groups vanish). */
export function routeOf(entry: string): string {
  const parts = entry
    .split('/')
    .filter((part) => part && part !== 'page' && !(part.startsWith('(') && part.endsWith(')')));
  return `/${parts.join('/')}`;
}

/** The segment entries a page loads: `[project]/apps/web/app/layout`, `.../(app)/layout`, ..., `.../page`. */
function segmentKeys(entryJSFiles: Record<string, string[]>, entry: string): string[] {
  // Every page has the root layout; a page without client components has no entry of its own.
  const prefix = Object.keys(entryJSFiles)
    .find((key) => key.endsWith('/app/layout'))
    ?.slice(0, -'/layout'.length);
  if (!prefix) throw new Error(`no root layout chunks for ${entry} in its client-reference manifest`);
  const segments = entry.split('/').filter(Boolean).slice(0, -1);
  const keys = [`${prefix}${entry}`];
  for (let depth = 0; depth <= segments.length; depth += 1) {
    keys.push(`${prefix}/${[...segments.slice(0, depth), 'layout'].join('/')}`);
  }
  return keys.filter((key) => entryJSFiles[key]);
}

/** Measures every app route of the build in `distDir` (absolute, or relative to apps/web). */
export function measureBuild(distDir = process.env['EVENT_MONITOR_NEXT_DIST_DIR'] || '.next'): BudgetReport {
  const dir = join(ROOT, 'apps', 'web', distDir);
  const buildManifestFile = join(dir, 'build-manifest.json');
  if (!existsSync(buildManifestFile)) throw new Error(`no production build in ${dir}: run \`next build\` in apps/web first`);
  const buildManifest = JSON.parse(readFileSync(buildManifestFile, 'utf8')) as { rootMainFiles: string[] };
  if (!buildManifest.rootMainFiles?.length) throw new Error(`${buildManifestFile} lists no rootMainFiles`);

  const sizes = new Map<string, ChunkSize>();
  const sizeOf = (file: string): ChunkSize => {
    const normalized = file.replace(/^\/_next\//, '');
    let size = sizes.get(normalized);
    if (!size) {
      const content = readFileSync(join(dir, normalized));
      size = {
        file: normalized,
        bytes: content.length,
        gzip: gzipSync(content, { level: 9 }).length,
        // React DOM's client carries this error-decoder URL in every production build.
        framework: content.includes('react.dev/errors/'),
      };
      sizes.set(normalized, size);
    }
    return size;
  };

  const serverAppDir = join(dir, 'server', 'app');
  const routes: RouteReport[] = [];
  for (const file of findManifests(serverAppDir)) {
    const entry = `/${relative(serverAppDir, file).split(sep).join('/').replace(/_client-reference-manifest\.js$/, '')}`;
    if (entry.startsWith('/_')) continue; // _not-found, _global-error
    const manifest = readManifest(file, entry);
    const entryJSFiles = manifest.entryJSFiles ?? {};
    const files = new Set(buildManifest.rootMainFiles);
    for (const key of segmentKeys(entryJSFiles, entry)) for (const chunk of entryJSFiles[key] ?? []) files.add(chunk);
    const measured = [...files].filter((f) => f.endsWith('.js')).map(sizeOf);
    const route = routeOf(entry);
    routes.push({
      route,
      entry,
      files: measured,
      bytes: measured.reduce((sum, f) => sum + f.bytes, 0),
      gzip: measured.reduce((sum, f) => sum + f.gzip, 0),
      budget: BUDGETS[route] ?? null,
    });
  }
  routes.sort((a, b) => a.route.localeCompare(b.route));
  const failures = routes.filter((r) => r.budget !== null && r.gzip > r.budget).map((r) => r.route);
  for (const route of Object.keys(BUDGETS)) {
    if (!routes.some((r) => r.route === route)) failures.push(`${route} (not in the build)`);
  }
  return { distDir: dir, routes, failures };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function formatReport(report: BudgetReport): string {
  const lines = [`First-load JS per route (gzip -9), ${report.distDir}`, ''];
  const width = Math.max(...report.routes.map((r) => r.route.length), 5);
  lines.push(`${'Route'.padEnd(width)}  ${'gzip'.padStart(9)}  ${'raw'.padStart(9)}  files  budget`);
  for (const r of report.routes) {
    const budget = r.budget === null ? '' : `${kb(r.budget)} ${r.gzip > r.budget ? 'OVER' : 'ok'}`;
    lines.push(`${r.route.padEnd(width)}  ${kb(r.gzip).padStart(9)}  ${kb(r.bytes).padStart(9)}  ${String(r.files.length).padStart(5)}  ${budget}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  try {
    const report = measureBuild();
    console.log(process.argv.includes('--json') ? JSON.stringify(report) : formatReport(report));
    if (report.failures.length > 0) {
      console.error(`Over budget: ${report.failures.join(', ')}`);
      process.exit(1);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}
