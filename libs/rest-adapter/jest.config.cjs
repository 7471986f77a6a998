module.exports = {
  displayName: 'rest-adapter',
  preset: '../../jest.preset.js',
  globalSetup: '../testing/src/global-setup.ts',
  globalTeardown: '../testing/src/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  coverageDirectory: '../../coverage/libs/rest-adapter',
};
