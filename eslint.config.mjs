import nx from '@nx/eslint-plugin';

const serverOnlyPackages = ['mongoose', 'mongodb', 'better-auth', 'pino', 'prom-client'];
const webPackages = ['next', 'next/*', 'react', 'react-dom', 'react/*', '@trpc/*', '@tanstack/*'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/.next', '**/.next-*', '**/node_modules', '**/target', 'tmp', '.data'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // The test harness may be used by any project's tests.
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '@event-monitor/testing', '@event-monitor/testing-live'],
          depConstraints: [
            // Layers: the app mounts the doors (api, rest-adapter) and the UI; doors call the
            // domain; the domain uses the database layer; utilities depend on nothing of ours.
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
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:feature', 'type:util'],
            },
            {
              sourceTag: 'type:ui',
              onlyDependOnLibsWithTags: ['type:ui', 'type:util'],
              bannedExternalImports: serverOnlyPackages,
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            // Scopes: who may reach which side at all.
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:server', 'scope:shared'] },
            { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:client', 'scope:server', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['scope:test', 'scope:server', 'scope:shared'] },
          ],
        },
      ],
    },
  },
];
