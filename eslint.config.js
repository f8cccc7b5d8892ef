// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const FACE = 'import another folder of src/ through its face (its index.ts), not a file inside it';
const DEEP = { group: ['../*/*'], message: FACE };
const DEEP_NESTED = { group: ['../../*/*'], message: FACE };
/** the CLI and the demo start the simulators, whose faces are sim/odoo, sim/lms, sim/moodle and sim/any-lms */
const DEEP_BUT_SIM = {
  group: ['../*/*', '!../sim/odoo', '!../sim/lms', '!../sim/moodle', '!../sim/any-lms'],
  message: FACE,
};
const SIM_DEMO = {
  group: ['**/sim', '**/sim/**', '**/demo', '**/demo/**'],
  message: 'the service never imports the simulators or the demo; only src/cli/ and src/demo/ may',
};

module.exports = tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'coverage/**', 'odoo-addon/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Folder boundaries under src/: another folder only through its index.ts face (tests may reach
  // inside); the simulators and the demo only from the CLI and the demo. Cycles between folders are
  // caught by scripts/check-imports.js (npm run lint).
  {
    files: ['src/*/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP, SIM_DEMO] }] },
  },
  {
    files: ['src/*/*/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_NESTED, SIM_DEMO] }] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/demo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_BUT_SIM] }] },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_NESTED] }] },
  },
);
