// Settings from a dotenv file: `.env` in the working directory when there is one, or the file named by
// `--env-file`. The environment wins over the file, so a variable exported by hand or by a container
// runtime is never overridden by a forgotten line in `.env`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error';

/**
 * Reads `explicit` (it must exist: a file asked for that is not there is a configuration error) or, with
 * no `explicit`, `.env` in `cwd` if there is one, into `env`, keeping every variable `env` has already.
 * Returns the file read, or null when there was none.
 */
export function loadEnvFile(
  explicit: string | undefined,
  cwd: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const file = explicit ?? '.env';
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicit === undefined) return null;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'not a file' : `cannot read it (${code})`;
    throw new ConfigError(`configuration error: ${explicit ? `--env-file ${explicit}` : file}: ${why}`);
  }
  // Node's own dotenv parser (the one behind `node --env-file`)
  for (const [name, value] of Object.entries(parseEnv(text))) if (env[name] === undefined) env[name] = value;
  return file;
}
