import { CommanderError, InvalidArgumentError } from 'commander';
import { describeFailure, UsageError } from '../../../src/cli/failures';
import { ConfigError } from '../../../src/config';
import { CannotCreateDatabase } from '../../../src/db';
import { DependencyError, failureReason, isConnectionFailure, unavailable } from '../../../src/lib';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('describeFailure: one line and an exit code per kind of failure', () => {
  it.each([
    [
      new ConfigError('configuration error: AMQP_URL is missing'),
      78,
      'configuration error: AMQP_URL is missing',
    ],
    [new UsageError('use either --full or --since, not both'), 64, 'use either --full or --since, not both'],
    [new InvalidArgumentError('--port must be a whole number'), 64, '--port must be a whole number'],
    [
      new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"),
      64,
      "unknown option '--x'",
    ],
    [
      unavailable('PostgreSQL', 'DATABASE_URL', 'postgres://u:secret@db:5432/x', coded('ECONNREFUSED')),
      69,
      'cannot reach PostgreSQL at postgres://u@db:5432/x (DATABASE_URL): connection refused (is it running, and on that port?)',
    ],
    [
      new CannotCreateDatabase('x', 'db', 'permission denied'),
      69,
      expect.stringContaining('createdb -h db x'),
    ],
  ])('%s → %s', (err, code, line) => {
    expect(describeFailure(err)).toEqual({ code, line });
  });

  it('an unexpected error keeps its stack (it is a bug report), exit 70', () => {
    const f = describeFailure(new TypeError('x is not a function'));
    expect(f.code).toBe(70);
    expect(f.line).toMatch(/^unexpected error .*\nTypeError: x is not a function\n\s+at /);
  });
});

describe('failureReason', () => {
  it.each([
    ['ECONNREFUSED', /^connection refused/],
    ['ENOTFOUND', /^host not found/],
    ['ETIMEDOUT', /^timed out/],
    ['EADDRINUSE', /^address already in use/],
    ['EACCES', /^permission denied \(ports below 1024/],
    ['28P01', /^password authentication failed/],
    ['3D000', /run `lms-sync migrate`, which creates it/],
  ])('%s', (code, reason) => {
    expect(failureReason(coded(code))).toMatch(reason);
  });

  it("reads the code inside Node's AggregateError (IPv4 and IPv6 both refused)", () => {
    const both = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], '');
    expect(failureReason(both)).toMatch(/^connection refused/);
  });

  it("names pg's connect timeout, which has no code", () => {
    expect(failureReason(new Error('timeout exceeded when trying to connect'))).toBe('timed out');
  });

  it('bounds a foreign message', () => {
    expect(failureReason(new Error('x'.repeat(5000))).length).toBeLessThanOrEqual(200);
  });
});

describe('isConnectionFailure tells reaching from querying', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['08006', true],
    ['28P01', true],
    ['3D000', true],
    ['57P01', true],
    ['42P01', false], // undefined table: a query that failed
    ['23505', false],
  ])('%s → %s', (code, expected) => {
    expect(isConnectionFailure(coded(code))).toBe(expected);
  });

  it('a DependencyError passes through unavailable() unchanged', () => {
    const e = new DependencyError('cannot listen', 'PORT/HOST', '0.0.0.0:1', 'x');
    expect(unavailable('PostgreSQL', 'DATABASE_URL', 'postgres://x/y', e)).toBe(e);
  });
});
