// docker-compose.yml runs the whole thing with `docker compose up` and no .env: checked here by compose's
// own `config` (the plugin, else Debian's docker-compose: scripts/ensure-services.sh --with-compose
// installs it), and by reading what it would run: the service's environment is a valid configuration
// that points at the containers of the file, each simulator listens where the service calls it, nothing
// is published beyond 127.0.0.1. Nothing is built or started: this machine has no image registry.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config';
import { lmsConnection } from '../../../src/lms';
import { startCliProcess } from '../../support/cli-process';

const root = path.resolve(__dirname, '../../..');

/** `docker compose` when the plugin is there, else `docker-compose` (looked up once). */
const composeCommand = ((): string[] => {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return ['docker', 'compose'];
  } catch {
    return ['docker-compose'];
  }
})();

function compose(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const [cmd, ...pre] = composeCommand;
  return new Promise((resolve) =>
    execFile(
      cmd as string,
      [...pre, ...args],
      // a clean environment: no .env, no COMPOSE_* or settings of the developer's
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root, ...env }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  healthcheck?: { test: string[] };
}

describe('docker-compose.yml', () => {
  let resolved: { services: Record<string, Service> };

  beforeAll(async () => {
    const r = await compose(['config'], {});
    if (r.code !== 0) throw new Error(`compose config failed:\n${r.out}`);
    resolved = parse(r.out) as typeof resolved;
  });

  it("passes compose's own check with no .env and no settings in the environment", async () => {
    expect((await compose(['config', '-q'], {})).code).toBe(0);
    expect(Object.keys(resolved.services).sort()).toEqual(
      ['lms-sim', 'odoo-db', 'odoo', 'odoo-sim', 'postgres', 'rabbitmq', 'service'].sort(),
    );
  });

  it("gives the service a valid configuration pointing at the file's own containers", () => {
    const env = resolved.services.service?.environment ?? {};
    const config = loadConfig(env);
    const hostOf = (u: string) => new URL(u).hostname;
    const names = Object.keys(resolved.services);
    for (const u of [config.DATABASE_URL, config.AMQP_URL, config.ODOO_URL, lmsConnection(config).url])
      expect([u, names.includes(hostOf(u))]).toEqual([u, true]);
    expect(resolved.services.service?.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
      'odoo-sim': { condition: 'service_healthy' },
      'lms-sim': { condition: 'service_healthy' },
    });
  });

  it('starts each simulator on all interfaces at the port the service calls, with the same credentials', () => {
    const env = resolved.services.service?.environment ?? {};
    const config = loadConfig(env);
    for (const [name, url] of [
      ['odoo-sim', config.ODOO_URL],
      ['lms-sim', lmsConnection(config).url],
    ] as const) {
      const s = resolved.services[name] as Service;
      const cmd = s.command ?? [];
      expect(cmd.slice(0, 4)).toEqual(['node', 'dist/cli/index.js', 'sim', name.replace('-sim', '')]);
      expect(cmd[cmd.indexOf('--host') + 1]).toBe('0.0.0.0');
      expect(cmd[cmd.indexOf('--port') + 1]).toBe(new URL(url).port);
      expect(s.healthcheck?.test.join(' ')).toContain(new URL(url).port);
      for (const k of ['ODOO_DB', 'ODOO_USERNAME', 'ODOO_API_KEY', 'LMS_API_TOKEN'])
        expect([name, k, s.environment?.[k]]).toEqual([name, k, env[k]]);
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = Object.entries(resolved.services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => [name, typeof p === 'string' ? p : JSON.stringify(p)]),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const [name, p] of published)
      expect([name, p]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
  });

  it('takes a setting from the shell over its local-trial default', async () => {
    const r = await compose(['config'], { ADMIN_TOKEN: 'a-token-from-the-shell-0123' });
    const env = (parse(r.out) as typeof resolved).services.service?.environment ?? {};
    expect(env.ADMIN_TOKEN).toBe('a-token-from-the-shell-0123');
  });

  it.each([
    ['odoo', /Odoo simulator on (http:\/\/\S+)/],
    ['lms', /LMS simulator on (http:\/\/\S+)/],
  ])(
    "the simulator's --host 0.0.0.0 of its command listens on every interface (%s)",
    async (which, banner) => {
      const p = await startCliProcess(['sim', which, '--host', '0.0.0.0', '--port', '0'], {}, banner);
      try {
        const url = new URL(p.ready[1] as string);
        expect(url.hostname).toBe('0.0.0.0');
        const r = await fetch(`http://127.0.0.1:${url.port}/`);
        expect(r.status).toBeGreaterThan(0);
      } finally {
        await p.kill();
      }
    },
  );
});
