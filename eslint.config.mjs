import nx from '@nx/eslint-plugin';

const serverOnlyPackages = ['mongoose', 'mongodb', 'better-auth', 'pino', 'prom-client'];
const webPackages = ['next', 'next/*', 'react', 'react-dom', 'react/*', '@trpc/*', '@tanstack/*'];

const TEST_LIBS = ['@event-monitor/testing', '@event-monitor/testing-live'];

/**
 * Files that are tests or only set tests up. Everything else is production code and cannot import
 * the test libs (scope:test) at all. Whole test projects (testing, testing-live, web-e2e, fuzz,
 * reliability, bench) are tagged scope:test and reach the test libs through the constraints below.
 */
const TEST_FILES = [
  '**/*.spec.ts',
  '**/*.spec.tsx',
  '**/test-setup.ts',
  '**/test-support/**',
  // The Python SDK's test target: starts the live product and runs pytest against it.
  '**/run-pytest.ts',
];

/**
 * Who may import whom. Layers: the app mounts the doors (api, rest-adapter) and the UI; doors call
 * the domain; the domain uses the database layer; utilities depend on nothing of ours. Scopes: the
 * browser (web) and the developer's machine (client) never load server code; only tests load the
 * test libs. `allow` lists imports exempt from every check (keep it to the test files' block).
 */
export function moduleBoundaries({ allow = [] } = {}) {
  return [
    'error',
    {
      enforceBuildableLibDependency: true,
      allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', ...allow],
      depConstraints: [
        {
          sourceTag: 'type:app',
          onlyDependOnLibsWithTags: ['type:feature', 'type:ui', 'type:domain', 'type:data-access', 'type:util'],
        },
        {
          sourceTag: 'type:feature',
          onlyDependOnLibsWithTags: ['type:feature', 'type:domain', 'type:data-access', 'type:util'],
        },
        {
          sourceTag: 'type:domain',
          onlyDependOnLibsWithTags: ['type:data-access', 'type:util'],
          bannedExternalImports: webPackages,
        },
        { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
        {
          sourceTag: 'type:ui',
          onlyDependOnLibsWithTags: ['type:ui', 'type:util'],
          bannedExternalImports: serverOnlyPackages,
        },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
        { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
        { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:server', 'scope:shared'] },
        { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:client', 'scope:shared'] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        // Tests and benchmarks drive every side, the developer's client included.
        {
          sourceTag: 'scope:test',
          onlyDependOnLibsWithTags: ['scope:test', 'scope:server', 'scope:client', 'scope:shared'],
        },
      ],
    },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/.next', '**/.next-*', '**/node_modules', '**/target', 'tmp', '.data'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries() },
  },
  {
    // Tests (and the files that only set them up) may use the test harness; production code may not.
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ allow: TEST_LIBS }) },
  },
];
