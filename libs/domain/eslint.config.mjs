import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Tests assert the shape first; a `!` after an expect is the readable way to go on.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
