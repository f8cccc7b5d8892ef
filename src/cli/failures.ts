// What the command line prints when a command cannot go on: one line and an exit code for every failure
// an operator can fix (configuration, usage, a dependency); the stack only for the unexpected, a bug.
import { CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config';
import { CannotCreateDatabase } from '../db';
import { DependencyError } from '../lib';
import { EXIT, type ExitCode } from './exit-codes';

/** A command line that cannot be run as written (exit 64), e.g. two options that exclude each other. */
export class UsageError extends Error {}

export interface Failure {
  line: string;
  code: ExitCode;
}

export function describeFailure(err: unknown): Failure {
  if (err instanceof ConfigError) return { line: err.message, code: EXIT.config };
  if (err instanceof UsageError || err instanceof InvalidArgumentError)
    return { line: err.message, code: EXIT.usage };
  if (err instanceof CommanderError) return { line: err.message.replace(/^error: /, ''), code: EXIT.usage };
  if (err instanceof DependencyError || err instanceof CannotCreateDatabase)
    return { line: err.message, code: EXIT.unavailable };
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { line: `unexpected error (a bug: please report it with this text)\n${stack}`, code: EXIT.software };
}
