module.exports = {
  displayName: 'reliability',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/reliability',
};
