// `npm test` ends with the line CI reads, "N passed, N failed": jest run on a tiny project with the
// repository's reporters, stdout and stderr in one stream as a terminal or a CI log shows them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../..');

jest.setTimeout(30_000);

it('prints "N passed, N failed" as the last line of the run', async () => {
  const jestBin = path.join(root, 'node_modules/jest/bin/jest.js');
  const config = path.join(root, 'test/fixtures/jest-summary/jest.config.js');
  const output = await promisify(execFile)(
    'sh',
    ['-c', `"${process.execPath}" "${jestBin}" -c "${config}" --ci 2>&1; true`],
    { cwd: root, env: { PATH: process.env.PATH ?? '', CI: 'true' } },
  ).then((r) => r.stdout);
  expect(output).toMatch(/Tests:\s+1 failed, 2 passed, 3 total/); // jest's own summary came first
  const lines = output.trimEnd().split('\n');
  expect(lines[lines.length - 1]).toBe('2 passed, 1 failed');
});
