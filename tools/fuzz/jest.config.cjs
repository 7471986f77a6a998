module.exports = {
  displayName: 'fuzz',
  preset: '../../jest.preset.js',
  globalSetup: '../../libs/testing/src/global-setup.ts',
  globalTeardown: '../../libs/testing/src/global-teardown.ts',
  coverageDirectory: '../../coverage/tools/fuzz',
};
