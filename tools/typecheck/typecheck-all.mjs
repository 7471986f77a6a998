// `nx run @event-monitor/typecheck:typecheck-all` (part of `npm test`): type-checks every project's
// own tsconfig.json files, found on disk by the same rule as tools/nx/typecheck-plugin.js (a
// tsconfig.json next to a package.json or project.json), in as few TypeScript programs as their
// options allow. Projects whose options differ only in the ones below are merged: one program
// for those without the DOM library, one for those with it. Checked separately, each project's
// program re-checked every lib it imports (domain and contracts about a dozen times).
// A project with any other compiler option gets a program of its own, so nothing is checked
// under options it did not ask for.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', '.next', '.nx', 'dist', 'target', 'coverage', '.data', 'tmp']);
/** Options that may differ between merged projects: the merged program takes their union. */
const MERGEABLE = new Set(['types', 'lib', 'jsx', 'allowJs', 'incremental', 'plugins']);

function findConfigs(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findConfigs(path, found);
    else if (entry.name === 'tsconfig.json' && dir !== root) {
      if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'project.json'))) found.push(path);
    }
  }
  return found;
}

function readConfig(path) {
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return config;
}

const groups = new Map();
for (const path of findConfigs(root).sort()) {
  const dir = dirname(path);
  const config = readConfig(path);
  const options = config.compilerOptions ?? {};
  const own = Object.keys(options).filter((key) => !MERGEABLE.has(key));
  const onlyBase = config.extends && resolve(dir, config.extends) === join(root, 'tsconfig.base.json');
  const key = !onlyBase || own.length || config.files || config.references
    ? `own:${relative(root, dir)}`
    : (options.lib ?? []).some((lib) => lib.toLowerCase().startsWith('dom'))
      ? 'browser'
      : 'node';
  const group = groups.get(key) ?? { projects: [], config: key.startsWith('own:') ? { ...config, __dir: dir } : { compilerOptions: {}, include: [], exclude: [] } };
  group.projects.push(relative(root, dir));
  if (!key.startsWith('own:')) {
    const merged = group.config.compilerOptions;
    for (const name of ['types', 'lib']) {
      if (options[name]) merged[name] = [...new Set([...(merged[name] ?? []), ...options[name]])];
    }
    if (options.jsx) merged.jsx = options.jsx;
    if (options.allowJs) merged.allowJs = true;
    group.config.include.push(...(config.include ?? ['**/*']).map((p) => join(dir, p)));
    group.config.exclude.push(...(config.exclude ?? []).map((p) => join(dir, p)));
  }
  groups.set(key, group);
}

let failed = false;
for (const [key, group] of groups) {
  const started = performance.now();
  let parsed;
  if (key.startsWith('own:')) {
    const { __dir: dir, ...config } = group.config;
    parsed = ts.parseJsonConfigFileContent(config, ts.sys, dir);
  } else {
    const config = { extends: join(root, 'tsconfig.base.json'), ...group.config };
    parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  }
  const options = { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[typecheck] ${key}: ${group.projects.length} projects, ${parsed.fileNames.length} files, ${diagnostics.length} errors, ${seconds} s (${group.projects.join(', ')})`);
  if (diagnostics.length) {
    failed = true;
    console.error(
      ts.formatDiagnosticsWithColorAndContext(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => root,
        getNewLine: () => '\n',
      }),
    );
  }
}
if (failed) process.exit(1);
