import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The app's own modules and the static imports between them (type-only imports included: a cycle
// of types is still a loop a reader has to untangle; `import()` is left out, it is how lazy code
// is split off and never runs at module load).
const APP = join(__dirname, '..', '..');
const ROOTS = ['src', 'app'].map((dir) => join(APP, dir));
const EXTENSIONS = ['.ts', '.tsx'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => join(base, `index${ext}`))];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** The relative modules `file` imports or re-exports statically. */
export function staticImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolveRelative(file, specifier))
    .filter((path): path is string => path !== undefined);
}

/** Cycles met by a depth-first walk, each once: at least one whenever the graph has any. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        // One key per cycle whatever module it was entered at.
        const key = [...cycle].sort().join(' ');
        if (!cycles.has(key)) cycles.set(key, cycle);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

describe('import graph of apps/web', () => {
  const files = ROOTS.flatMap(sourceFiles);
  const graph = new Map(files.map((file) => [file, staticImports(file)]));

  it('reads the real graph: the batch page imports the job table', () => {
    const batchView = files.find((file) => file.endsWith(join('event-monitor', 'batch-view.tsx')));
    expect(batchView).toBeDefined();
    expect(graph.get(batchView ?? '')?.some((path) => path.includes('job-table'))).toBe(true);
  });

  it('finds a cycle when there is one', () => {
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });

  it('has no import cycles', () => {
    const cycles = findCycles(graph).map((cycle) => cycle.map((path) => relative(APP, path)).join(' -> '));
    expect(cycles).toEqual([]);
  });
});
