// A working directory with nothing in it for CLI processes under test: the CLI reads `.env` from its
// working directory, and a developer's own `.env` in the checkout must not leak into a test's settings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let dir: string | undefined;

/** One empty directory per test process (under the OS's temporary directory, left for it to clean). */
export function cleanCwd(): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'lms-sync-cwd-'));
  return dir;
}
