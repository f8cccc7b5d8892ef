// A process with the service's guard installed: units of work whose errors escape (a throw inside a
// callback, a rejection nobody awaits) fail one by one, and the process goes on with the next. With
// `outside`, an error outside any unit of work then ends the process. Prints one JSON line per unit.
import { installProcessGuard, isolate } from '../../src/lib/process-guard';
import { createLogger } from '../../src/observability/logger';

installProcessGuard({ log: createLogger('info') });

const settle = (work: string, fn: () => Promise<unknown>) =>
  isolate(work, fn).then(
    (value) => ({ work, value }),
    (err: Error) => ({ work, failed: err.message, code: (err as { code?: string }).code }),
  );

async function main(): Promise<void> {
  const results = [
    await settle(
      'message A',
      () =>
        new Promise(() =>
          setImmediate(() => {
            throw new Error('thrown inside a callback');
          }),
        ),
    ),
    await settle('message B', () => new Promise(() => void Promise.reject(new Error('nobody awaited this')))),
    await settle('message C', async () => 'handled'),
  ];
  for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  if (process.argv.includes('outside')) {
    setImmediate(() => {
      throw new Error('thrown outside any unit of work');
    });
  }
}

void main();
