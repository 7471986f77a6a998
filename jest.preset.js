const nxPreset = require('@nx/jest/preset').default;

/** Shared Jest settings: SWC for speed (types are checked by the typecheck target), Node by default. */
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  // Integration tests talk to a real server on a 2-core machine that runs several suites at once.
  testTimeout: 30_000,
  transform: {
    '^.+\\.[cm]?[tj]sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'json'],
  // These packages ship ES modules only; SWC turns them into CommonJS for Jest.
  transformIgnorePatterns: [
    '/node_modules/(?!(better-auth|@better-auth|better-call|@better-fetch|jose|@noble|nanostores|defu|kysely|rou3|uncrypto|superjson|copy-anything|is-what)/)',
  ],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
};
