module.exports = {
  displayName: 'client',
  preset: '../../jest.preset.js',
  globalSetup: '../testing/src/global-setup.ts',
  globalTeardown: '../testing/src/global-teardown.ts',
  coverageDirectory: '../../coverage/libs/client',
};
