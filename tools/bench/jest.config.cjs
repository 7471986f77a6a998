const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'bench',
  preset: '../../jest.preset.js',
  globalSetup: '../../libs/testing/src/global-setup.ts',
  globalTeardown: '../../libs/testing/src/global-teardown.ts',
  coverageDirectory: '../../coverage/tools/bench',
  // Agenda ships ES modules only: SWC turns them into CommonJS like the preset's list.
  transformIgnorePatterns: preset.transformIgnorePatterns.map((pattern) =>
    pattern.replace('(?!(', '(?!(agenda|@agendajs|'),
  ),
};
