// The unit project runs with PostgreSQL and RabbitMQ down (npm run test:unit): no file under test/unit
// may import a database or broker client, or the test support that opens one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const UNIT_DIR = __dirname;
const SUPPORT_DIR = path.resolve(__dirname, '../support');
const SERVICE_PACKAGES = ['pg', 'amqplib', 'amqp-connection-manager'];
const SERVICE_SUPPORT = ['db', 'harness', 'traffic', 'service-process', 'global-setup', 'global-teardown'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function needsAService(specifier: string, fromFile: string): boolean {
  if (SERVICE_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`))) return true;
  if (!specifier.startsWith('.')) return false;
  const target = path.resolve(path.dirname(fromFile), specifier).replace(/\.ts$/, '');
  return SERVICE_SUPPORT.some((name) => target === path.join(SUPPORT_DIR, name));
}

/** The imports of one file (static, dynamic, require, type-only alike) that need a running service. */
function serviceImports(source: string, fromFile: string): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map((f) => f.fileName).filter((specifier) => needsAService(specifier, fromFile));
}

describe('unit tests need no service', () => {
  const here = path.join(UNIT_DIR, 'some', 'example.test.ts');

  it.each([
    ["import { Pool } from 'pg';", ['pg']],
    ["import type { Channel } from 'amqplib';", ['amqplib']],
    ["const m = require('amqp-connection-manager');", ['amqp-connection-manager']],
    ["import { createTestDb } from '../../support/db';", ['../../support/db']],
    ["const h = await import('../../support/harness.ts');", ['../../support/harness.ts']],
    ["import { TEST_SECRET } from '../../support/webhooks';", []],
    ["import { decideRetry } from '../../../src/queue/retry';", []],
    ["import { pgThing } from 'pg-format';", []],
  ])('%s needs a service: %j', (source, expected) => {
    expect(serviceImports(source, here)).toEqual(expected);
  });

  it('no file under test/unit imports a database or broker client, or the support that opens one', () => {
    const offenders = tsFiles(UNIT_DIR).flatMap((file) =>
      serviceImports(readFileSync(file, 'utf8'), file).map(
        (specifier) => `${path.relative(UNIT_DIR, file)} imports ${specifier}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});
