// .env.example is what a new user copies: a shell can source it, Node reads it the same way, it names
// every setting the service has, its commented defaults are the real defaults, and its placeholder
// secrets are refused until replaced.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { configSchema, loadConfig } from '../../../src/config';

const file = path.resolve(__dirname, '../../../.env.example');
const text = readFileSync(file, 'utf8');
const active = parseEnv(text);
/** `# NAME=value` lines: a default shown, to uncomment. */
const commented = parseEnv(
  text
    .split('\n')
    .filter((l) => /^# [A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => l.slice(2))
    .join('\n'),
);
const names = Object.keys(configSchema.shape);
const ownSecrets = { WEBHOOK_SECRETS: 'whsec_b3duLXNlY3JldA==', ADMIN_TOKEN: 'an-admin-token-of-my-own' };

describe('.env.example', () => {
  it('a shell sources it to the same values Node reads', () => {
    const out = execFileSync(
      'bash',
      [
        '-c',
        'set -euo pipefail; set -a; . "$1"; set +a; for n in "${@:2}"; do printf "%s=%s\\0" "$n" "${!n}"; done',
        '_',
        file,
        ...Object.keys(active),
      ],
      { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
    );
    const sourced = Object.fromEntries(
      out
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    expect(sourced).toEqual(active);
    expect(Object.keys(active).length).toBeGreaterThan(5);
  });

  it('names every setting of the service, set or as a commented default', () => {
    const listed = new Set([...Object.keys(active), ...Object.keys(commented)]);
    expect(names.filter((n) => !listed.has(n))).toEqual([]);
    // and nothing the service does not read
    expect([...listed].filter((n) => !names.includes(n))).toEqual([]);
  });

  it('sets every required setting', () => {
    const required = names.filter(
      (n) =>
        !(configSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[
          n
        ]?.safeParse(undefined).success,
    );
    expect(required.filter((n) => !(n in active))).toEqual([]);
  });

  it("shows each default as the service's own default", () => {
    const defaults = loadConfig({ ...active, ...ownSecrets });
    const shape = configSchema.shape as Record<string, { safeParse(v: unknown): { data?: unknown } }>;
    for (const [name, value] of Object.entries(commented)) {
      // `# NAME=` of a setting without a default: shown to be set, unset until then
      if (value === '' && shape[name]?.safeParse(undefined).data === undefined) continue;
      const withIt = loadConfig({ ...active, ...ownSecrets, [name]: value });
      expect([name, withIt[name as keyof typeof withIt]]).toEqual([
        name,
        defaults[name as keyof typeof defaults],
      ]);
    }
    expect(Object.keys(commented).length).toBeGreaterThan(20);
  });

  it('refuses its placeholder secrets, naming each', () => {
    expect(() => loadConfig(active)).toThrow(
      "configuration error: WEBHOOK_SECRETS is invalid: still .env.example's placeholder; set a value of your own; ADMIN_TOKEN is invalid: still .env.example's placeholder; set a value of your own",
    );
  });

  it('is a working configuration once the two secrets are your own', () => {
    expect(loadConfig({ ...active, ...ownSecrets }).ADMIN_TOKEN).toBe(ownSecrets.ADMIN_TOKEN);
  });
});
