// Lets a child `node` process run the TypeScript sources directly (`node -r ./test/support/swc-register.js
// file.ts`), compiled by the same swc that jest uses: a test that needs a real process of its own.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
