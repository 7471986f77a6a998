module.exports = {
  displayName: 'cli',
  preset: '../../jest.preset.js',
  globalSetup: '../../libs/testing/src/global-setup.ts',
  globalTeardown: '../../libs/testing/src/global-teardown.ts',
  coverageDirectory: '../../coverage/tools/cli',
};
