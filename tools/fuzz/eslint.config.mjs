import baseConfig from '../../eslint.config.mjs';

// .venv holds schemathesis and its dependencies (some ship JavaScript).
export default [{ ignores: ['.venv/**'] }, ...baseConfig];
