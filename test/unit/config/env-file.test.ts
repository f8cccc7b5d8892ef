// `.env` and `--env-file`: read into the environment without overriding what is set already.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadEnvFile } from '../../../src/config';

describe('loadEnvFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'env-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads .env in the working directory; the environment's own values win", () => {
    writeFileSync(path.join(dir, '.env'), 'PORT=4000\nLOG_LEVEL=debug\nRECONCILE_CRON="0 3 * * *"\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    expect(loadEnvFile(undefined, dir, env)).toBe('.env');
    expect(env).toEqual({ PORT: '5000', LOG_LEVEL: 'debug', RECONCILE_CRON: '0 3 * * *' });
  });

  it('an empty value in the environment still wins (it is set)', () => {
    writeFileSync(path.join(dir, '.env'), 'HOST=0.0.0.0\n');
    const env: NodeJS.ProcessEnv = { HOST: '' };
    loadEnvFile(undefined, dir, env);
    expect(env.HOST).toBe('');
  });

  it('no .env: nothing read, nothing changed', () => {
    const env: NodeJS.ProcessEnv = { A: '1' };
    expect(loadEnvFile(undefined, dir, env)).toBeNull();
    expect(env).toEqual({ A: '1' });
  });

  it('--env-file reads the file named, relative to the working directory, and not .env', () => {
    writeFileSync(path.join(dir, '.env'), 'FROM=dotenv\n');
    writeFileSync(path.join(dir, 'prod.env'), 'FROM=prod\n');
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile('prod.env', dir, env)).toBe('prod.env');
    expect(env).toEqual({ FROM: 'prod' });
  });

  it('--env-file naming a file that is not there is a configuration error naming it', () => {
    expect(() => loadEnvFile('missing.env', dir, {})).toThrow(ConfigError);
    expect(() => loadEnvFile('missing.env', dir, {})).toThrow(
      /^configuration error: --env-file missing\.env: no such file$/,
    );
  });

  it('a directory where a file is expected is a configuration error', () => {
    mkdirSync(path.join(dir, '.env'));
    expect(() => loadEnvFile(undefined, dir, {})).toThrow(/^configuration error: \.env: not a file$/);
  });
});
