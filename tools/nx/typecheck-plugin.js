// Infers a `typecheck` target (tsc --noEmit) for every project that has a tsconfig.json.
// The workspace maps libs by tsconfig paths (no project references), so Nx's own
// @nx/js/typescript plugin, which needs `tsc --build`, does not fit.
const { dirname } = require('node:path');
const { existsSync } = require('node:fs');

module.exports.createNodesV2 = [
  '**/tsconfig.json',
  (configFiles, _options, context) =>
    configFiles
      .filter((file) => file !== 'tsconfig.json')
      .filter((file) => {
        const root = dirname(file);
        return (
          existsSync(`${context.workspaceRoot}/${root}/package.json`) ||
          existsSync(`${context.workspaceRoot}/${root}/project.json`)
        );
      })
      .map((file) => {
        const root = dirname(file);
        return [
          file,
          {
            projects: {
              [root]: {
                targets: {
                  typecheck: {
                    command: 'tsc -p tsconfig.json --noEmit',
                    options: { cwd: root },
                    cache: true,
                    inputs: ['default', '^default', '{workspaceRoot}/tsconfig.base.json'],
                    outputs: [],
                  },
                },
              },
            },
          },
        ];
      }),
];
