module.exports = {
  displayName: 'testing',
  preset: '../../jest.preset.js',
  globalSetup: './src/global-setup.ts',
  globalTeardown: './src/global-teardown.ts',
  coverageDirectory: '../../coverage/libs/testing',
};
