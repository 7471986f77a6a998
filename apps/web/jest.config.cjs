module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  globalSetup: '../../libs/testing/src/global-setup.ts',
  globalTeardown: '../../libs/testing/src/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/app/**/*.spec.ts'],
  moduleNameMapper: { '\\.css$': '<rootDir>/src/styles.d.ts' },
  coverageDirectory: '../../coverage/apps/web',
};
