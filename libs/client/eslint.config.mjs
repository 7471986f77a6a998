import baseConfig, { moduleBoundaries } from '../../eslint.config.mjs';

// The client runs on a developer's machine (scope:client) and never loads server code. It needs the
// server's router *type* (tRPC's typed client), so the API lib is exempt from the boundary check
// here, and a second rule lets through only type imports of it (erased at compile time).
export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ allow: ['@event-monitor/api'] }),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@event-monitor/api',
              allowTypeImports: true,
              message: 'The client may import only types from the server (import type / export type).',
            },
          ],
        },
      ],
    },
  },
];
